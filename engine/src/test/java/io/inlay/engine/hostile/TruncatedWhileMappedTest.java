package io.inlay.engine.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file truncated on disk while it is mapped (another process rewrote it, a disk filled up): the
 * next access to a mapped page past the new end raises SIGBUS. The JVM turns that into an
 * {@link InternalError} where Java code made the access, and the reader turns that into a
 * {@code ParquetCorruptionException}; where native code made it (a decompressor, the CRC-32
 * intrinsic) the JVM dies. Every read entry point is tried on files of every codec, with and without
 * CRCs, cut at 0 and in the middle of a large page body (its header still readable), in a child JVM
 * whose exit and output are checked: it must finish every scenario, never crash.
 */
@Tag("hostile")
class TruncatedWhileMappedTest {
    private static final List<String> ENTRIES = List.of("readAll", "rowGroups", "verify", "pages", "mappedValues",
            "mappedSlices");
    /** Entry points that read every page body, so they must notice the truncation. */
    private static final List<String> MUST_FAIL = List.of("readAll", "rowGroups", "verify");
    private static final long OS_PAGE = 4096;

    @Test
    void truncatedWhileMapped_everyEntryPoint_failsCleanly_neverCrashes(@TempDir Path dir) throws Exception {
        List<Path> files = files(dir);
        List<String> scenarios = new ArrayList<>();
        for (Path f : files) {
            long mid = midBodyCut(f);
            for (String entry : ENTRIES) {
                scenarios.add(f + "|" + entry + "|0");
                if (mid > 0) {
                    scenarios.add(f + "|" + entry + "|" + mid);
                }
            }
        }
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-Dwork.dir=" + dir.resolve("work"),
                "-cp", System.getProperty("java.class.path"), TruncatedWhileMappedChild.class.getName()));
        cmd.addAll(scenarios);
        Process child = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child JVM did not finish");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Map<String, String[]> results = new LinkedHashMap<>();
        String last = null;
        for (String line : stdout.split("\n")) {
            String[] parts = line.split("\t");
            if (parts[0].equals("START")) {
                last = parts[1];
            } else if (parts[0].equals("RESULT")) {
                results.put(parts[1], parts);
            }
        }
        assertFalse(stderr.contains("fatal error") || stdout.contains("fatal error"),
                "the JVM crashed in scenario " + last + ":\n" + stderr + stdout);
        assertEquals(0, child.exitValue(), "the child JVM exited with " + child.exitValue() + " in scenario " + last
                + ":\n" + stderr);
        List<String> problems = new ArrayList<>();
        for (String s : scenarios) {
            String[] r = results.get(s);
            if (r == null) {
                problems.add(s + ": no result");
                continue;
            }
            String entry = s.split("\\|")[1];
            String outcome = r[2];
            boolean clean = outcome.equals("io.inlay.engine.error.ParquetCorruptionException")
                    && r[3].contains("truncated while mapped");
            boolean allowed = clean || (outcome.equals("OK") && !MUST_FAIL.contains(entry))
                    // the caller's own access to a slice of a truncated mapping: the JVM's error, not a crash
                    || (entry.equals("mappedSlices") && outcome.equals("java.lang.InternalError"));
            if (!allowed) {
                problems.add(s + ": " + outcome + ": " + r[3]);
            }
        }
        System.out.println("[hostile] truncated while mapped: " + scenarios.size() + " scenarios on " + files.size()
                + " files, " + problems.size() + " problems");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The first OS page boundary inside a page body of at least three OS pages, or 0. */
    private static long midBodyCut(Path f) throws IOException {
        FileLayout layout = FileLayout.of(Files.readAllBytes(f));
        for (FileLayout.Page p : layout.pages()) {
            long cut = (p.bodyStart() / OS_PAGE + 1) * OS_PAGE;
            if (p.bodyEnd() - cut >= 2 * OS_PAGE) {
                return cut;
            }
        }
        return 0;
    }

    /** Files of every codec, V1 and V2, with large pages; and corpus files with CRCs. */
    private static List<Path> files(Path dir) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("""
                CREATE TABLE t AS SELECT (i * 0.37)::FLOAT AS f,
                  [i::FLOAT, (i + 1)::FLOAT, (i * 2)::FLOAT, (i * 3)::FLOAT]::FLOAT[4] AS vec,
                  CASE WHEN i % 5 = 0 THEN NULL ELSE 'row ' || i::VARCHAR END AS s,
                  (i * 7919)::BIGINT AS big
                FROM range(0, 30000) r(i)""");
            for (String[] v : new String[][] {{"uncompressed", "V1"}, {"snappy", "V1"}, {"zstd", "V2"}, {"gzip", "V1"},
                    {"lz4", "V2"}}) {
                Path f = dir.resolve("big_" + v[0] + "_" + v[1] + ".parquet");
                s.execute("COPY t TO '" + f + "' (FORMAT parquet, COMPRESSION " + v[0] + ", PARQUET_VERSION " + v[1] + ")");
                out.add(f);
            }
        }
        Path corpus = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
        for (String crc : List.of("gap/data/pj_v1_plain_uncompressed_crc.parquet", "gap/data/pj_lz4_v1_dict_crc.parquet",
                "gap/data/pa_crc_v1_dict_gzip.parquet", "gap/data/pj_v2_dict_fallback_zstd_crc.parquet")) {
            Path p = corpus.resolve(crc);
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
