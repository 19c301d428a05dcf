package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inlay cat}, {@code inspect} and {@code verify} on corpus files: output, exit codes, one-line errors. */
class ReadCommandsTest {
    static Path corpus(String rel) {
        Path f = Path.of(System.getProperty("corpus.dir", "../shared/corpus")).resolve(rel);
        assumeTrue(Files.exists(f), "corpus file not found: " + f.toAbsolutePath() + " (set -Dcorpus.dir)");
        return f;
    }

    @Test
    void cat_printsExactlyTheCorpusExpectedLines() throws Exception {
        for (String name : List.of("pa_nullable_v2_plain_gzip.parquet", "dlio_vectors_zstd.parquet", "pj_lz4_v1_dict_crc.parquet")) {
            Path file = corpus("gap/data/" + name);
            List<String> expected = Files.readAllLines(corpus("gap/expected/" + name + ".jsonl"));
            CliRunner.Result r = CliRunner.run("cat", file.toString());
            assertEquals(0, r.exit(), r.err());
            assertArrayEquals(expected.toArray(), r.outLines(), name);
        }
    }

    @Test
    void cat_columnsAndLimit() {
        Path file = corpus("parquet-testing/data/alltypes_plain.parquet");
        CliRunner.Result r = CliRunner.run("cat", file.toString(), "--columns", "id,float_col", "--limit", "2");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(new String[] {"{\"id\":4,\"float_col\":0.0}", "{\"id\":5,\"float_col\":1.1}"}, r.outLines());
    }

    @Test
    void cat_unsupportedColumnsSkippedWithANote() {
        Path file = corpus("parquet-testing/data/alltypes_plain.parquet");
        CliRunner.Result r = CliRunner.run("cat", file.toString(), "--limit", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("skipping unsupported columns: timestamp_col"), r.err());
        assertEquals(1, r.outLines().length);
    }

    @Test
    void cat_errors_oneLineAndExitCode(@TempDir Path tmp) throws Exception {
        Path good = corpus("parquet-testing/data/alltypes_plain.parquet");
        CliRunner.Result missing = CliRunner.run("cat", tmp.resolve("nope.parquet").toString());
        assertEquals(1, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("nope.parquet: not found"), missing.err());

        CliRunner.Result column = CliRunner.run("cat", good.toString(), "--columns", "no_such_column");
        assertEquals(2, column.exit());
        assertTrue(column.err().contains("'no_such_column' is missing") && column.err().contains("float_col"), column.err());

        CliRunner.Result unsupported = CliRunner.run("cat", good.toString(), "--columns", "timestamp_col");
        assertEquals(1, unsupported.exit());
        assertTrue(unsupported.err().contains("not supported"), unsupported.err());

        Path bad = tmp.resolve("bad.parquet");
        Files.write(bad, new byte[] {'P', 'A', 'R', '1', 1, 2, 3, 4, 5, 6, 7, 8, 'P', 'A', 'R', '1'});
        CliRunner.Result corrupt = CliRunner.run("cat", bad.toString());
        assertEquals(1, corrupt.exit());
        assertEquals(1, corrupt.err().strip().lines().count(), corrupt.err());
        assertTrue(corrupt.err().startsWith("inlay cat: " + bad), corrupt.err());

        CliRunner.Result usage = CliRunner.run("cat");
        assertEquals(2, usage.exit());
    }

    @Test
    void inspect_showsSchemaChunksAndPagesWithCrc() {
        Path file = corpus("parquet-testing/data/datapage_v1-snappy-compressed-checksum.parquet");
        CliRunner.Result r = CliRunner.run("inspect", "--pages", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("message schema {"), r.out());
        assertTrue(r.out().contains("SNAPPY"), r.out());
        assertTrue(r.out().contains("DATA_PAGE") && r.out().contains("crc 0x") && r.out().contains(" ok"), r.out());

        Path corrupt = corpus("parquet-testing/data/datapage_v1-corrupt-checksum.parquet");
        CliRunner.Result c = CliRunner.run("inspect", "--pages", corrupt.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("MISMATCH"), c.out());
    }

    @Test
    void verify_reportsEachFile_andFailsWhenOneIsBad() {
        Path good = corpus("parquet-testing/data/alltypes_plain.snappy.parquet");
        Path crc = corpus("parquet-testing/data/datapage_v1-corrupt-checksum.parquet");
        CliRunner.Result ok = CliRunner.run("verify", good.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().startsWith("OK " + good + " rows=2"), ok.out());

        CliRunner.Result r = CliRunner.run("verify", good.toString(), crc.toString());
        assertEquals(1, r.exit());
        String[] lines = r.outLines();
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].startsWith("OK "), lines[0]);
        assertTrue(lines[1].startsWith("ERROR ") && lines[1].contains("CRC-32 mismatch"), lines[1]);

        CliRunner.Result noCrc = CliRunner.run("verify", "--no-crc", crc.toString());
        assertEquals(0, noCrc.exit(), noCrc.out());
    }

    @Test
    void verify_directory_findsEveryParquetFile() {
        Path dir = corpus("parquet-testing/bad_data");
        CliRunner.Result r = CliRunner.run("verify", dir.toString());
        assertEquals(1, r.exit());
        long errors = r.out().lines().filter(l -> l.startsWith("ERROR ")).count();
        long oks = r.out().lines().filter(l -> l.startsWith("OK ")).count();
        assertEquals(8, errors + oks, r.out());
        assertEquals(1, oks, "ARROW-GH-43605 is legal: " + r.out());
    }
}
