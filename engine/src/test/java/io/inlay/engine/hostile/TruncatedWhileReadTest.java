package io.inlay.engine.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateResult;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.DuckDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, point 7: datasets live on shared file systems that other nodes regenerate, so a file
 * may be truncated while it is being read. With every I/O engine and every codec, a file is cut at
 * a random moment of a read to a random length, {@code -Dtruncation.runs} times (default 21: each
 * read mode 7 times) per engine and file, in a child JVM: every run must end in a clean read (the
 * cut came after the bytes were read) or Inlay's corruption error saying the file changed or was
 * truncated; never a JVM crash (SIGBUS in native code: a decompressor or the CRC-32 intrinsic
 * reading a mapping), another exception, or a hang.
 */
@Tag("hostile")
class TruncatedWhileReadTest {

    @Test
    void truncatedAtRandomMoments_everyEngineAndCodec_cleanErrorsOrCleanReads_neverACrash(@TempDir Path dir) throws Exception {
        List<Path> files = files(dir);
        int runs = Integer.getInteger("truncation.runs", 21);
        long seed = Long.getLong("truncation.seed", 20261203L);
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-Dwork.dir=" + dir.resolve("work"), "-cp", System.getProperty("java.class.path"),
                TruncatedWhileReadChild.class.getName(), String.valueOf(seed), String.valueOf(runs)));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Process child = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = child.waitFor(600, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String last = null;
        Map<String, String[]> results = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] parts = line.split("\t");
            if (parts[0].equals("START")) {
                last = parts[1];
            } else if (parts[0].equals("RESULT")) {
                results.put(parts[1], parts);
            }
        }
        assertTrue(finished, "the child JVM did not finish; last scenario " + last);
        assertFalse(stderr.contains("fatal error") || stdout.contains("fatal error") || stderr.contains("SIGBUS"),
                "the JVM crashed in scenario " + last + ":\n" + stderr);
        assertEquals(0, child.exitValue(), "the child JVM exited with " + child.exitValue() + " in scenario " + last
                + ":\n" + stderr);
        List<String> problems = new ArrayList<>();
        Map<String, int[]> tally = new TreeMap<>();
        for (String[] r : results.values()) {
            String scenario = r[1];
            String outcome = r[2];
            String message = r.length > 3 ? r[3] : "";
            boolean clean = outcome.equals("io.inlay.engine.error.ParquetCorruptionException")
                    && (message.contains("truncated") || message.contains("changed"));
            // a cut that keeps the footer but loses pages, found by the footer or page checks
            boolean refused = outcome.equals("io.inlay.engine.error.ParquetCorruptionException");
            String[] key = scenario.split("\\|");
            int[] t = tally.computeIfAbsent(key[0] + " " + key[1], k -> new int[3]);
            if (outcome.equals("OK")) {
                t[0]++;
            } else if (clean || refused) {
                t[1]++;
            } else {
                t[2]++;
                problems.add(scenario + ": " + outcome + ": " + message);
            }
        }
        int expected = files.size() * 4 * runs;
        System.out.println("[hostile] truncated while read: " + results.size() + " runs (" + files.size() + " files x 4 engines x "
                + runs + "), seed " + seed + ", " + problems.size() + " problems; clean reads / clean errors per file and engine:");
        tally.forEach((k, v) -> System.out.println("  " + k + ": " + v[0] + " / " + v[1]));
        assertEquals(expected, results.size(), "every run reported");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Files of every codec: Inlay's generator (page CRCs, v1) and DuckDB (v1 and v2, no CRCs), pages over 64 KiB. */
    private static List<Path> files(Path dir) throws Exception {
        List<Path> out = new ArrayList<>();
        List<ColumnSpec> columns = List.of(new ColumnSpec("vec", DType.FLOAT32, 256), new ColumnSpec("label", DType.FLOAT64, 1));
        for (CompressionCodec codec : List.of(CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY, CompressionCodec.ZSTD,
                CompressionCodec.GZIP, CompressionCodec.LZ4_RAW)) {
            Path d = dir.resolve("gen-" + codec.name().toLowerCase());
            DatasetSpec spec = DatasetSpec.builder(d).numFilesTrain(1).numSamplesPerFile(4096).rowGroupSize(1024)
                    .columns(columns).compression(codec).build();
            GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
            out.add(Files.move(r.files().get(0).path(), dir.resolve("inlay_" + codec.name().toLowerCase() + ".parquet")));
        }
        try (DuckDb db = new DuckDb()) {
            db.execute("CREATE TABLE t AS SELECT (i * 0.37)::FLOAT AS f, [i::FLOAT, (i + 1)::FLOAT, (i * 2)::FLOAT,"
                    + " (i * 3)::FLOAT]::FLOAT[4] AS vec, CASE WHEN i % 5 = 0 THEN NULL ELSE 'row ' || i::VARCHAR END AS s"
                    + " FROM range(0, 200000) r(i)");
            for (String[] v : new String[][] {{"snappy", "V2"}, {"zstd", "V1"}, {"lz4", "V1"}}) {
                Path f = dir.resolve("duck_" + v[0] + "_" + v[1] + ".parquet");
                db.execute("COPY t TO " + DuckDb.literal(f) + " (FORMAT parquet, COMPRESSION " + v[0] + ", PARQUET_VERSION " + v[1] + ")");
                out.add(f);
            }
        }
        return out;
    }
}
