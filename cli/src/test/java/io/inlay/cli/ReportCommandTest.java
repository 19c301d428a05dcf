package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.run.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inlay report}: ranks' results merged on their wall-clock windows. Ranks run one after the
 * other are not reported as concurrent (a warning, and a common-window figure); a rank made
 * slower lowers the aggregate rather than vanish in a sum.
 */
class ReportCommandTest {
    @TempDir
    Path dir;

    static Map<String, Object> rank(int rank, String start, double seconds, long samples, double samplesPerSecond) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", 1);
        e.put("complete", true);
        e.put("start", start);
        e.put("seconds", seconds);
        e.put("samples", samples);
        e.put("bytes_read", samples * 1000);
        e.put("samples_per_second", samplesPerSecond);
        e.put("au_percent", 50.0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("complete", true);
        m.put("rank", rank);
        m.put("world_size", 2);
        m.put("samples", samples);
        m.put("bytes_read", samples * 1000);
        m.put("au_percent", 50.0);
        m.put("au_expected_percent", 90.0);
        m.put("per_epoch", List.of(e));
        return m;
    }

    @Test
    void slowerRank_lowersTheCommonWindowAggregate() {
        String t0 = "2026-07-04T05:21:10.000000";
        Map<Integer, Map<String, Object>> even = new TreeMap<>(Map.of(0, rank(0, t0, 1, 200, 200), 1, rank(1, t0, 1, 200, 200)));
        Map<Integer, Map<String, Object>> slow = new TreeMap<>(Map.of(0, rank(0, t0, 1, 200, 200), 1, rank(1, t0, 2, 200, 100)));
        double fast = (double) ReportCommand.merge(even, 2, List.of()).get("samples_per_second_common");
        double slower = (double) ReportCommand.merge(slow, 2, List.of()).get("samples_per_second_common");
        assertEquals(400, fast, 1e-9);
        assertEquals(200, slower, 1e-9, "400 samples over the 2 s from the earliest start to the latest end");
        Map<String, Object> m = ReportCommand.merge(slow, 2, List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> e = ((List<Map<String, Object>>) m.get("per_epoch")).get(0);
        assertEquals(300.0, (double) e.get("samples_per_second_sum"), 1e-9, "DLIO's sum, for comparison");
        assertEquals(0.5, (double) e.get("window_overlap"), 1e-9);
    }

    @Test
    void ranksRunOneAfterTheOther_areNotReportedAsConcurrent() throws Exception {
        Path data = dir.resolve("data");
        List<String> scale = List.of("dataset.data_folder=" + data, "dataset.num_files_train=4", "dataset.num_samples=200",
                "reader.batch_size=8", "train.computation_time=0.002");
        List<String> gen = new ArrayList<>(List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "--quiet"));
        gen.addAll(scale);
        assertEquals(0, Cli.run(gen.toArray(String[]::new)).exit());
        Path out = dir.resolve("out");
        for (int r = 0; r < 2; r++) {
            List<String> read = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                    "--rank", String.valueOf(r), "--world-size", "2", "--output", out.toString(), "--quiet"));
            read.addAll(scale);
            Cli.Result res = Cli.run(read.toArray(String[]::new));
            assertEquals(0, res.exit(), res.err());
        }
        assertTrue(Files.isRegularFile(out.resolve("0_output.json")) && Files.isRegularFile(out.resolve("1_output.json")));
        Cli.Result report = Cli.run("report", out.toString(), "--json", dir.resolve("merged.json").toString());
        assertEquals(0, report.exit(), report.err());
        assertTrue(report.out().contains("2 of 2 ranks reported"), report.out());
        assertTrue(report.err().contains("warning: epoch 1: the ranks' windows overlap"), report.err());
        Map<String, Object> merged = JSON.std.mapFrom(dir.resolve("merged.json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> e = ((List<Map<String, Object>>) merged.get("per_epoch")).get(0);
        assertTrue((double) e.get("window_overlap") < 0.9, e.toString());
        assertTrue((double) e.get("samples_per_second_common") < 0.75 * (double) e.get("samples_per_second_sum"),
                "one after the other, the common window is about twice a rank's: " + e);
        assertEquals(2L * 2 * 200, ((Number) merged.get("samples")).longValue(), "each rank: 2 files of 200 samples");

        Files.delete(out.resolve("1_output.json"));
        Cli.Result partial = Cli.run("report", out.toString());
        assertEquals(1, partial.exit());
        assertTrue(partial.err().contains("missing results for rank [1]"), partial.err());
    }

    @Test
    void timestamps_roundTrip() {
        String t = Clock.TIMESTAMP.format(LocalDateTime.of(2026, 7, 4, 5, 21, 10, 959754000));
        assertEquals("2026-07-04T05:21:10.959754", t);
        assertEquals(ReportCommand.epochSeconds(t) + 1.5, ReportCommand.epochSeconds("2026-07-04T05:21:12.459754"), 1e-6);
    }
}
