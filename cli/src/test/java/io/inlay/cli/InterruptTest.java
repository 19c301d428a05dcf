package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.mpi.MpiRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) during {@code inlay read}: what was measured so far, marked incomplete, in the JSON and the DLIO folder; exit 130. */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void sigint_writesPartialResults_markedIncomplete() throws Exception {
        Path data = dir.resolve("data");
        Cli.Result g = Cli.run("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(), "--quiet",
                "dataset.data_folder=" + data, "dataset.num_files_train=2", "dataset.num_samples=200");
        assertEquals(0, g.exit(), g.err());
        Path out = dir.resolve("out");
        Path json = dir.resolve("r.json");
        List<String> cmd = new ArrayList<>(MpiRunner.java(Main.class.getName(), List.of("read", "--config",
                SharedConfigs.config("seed_example.yaml").toString(), "dataset.data_folder=" + data, "dataset.num_files_train=2",
                "dataset.num_samples=200", "reader.batch_size=4", "train.computation_time=0.02", "train.epochs=100",
                "--output", out.toString(), "--json", json.toString())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        String ignored = Files.readString(Path.of("/proc/" + p.pid() + "/status")).lines().filter(l -> l.startsWith("SigIgn:"))
                .findFirst().orElse("SigIgn: 0").split("\\s+")[1];
        boolean sigintIgnored = (Long.parseLong(ignored, 16) & 2) != 0;
        if (sigintIgnored) {
            p.destroyForcibly();
        }
        assumeTrue(!sigintIgnored, "this JVM was started with SIGINT ignored (a background job): its children cannot get Ctrl-C");
        Thread.sleep(4000);
        assertTrue(p.isAlive(), Files.readString(dir.resolve("log")));
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends on Ctrl-C");
        String log = Files.readString(dir.resolve("log"));
        assertEquals(130, p.exitValue(), log);
        assertTrue(log.contains("INCOMPLETE (interrupted): read"), log);
        assertTrue(log.contains("inlay read: interrupted: what was measured so far is in " + out), log);

        Map<String, Object> j = JSON.std.mapFrom(json.toFile());
        assertEquals(false, j.get("complete"));
        assertTrue(((Number) j.get("steps")).longValue() > 0, "steps measured before Ctrl-C are reported");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) j.get("per_epoch");
        assertEquals(false, epochs.get(epochs.size() - 1).get("complete"), "the epoch under way is marked");
        Map<String, Object> summary = JSON.std.mapFrom(out.resolve("summary.json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> inlay = (Map<String, Object>) summary.get("inlay");
        assertEquals(false, inlay.get("complete"), "the DLIO folder is marked too");
        @SuppressWarnings("unchecked")
        Map<String, Object> rankInlay = (Map<String, Object>) JSON.std.mapFrom(out.resolve("0_output.json").toFile()).get("inlay");
        assertEquals(false, rankInlay.get("complete"));
        assertTrue(Files.readString(out.resolve("dlio.log")).contains("[WARNING] Interrupted: the results in"));
    }
}
