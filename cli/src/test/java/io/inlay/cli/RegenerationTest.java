package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Re-running {@code generate} (issue 15, point 2): a file is kept only when its footer's
 * generation record (config, seed, writer options) equals the requested one and its pages verify;
 * otherwise it is rewritten and the summary says why, one line per reason. The summary's codec is
 * the files' codec (DuckDB reads it back).
 */
class RegenerationTest {
    @TempDir
    Path dir;

    private Path data;

    private Cli.Result generate(String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=4", "dataset.num_samples=200", "--threads", "1"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out() + r.err());
        return r;
    }

    private List<Path> files() throws Exception {
        return GenerateCommandTest.parquetFiles(data);
    }

    private Path fresh(String name) {
        data = dir.resolve(name);
        return data;
    }

    @Test
    void sameRequest_allKept() throws Exception {
        fresh("same");
        assertTrue(generate().out().startsWith("generated 4 files (0 kept), 800 rows"));
        Cli.Result again = generate();
        assertEquals("generated 0 files (4 kept), 0 rows", again.out().lines().findFirst().orElseThrow().replaceAll(",[^,]*GB.*", ""));
        assertEquals(1, again.out().lines().count(), "no rewrite lines: " + again.out());
    }

    @Test
    void flippedPage_failsVerify_isRewritten_andSaysSo() throws Exception {
        fresh("flip");
        generate();
        Path victim = files().get(1);
        byte[] b = Files.readAllBytes(victim);
        b[3000] ^= (byte) 0xff; // inside the first page of 'features' (CRC-protected)
        Files.write(victim, b);
        Cli.Result verify = Cli.run("verify", data.toString());
        assertEquals(Main.EXIT_FAILURE, verify.exit(), "the file is damaged: " + verify.out());
        Cli.Result again = generate();
        List<String> lines = again.out().lines().toList();
        assertTrue(lines.get(0).startsWith("generated 1 file (3 kept, 1 rewritten), 200 rows"), again.out());
        assertEquals(2, lines.size(), again.out());
        assertTrue(lines.get(1).startsWith("  rewrote 1 file: damaged (" + victim + ": ") && lines.get(1).contains("CRC-32 mismatch"),
                lines.get(1));
        assertEquals(0, Cli.run("verify", data.toString()).exit(), "the dataset verifies again");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            codec          | dataset.compression=zstd                 | compression none (now zstd)
            seed           | --seed=7                                 | seed 42 (now 7)
            page version   | --page-version=2                         | page_version 1 (now 2)
            page size      | --page-size=65536                        | page_size 1048576 (now 65536)
            dictionary     | --dictionary                             | dictionary false (now true)
            split          | --byte-stream-split                      | byte_stream_split false (now true)
            crc            | --no-crc                                 | page_crc true (now false)
            column size    | dataset.parquet.columns[0].size=16       | column 'features' size 1024 (now 16)
            column dtype   | dataset.parquet.columns[2].dtype=int8    | column 'flag' dtype bool (now int8)
            rows per group | dataset.parquet.row_group_size=50        | row_group_size 1000000 (now 50)
            eval files     | dataset.num_files_eval=1                 | num_files_eval 0 (now 1)
            """)
    void anotherSetting_everyFileRewritten_reasonGiven(String what, String change, String reason) throws Exception {
        fresh(what.replace(' ', '-'));
        generate();
        Cli.Result again = generate(change);
        List<String> lines = again.out().lines().toList();
        assertTrue(lines.get(0).startsWith("generated " + (what.equals("eval files") ? 5 : 4) + " files (0 kept, 4 rewritten)"),
                what + ": " + again.out());
        assertEquals("  rewrote 4 files: " + reason, lines.get(1), what);
        assertEquals(0, generate(change).out().lines().findFirst().orElseThrow().indexOf("generated 0 files ("),
                what + ": a third run keeps them all");
        // and the files read back with the new settings
        Cli.Result read = Cli.run("read", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=4", "dataset.num_samples=200", change.startsWith("--") ? "train.epochs=1" : change,
                "--output", data.resolveSibling(data.getFileName() + "-results").toString());
        assertEquals(0, read.exit(), what + ": " + read.err());
    }

    @Test
    void codecChange_summaryNamesTheFilesCodec_jsonCountsReasons() throws Exception {
        fresh("codec");
        generate();
        Path json = dir.resolve("summary.json");
        Cli.Result zstd = generate("dataset.compression=zstd", "--json", json.toString());
        assertTrue(zstd.out().contains("(zstd, 1 thread, rank 0 of 1)"), zstd.out());
        for (Object[] row : GenerateCommandTest.query("SELECT DISTINCT compression FROM parquet_metadata("
                + GenerateCommandTest.glob(data) + ")")) {
            assertEquals("ZSTD", row[0].toString(), "the files have the codec the summary names");
        }
        Map<String, Object> summary = JSON.std.mapFrom(json.toFile());
        assertEquals(Map.of("compression none (now zstd)", 4), summary.get("files_rewritten"));
        assertEquals("zstd", summary.get("codec"));
        // level: default, then 9
        Cli.Result level = generate("dataset.compression=zstd", "--compression-level", "9");
        assertTrue(level.out().contains("rewrote 4 files: compression_level default (now 9)"), level.out());
    }

    @Test
    void fileNotWrittenByInlay_isRewritten() throws Exception {
        fresh("foreign");
        generate();
        Path victim = files().get(0);
        Files.delete(victim);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT 1 AS features) TO '" + victim + "' (FORMAT parquet)");
        }
        Cli.Result again = generate();
        assertTrue(again.out().contains("  rewrote 1 file: not written by inlay generate (" + victim + ": it has no inlay.config"),
                again.out());
    }

    @Test
    void damagedFilesOfSeveralKinds_groupedUnderOneReason() throws Exception {
        fresh("truncated");
        generate();
        List<Path> fs = files();
        for (Path f : List.of(fs.get(0), fs.get(2))) {
            byte[] b = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        }
        Cli.Result again = generate();
        assertTrue(again.out().contains("  rewrote 2 files: damaged (" + fs.get(0) + ": "), again.out());
        assertTrue(again.out().contains("; and 1 other)"), again.out());
        try (Stream<Path> s = Files.walk(data)) {
            assertEquals(4, s.filter(p -> p.toString().endsWith(".parquet")).count());
        }
    }
}
