package io.inlay.engine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlay.engine.error.EncryptedParquetException;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.read.DecodeTarget;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.JsonFormat;
import java.io.BufferedReader;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks the conformance corpus: every RELEVANT and AUX-INT file (and every gap file) must give the
 * expected values and checksums for each expected column, in both read modes; BAD files fail with
 * the corruption error, ENCRYPTED files with the encryption error, OUT columns with the unsupported
 * error; CRC-corrupt files fail with CRCs verified and read correctly without.
 *
 * <p>All of it under every storage I/O engine ({@link #ENGINES}; {@code -Dconformance.engines=mmap,pread}
 * narrows it), with queue depths 1 to 64 and transfer sizes 4 KiB to 1 MiB, so that every engine is
 * held to the same expected values.
 */
class CorpusConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<String> CRC_CORRUPT = List.of(
            "parquet-testing/data/datapage_v1-corrupt-checksum.parquet",
            "parquet-testing/data/rle-dict-uncompressed-corrupt-checksum.parquet");
    /** Inlay reads float16 (the workloads generate it) although parquet-testing's catalog files it as out of scope. */
    private static final String INLAY_SUPPORTS_OUT_KIND = "float16";

    private static final AtomicInteger filesMatched = new AtomicInteger();
    private static final AtomicInteger columnsMatched = new AtomicInteger();
    private static final AtomicInteger valuesMatched = new AtomicInteger();
    private static final AtomicInteger failedAsExpected = new AtomicInteger();
    private static final AtomicInteger unsupportedAsExpected = new AtomicInteger();
    private static final List<String> misses = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * The engines and queue settings the corpus is read with: mmap; pread one read at a time of
     * 4 KiB (many reads, ranges wrapping around the ring's end); direct with 64 reads of 64 KiB in
     * flight; io_uring as configured by default.
     */
    static final List<ReadOptions> ENGINES = List.of(
            ReadOptions.DEFAULT.withIoEngine(IoEngine.MMAP),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.PREAD).withIoDepth(1).withTransferSize(4096),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT).withIoDepth(64).withTransferSize(64 << 10),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.IO_URING));

    static List<ReadOptions> engines() {
        String only = System.getProperty("conformance.engines", "");
        return ENGINES.stream().filter(o -> only.isBlank()
                || List.of(only.split(",")).contains(o.ioEngine().configName())).toList();
    }

    static String label(ReadOptions o) {
        return o.ioEngine().configName() + " (depth " + o.ioDepth() + ", " + (o.transferSize() >> 10) + " KiB)";
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws Exception {
        Path dir = Corpus.dir();
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode catalog = JSON.readTree(dir.resolve("catalog.json").toFile());
        JsonNode gap = JSON.readTree(dir.resolve("gap/catalog.json").toFile());
        for (ReadOptions engine : engines()) {
            for (JsonNode f : catalog.get("files")) {
                String rel = f.get("file").asText();
                String category = f.get("category").asText();
                tests.add(DynamicTest.dynamicTest(label(engine) + ": " + category + " " + rel, () -> recordingMisses(rel,
                        () -> checkCatalogFile(dir, rel, category, f, engine))));
            }
            for (JsonNode f : gap.get("files")) {
                String rel = "gap/data/" + f.get("file").asText();
                String name = f.get("file").asText();
                tests.add(DynamicTest.dynamicTest(label(engine) + ": GAP " + name, () -> recordingMisses(rel,
                        () -> checkExpected(dir, dir.resolve(rel), dir.resolve("gap/expected/" + name), engine))));
            }
        }
        return tests.stream();
    }

    interface Check {
        void run() throws Exception;
    }

    private static void recordingMisses(String file, Check check) throws Exception {
        try {
            check.run();
        } catch (Throwable t) {
            misses.add(file + ": " + t.getMessage());
            throw t;
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf("conformance: %d files matched expected values (%d columns, %d rows of values), "
                + "%d files failed as expected, %d unsupported columns refused as expected, %d misses%n",
                filesMatched.get(), columnsMatched.get(), valuesMatched.get(), failedAsExpected.get(),
                unsupportedAsExpected.get(), misses.size());
        misses.forEach(m -> System.out.println("  MISS " + m));
    }

    private static void checkCatalogFile(Path dir, String rel, String category, JsonNode entry, ReadOptions engine)
            throws Exception {
        Path file = dir.resolve(rel);
        String base = file.getFileName().toString();
        Path expected = dir.resolve("expected/" + base);
        switch (category) {
            case "ENCRYPTED" -> {
                Exception e = openAndVerifyError(file, engine);
                assertInstanceOf(EncryptedParquetException.class, e, "expected the encryption error, got " + e);
                assertTrue(e.getMessage().contains("encrypted files are not supported"), e.getMessage());
                failedAsExpected.incrementAndGet();
            }
            case "BAD" -> {
                if (Files.exists(expected.resolveSibling(base + ".checksums.json"))) {
                    // the in-scope columns decode (the references agree on their values) ...
                    checkExpected(dir, file, expected, engine);
                }
                if (rel.endsWith("ARROW-GH-43605.parquet")) {
                    // ... and this one is legal: both references read it (RLE bit width 0)
                    try (ParquetFile pf = ParquetFile.open(file, engine)) {
                        pf.verify();
                    }
                    return;
                }
                Exception e = openAndVerifyError(file, engine);
                assertInstanceOf(ParquetCorruptionException.class, e, "expected the corruption error, got " + e);
                assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
                failedAsExpected.incrementAndGet();
            }
            case "OUT" -> checkOutColumns(file, entry, true, engine);
            case "RELEVANT", "AUX-INT" -> {
                if (CRC_CORRUPT.contains(rel)) {
                    Exception e = openAndVerifyError(file, engine);
                    assertInstanceOf(ParquetCorruptionException.class, e, "expected a CRC error, got " + e);
                    assertTrue(e.getMessage().contains("CRC"), e.getMessage());
                    failedAsExpected.incrementAndGet();
                    checkExpected(dir, file, expected, engine.withVerifyCrc(false));
                } else {
                    checkExpected(dir, file, expected, engine);
                }
                checkOutColumns(file, entry, false, engine);
            }
            default -> fail("unknown category " + category);
        }
    }

    /** Opens the file and reads everything; returns the exception, failing if there is none. */
    private static Exception openAndVerifyError(Path file, ReadOptions engine) {
        try (ParquetFile pf = ParquetFile.open(file, engine)) {
            pf.verify();
        } catch (Exception e) {
            return e;
        }
        fail(file + " was read without an error");
        return null;
    }

    /** Columns the catalog marks out of scope must be refused as unsupported (float16: read). */
    private static void checkOutColumns(Path file, JsonNode entry, boolean allOut, ReadOptions engine) throws Exception {
        try (ParquetFile pf = ParquetFile.open(file, engine)) {
            for (JsonNode col : entry.get("columns")) {
                if (!col.get("scope").asText().equals("out")) {
                    continue;
                }
                String name = col.get("name").asText();
                if (col.get("kind").asText().equals(INLAY_SUPPORTS_OUT_KIND)) {
                    try (Arena arena = Arena.ofConfined()) {
                        long rows = pf.readAll(List.of(name), DecodeTarget.arena(arena)).stream().mapToLong(RowGroupData::rows).sum();
                        assertEquals(pf.rows(), rows, name);
                    }
                    continue;
                }
                try (Arena arena = Arena.ofConfined()) {
                    pf.readAll(List.of(name), DecodeTarget.arena(arena));
                    fail(file + ": out-of-scope column '" + name + "' (" + col.get("kind").asText() + ") was read");
                } catch (UnsupportedParquetException e) {
                    assertTrue(e.getMessage().contains("'" + name + "'") && e.getMessage().contains("not supported"),
                            e.getMessage());
                    unsupportedAsExpected.incrementAndGet();
                }
            }
        } catch (UnsupportedParquetException e) {
            // a whole-file feature (none in this corpus today) also counts as refused
            assertTrue(allOut, "unexpected: " + e.getMessage());
            unsupportedAsExpected.incrementAndGet();
        }
    }

    /** Reads the expected columns and compares values (row by row) and checksums, in both read modes. */
    static void checkExpected(Path dir, Path file, Path expectedBase, ReadOptions options) throws Exception {
        Path checksumsFile = Path.of(expectedBase + ".checksums.json");
        Path jsonl = Path.of(expectedBase + ".jsonl");
        JsonNode checksums = JSON.readTree(checksumsFile.toFile());
        List<String> columns = new ArrayList<>();
        for (JsonNode c : checksums.get("columns")) {
            columns.add(c.get("name").asText());
        }
        boolean malformedNulls = file.getFileName().toString().equals("duck_malformed_null_array_levels_snappy.parquet");
        try (ParquetFile pf = ParquetFile.open(file, options); Arena arena = Arena.ofConfined()) {
            assertEquals(options.ioEngine(), pf.ioEngine(), file + " is read with the engine asked for");
            List<RowGroupData> groups;
            try {
                groups = pf.readAll(columns, DecodeTarget.arena(arena));
            } catch (ParquetCorruptionException e) {
                if (malformedNulls) {
                    // allowed by the corpus README: refuse the column with a corruption error naming it
                    assertTrue(columns.stream().anyMatch(c -> e.getMessage().contains("'" + c + "'")), e.getMessage());
                    failedAsExpected.incrementAndGet();
                    return;
                }
                throw e;
            }
            // values, row by row
            try (BufferedReader in = Files.newBufferedReader(jsonl)) {
                long row = 0;
                for (RowGroupData g : groups) {
                    for (long r = 0; r < g.rows(); r++, row++) {
                        String line = in.readLine();
                        assertTrue(line != null, file + ": more rows than expected (" + row + ")");
                        JsonNode want = JSON.readTree(line);
                        for (String c : columns) {
                            StringBuilder sb = new StringBuilder();
                            JsonFormat.appendValue(sb, g.column(c), r);
                            JsonNode got = JSON.readTree(sb.toString());
                            var vt = g.column(c).type().valueType();
                            boolean float32 = vt == io.inlay.engine.vector.ValueType.FLOAT32
                                    || vt == io.inlay.engine.vector.ValueType.FLOAT16;
                            if (!same(want.get(c), got, float32)) {
                                fail(file + ": column '" + c + "' row " + row + ": expected " + want.get(c) + ", got " + got);
                            }
                        }
                    }
                }
                assertEquals(null, in.readLine(), file + ": fewer rows than expected (" + row + ")");
                valuesMatched.addAndGet((int) row);
            }
            // checksums
            for (JsonNode c : checksums.get("columns")) {
                String name = c.get("name").asText();
                ColumnDescriptor d = pf.schema().column(name).orElseThrow();
                Checksums sums = new Checksums(leafPhysical(pf, d), d.type());
                for (RowGroupData g : groups) {
                    ColumnVector v = g.column(name);
                    for (long r = 0; r < v.length(); r++) {
                        sums.add(v, r);
                    }
                }
                for (Map.Entry<String, String> e : sums.figures().entrySet()) {
                    JsonNode want = c.get(e.getKey());
                    if (want != null && !want.isNull()) {
                        assertEquals(want.asText(), e.getValue(), file + ": column '" + name + "' checksum " + e.getKey());
                    }
                }
                columnsMatched.incrementAndGet();
            }
            // the row-group mode decodes the same values
            try (RowGroupReader reader = pf.rowGroups(columns)) {
                int gi = 0;
                while (reader.hasNext()) {
                    RowGroupData g = reader.next();
                    RowGroupData d = groups.get(gi++);
                    for (String c : columns) {
                        for (long r = 0; r < g.rows(); r++) {
                            StringBuilder a = new StringBuilder();
                            StringBuilder b = new StringBuilder();
                            JsonFormat.appendValue(a, g.column(c), r);
                            JsonFormat.appendValue(b, d.column(c), r);
                            assertEquals(b.toString(), a.toString(), file + ": row_group mode differs, column " + c + " row " + r);
                        }
                    }
                }
            }
        }
        filesMatched.incrementAndGet();
    }

    /**
     * JSON equality where numbers compare by value: integers exactly, others as the column's float
     * type (float32 or double, bit for bit, -0.0 apart from 0.0). The corpus renders floats with
     * Java's shortest digits except in a few places ({@code 5E-324} for {@code 4.9E-324},
     * {@code 1E-45} for {@code 1.4E-45}): the value, not its spelling, is what is checked.
     */
    static boolean same(JsonNode want, JsonNode got, boolean float32) {
        if (want == null || got == null) {
            return want == got;
        }
        if (want.isNumber() && got.isNumber()) {
            if (want.isIntegralNumber() && got.isIntegralNumber()) {
                return want.bigIntegerValue().equals(got.bigIntegerValue());
            }
            return float32
                    ? Float.compare(Float.parseFloat(want.asText()), Float.parseFloat(got.asText())) == 0
                    : Double.compare(Double.parseDouble(want.asText()), Double.parseDouble(got.asText())) == 0;
        }
        if (want.isArray() && got.isArray()) {
            if (want.size() != got.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!same(want.get(i), got.get(i), float32)) {
                    return false;
                }
            }
            return true;
        }
        return want.equals(got);
    }

    private static String leafPhysical(ParquetFile pf, ColumnDescriptor d) {
        return pf.metadata().rowGroups().isEmpty() ? d.physicalType()
                : pf.metadata().rowGroups().get(0).columns().get(d.firstLeaf()).physicalType();
    }
}
