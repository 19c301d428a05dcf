package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes started as ranks 0 and 1 of 2 (as mpirun sets them) read disjoint halves; report sums them. */
class MultiRankReadTest {
    @TempDir
    Path dir;

    @Test
    void twoRanks_readDisjointHalvesCoveringTheDataset_reportSumsThem() throws Exception {
        Path config = SharedConfigs.config("selective_read.yaml");
        Path data = dir.resolve("data");
        List<String> scale = List.of("dataset.data_folder=" + data, "dataset.num_files_train=7",
                "dataset.num_samples_per_file=150", "train.computation_time=0.0005", "reader.read_threads=2");
        List<String> gen = new ArrayList<>(List.of("generate", "--config", config.toString(), "--quiet"));
        gen.addAll(scale);
        Cli.Result g = Cli.run(gen.toArray(String[]::new));
        assertEquals(0, g.exit(), g.err());

        Path results = dir.resolve("results");
        Files.createDirectories(results);
        List<Process> ranks = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "read", "--config", config.toString(),
                    "--json", results.resolve("rank" + r + ".json").toString(), "--quiet"));
            cmd.addAll(scale);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("rank" + r + ".log").toFile());
            pb.environment().put("OMPI_COMM_WORLD_RANK", String.valueOf(r));
            pb.environment().put("OMPI_COMM_WORLD_SIZE", "2");
            ranks.add(pb.start());
        }
        for (int r = 0; r < 2; r++) {
            Process p = ranks.get(r);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "rank " + r + " finished");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("rank" + r + ".log")));
        }

        Set<String> all = new HashSet<>();
        try (Stream<Path> s = Files.walk(data.resolve("train"))) {
            s.filter(f -> f.toString().endsWith(".parquet")).forEach(f -> all.add(f.toString()));
        }
        assertEquals(7, all.size());
        Set<String> union = new HashSet<>();
        long samples = 0;
        for (int r = 0; r < 2; r++) {
            Map<String, Object> m = JSON.std.mapFrom(results.resolve("rank" + r + ".json").toFile());
            assertEquals(r, ((Number) m.get("rank")).intValue());
            assertEquals(2, ((Number) m.get("world_size")).intValue());
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) m.get("file_list");
            assertEquals(r == 0 ? 4 : 3, files.size(), "rank " + r + " reads files r, r+2, ...");
            for (String f : files) {
                assertTrue(union.add(f), f + " is read by both ranks");
            }
            samples += ((Number) m.get("samples")).longValue();
        }
        assertEquals(all, union, "together the ranks cover the dataset");
        assertEquals(7 * 150, samples);

        Cli.Result report = Cli.run("report", results.toString(), "--json", dir.resolve("merged.json").toString());
        assertEquals(0, report.exit(), report.err());
        assertTrue(report.out().contains("2 of 2 ranks reported"), report.out());
        Map<String, Object> merged = JSON.std.mapFrom(dir.resolve("merged.json").toFile());
        assertEquals(7L * 150, ((Number) merged.get("samples")).longValue());
        double perRank = 0;
        for (int r = 0; r < 2; r++) {
            perRank += ((Number) JSON.std.mapFrom(results.resolve("rank" + r + ".json").toFile()).get("samples_per_second")).doubleValue();
        }
        assertEquals(perRank, ((Number) merged.get("samples_per_second")).doubleValue(), 1e-6, "throughputs are summed");

        Files.delete(results.resolve("rank1.json"));
        Cli.Result partial = Cli.run("report", results.toString());
        assertEquals(1, partial.exit());
        assertTrue(partial.err().contains("missing results for rank [1]"), partial.err());
    }
}
