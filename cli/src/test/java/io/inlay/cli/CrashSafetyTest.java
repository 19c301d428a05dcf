package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generating child JVM killed outright (SIGKILL) in the middle of a file leaves no incomplete
 * file under a final name, and a re-run completes the dataset and removes the temporary files.
 */
class CrashSafetyTest {
    static final int FILES = 3;
    static final int ROWS = 16_384;

    @TempDir
    Path dir;

    @Test
    void killedMidFile_noIncompleteFinalFile_rerunCompletes() throws Exception {
        Path data = dir.resolve("data");
        List<String> args = List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=" + FILES, "dataset.num_samples=" + ROWS,
                "--threads", "1", "--quiet");
        // the kill must land while a file is half written: retry in the rare case it falls between two files
        List<Path> temps = List.of();
        for (int attempt = 0; attempt < 5 && temps.isEmpty(); attempt++) {
            deleteAll(data);
            temps = killWhileWriting(args, data);
        }
        assertTrue(!temps.isEmpty(), "the child was killed with a file half written");
        for (Path t : temps) {
            assertTrue(t.getFileName().toString().startsWith(".img_"), t.toString());
        }
        List<Path> finals = finalFiles(data);
        assertTrue(finals.size() < FILES, "the run was interrupted: " + finals);
        for (Path f : finals) {
            Object rows = GenerateCommandTest.query("SELECT count(*) FROM read_parquet('" + f + "')").get(0)[0];
            assertEquals(ROWS, ((Number) rows).intValue(), f + " is complete");
        }

        Cli.Result rerun = Cli.run(args.toArray(String[]::new));
        assertEquals(0, rerun.exit(), rerun.err());
        assertEquals(FILES, finalFiles(data).size());
        assertEquals(List.of(), tempFiles(data), "no temporary file remains");
        Object total = GenerateCommandTest.query("SELECT count(*) FROM read_parquet('" + data + "/train/*.parquet')").get(0)[0];
        assertEquals((long) FILES * ROWS, ((Number) total).longValue());
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            // renamed into place meanwhile
            return -1;
        }
    }

    /** Starts the generator in a child JVM, kills it once a temporary file has data, returns the temporary files left. */
    private static List<Path> killWhileWriting(List<String> args, Path data) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (tempFiles(data).stream().anyMatch(t -> sizeOf(t) > (1 << 20))) {
                    p.destroyForcibly();
                    break;
                }
                Thread.sleep(2);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return tempFiles(data);
    }

    private static List<Path> tempFiles(Path data) throws Exception {
        return walk(data).stream().filter(f -> f.getFileName().toString().endsWith(".inlay-tmp")).toList();
    }

    private static List<Path> finalFiles(Path data) throws Exception {
        return walk(data).stream().filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
    }

    private static List<Path> walk(Path data) throws Exception {
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (java.io.UncheckedIOException e) {
            // a file renamed while walking: look again
            return walk(data);
        }
    }

    private static void deleteAll(Path data) throws Exception {
        for (Path f : walk(data)) {
            Files.deleteIfExists(f);
        }
    }
}
