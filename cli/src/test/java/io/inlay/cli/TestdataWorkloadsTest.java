package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The workloads in {@code testdata/workloads} generate and read back through the command line:
 * every file, every sample of every epoch, and the {@code read: false} column left out of the bytes
 * read (checked against the generated files' column chunk sizes by {@code inlay read} itself).
 */
class TestdataWorkloadsTest {
    @TempDir
    Path dir;

    static Path testdata() {
        Path root = Path.of(System.getProperty("project.root", ".."));
        return root.resolve("testdata").resolve("workloads");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // config, train files, eval files, samples per file, epochs, partitions (0: none)
        "tiny_partitioned.yaml, 4, 2, 1500, 2, 2",
        "tiny_default_gzip.yaml, 3, 0, 2000, 1, 0"})
    void generatesAndReadsBack(String config, int train, int eval, int samplesPerFile, int epochs, int partitions)
            throws Exception {
        Path cfg = testdata().resolve(config);
        assertTrue(Files.isRegularFile(cfg), cfg.toAbsolutePath().toString());
        Path data = dir.resolve("data");
        Cli.Result gen = Cli.run("generate", "--config", cfg.toString(), "dataset.data_folder=" + data, "--quiet");
        assertEquals(0, gen.exit(), gen.err());
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        // a partitioned dataset writes each file's rows as one file per partition value
        assertEquals((train + eval) * Math.max(1, partitions), files.size(), files.toString());
        if (partitions > 0) {
            long partitionDirs = files.stream().map(p -> p.getParent().getFileName().toString())
                    .filter(n -> n.startsWith("flag=")).distinct().count();
            assertEquals(partitions, partitionDirs, "Hive partitions flag=true/false: " + files);
        }

        Path json = dir.resolve("read.json");
        Cli.Result read = Cli.run("read", "--config", cfg.toString(), "dataset.data_folder=" + data, "--quiet",
                "--json", json.toString(), "--output", dir.resolve("results").toString());
        assertEquals(0, read.exit(), read.err());
        Map<String, Object> report = JSON.std.mapFrom(Files.readString(json));
        assertEquals((long) train * samplesPerFile * epochs, ((Number) report.get("samples")).longValue(), report.toString());
        assertEquals((long) epochs, ((Number) report.get("epochs")).longValue());
        assertTrue(((Number) report.get("bytes_read")).longValue() > 0, report.toString());
    }
}
