package io.inlay.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.testing.GeneratedFiles;
import io.inlay.engine.write.PageVersion;
import io.inlay.engine.write.ParquetWriter;
import io.inlay.engine.write.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated datasets read back by parquet-java and DuckDB with the values the generator says it
 * wrote, for every dtype and codec, both page versions and the encoding options; DLIO's layout;
 * Hive partitioning; byte-identical files whatever the threads and ranks; re-runs that skip, repair
 * and clean up.
 */
class DatasetGeneratorTest {
    static final List<ColumnSpec> ALL_DTYPES = List.of(
            new ColumnSpec("f32", DType.FLOAT32, 1),
            new ColumnSpec("f32_vec", DType.FLOAT32, 64),
            new ColumnSpec("f64", DType.FLOAT64, 1),
            new ColumnSpec("f64_vec", DType.FLOAT64, 8),
            new ColumnSpec("f16", DType.FLOAT16, 1),
            new ColumnSpec("f16_vec", DType.FLOAT16, 3),
            new ColumnSpec("i8", DType.INT8, 1),
            new ColumnSpec("i8_vec", DType.INT8, 5),
            new ColumnSpec("text", DType.STRING, 1),
            new ColumnSpec("texts", DType.STRING, 2),
            new ColumnSpec("blob", DType.BINARY, 32),
            new ColumnSpec("flag", DType.BOOL, 1),
            new ColumnSpec("flags", DType.BOOL, 9),
            new ColumnSpec("vec", DType.LIST, 16),
            new ColumnSpec("sample", DType.BLOB, 3000));

    @TempDir
    Path dir;

    static DatasetSpec.Builder allDtypes(Path folder) {
        return DatasetSpec.builder(folder).numFilesTrain(2).numFilesEval(1).numSamplesPerFile(2500).rowGroupSize(1000)
                .columns(ALL_DTYPES);
    }

    static Stream<Arguments> codecs() {
        WriterOptions w = WriterOptions.defaults().withTargetPageBytes(8 << 10);
        return Stream.of(
                Arguments.of(CompressionCodec.UNCOMPRESSED, w),
                Arguments.of(CompressionCodec.SNAPPY, w.withPageVersion(PageVersion.V2)),
                Arguments.of(CompressionCodec.GZIP, w.withDictionary(true)),
                Arguments.of(CompressionCodec.ZSTD, w.withPageVersion(PageVersion.V2).withByteStreamSplit(true).withDictionary(true)),
                Arguments.of(CompressionCodec.LZ4_RAW, w.withByteStreamSplit(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void everyDtype_everyCodec_readsBackAsWritten(CompressionCodec codec, WriterOptions writer) throws Exception {
        DatasetSpec spec = allDtypes(dir).compression(codec).build();
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults().withWriter(writer));
        assertEquals(3, r.filesWritten());
        assertEquals(0, r.filesSkipped());
        assertEquals(3 * 2500, r.rowsWritten());
        try (DuckDb db = new DuckDb()) {
            for (FileResult f : r.files()) {
                GeneratedFiles.verify(f, ALL_DTYPES, ALL_DTYPES, 1000, db);
                Object[] meta = db.query("SELECT DISTINCT compression FROM parquet_metadata(" + DuckDb.literal(f.path()) + ")").get(0);
                assertEquals(codec.name(), meta[0].toString().toUpperCase(java.util.Locale.ROOT), "the configured codec reaches the file");
            }
        }
        Map<String, String> kv = GeneratedFiles.keyValue(r.files().get(0).path());
        assertTrue(kv.get(DatasetGenerator.CONFIG_KEY).contains("\"compression\":\"" + codec.configName() + "\""), kv.toString());
        assertTrue(kv.get(DatasetGenerator.CONFIG_KEY).contains("\"seed\":42"), kv.toString());
    }

    @Test
    void schema_isWhatPyarrowWrites_andReadersSeeTheTypes() throws Exception {
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(1).numSamplesPerFile(2000).columns(List.of(
                new ColumnSpec("f32", DType.FLOAT32, 1), new ColumnSpec("vec", DType.FLOAT32, 4), new ColumnSpec("f16", DType.FLOAT16, 1),
                new ColumnSpec("i8", DType.INT8, 1), new ColumnSpec("text", DType.STRING, 1), new ColumnSpec("blob", DType.BINARY, 8),
                new ColumnSpec("flag", DType.BOOL, 1), new ColumnSpec("l", DType.LIST, 1))).build();
        Path file = DatasetGenerator.generate(spec, GenerateOptions.defaults()).files().get(0).path();
        String schema = io.inlay.engine.testing.ParquetJava.read(file).footer().getFileMetaData().getSchema().toString();
        String expected = """
                message schema {
                  optional float f32;
                  optional group vec (LIST) {
                    repeated group list {
                      optional float element;
                    }
                  }
                  optional fixed_len_byte_array(2) f16 (FLOAT16);
                  optional int32 i8 (INTEGER(8,true));
                  optional binary text (STRING);
                  optional binary blob;
                  optional boolean flag;
                  optional group l (LIST) {
                    repeated group list {
                      optional float element;
                    }
                  }
                }
                """;
        // parquet-java prints the column order where it differs from its default (floats)
        assertTrue(schema.contains("f32 columnorder(TYPE_DEFINED_ORDER)"), schema);
        assertEquals(expected, schema.replace(" columnorder(TYPE_DEFINED_ORDER)", ""));
        try (DuckDb db = new DuckDb()) {
            List<String> types = db.query("SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet(" + DuckDb.literal(file) + "))")
                    .stream().map(r -> r[0].toString()).toList();
            assertEquals(List.of("FLOAT", "FLOAT[]", "FLOAT", "TINYINT", "VARCHAR", "BLOB", "BOOLEAN", "FLOAT[]"), types);
            Object[] text = db.query("SELECT min(strlen(text)), max(strlen(text)), count(DISTINCT strlen(text)), count(DISTINCT text),"
                    + " min(len(vec)), max(len(vec)), min(len(l)) FROM read_parquet(" + DuckDb.literal(file) + ")").get(0);
            assertTrue(((Number) text[0]).intValue() >= ValueSources.MIN_STRING && ((Number) text[1]).intValue() <= ValueSources.MAX_STRING);
            assertTrue(((Number) text[2]).intValue() > 60, "string lengths vary: " + text[2]);
            assertEquals(2000L, ((Number) text[3]).longValue(), "strings differ");
            assertEquals(4, ((Number) text[4]).intValue(), "fixed-length vectors");
            assertEquals(4, ((Number) text[5]).intValue());
            assertEquals(1, ((Number) text[6]).intValue(), "a list of size 1 is still a list");
        }
    }

    @Test
    void strings_areWordsThroughout_evenWhereAPageOutgrowsItsEstimate() throws Exception {
        // a page's strings are sized by their mean length first; pages longer than that grow their buffer mid-page
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(1).numSamplesPerFile(50_000).columns(List.of(
                new ColumnSpec("text", DType.STRING, 1))).build();
        Path file = DatasetGenerator.generate(spec, GenerateOptions.defaults()).files().get(0).path();
        try (DuckDb db = new DuckDb()) {
            Object bad = db.scalar("SELECT count(*) FROM read_parquet(" + DuckDb.literal(file)
                    + ") WHERE NOT regexp_full_match(text, '[a-z ]+')");
            assertEquals(0L, ((Number) bad).longValue(), "strings hold only letters and spaces");
        }
    }

    @Test
    void dlioLayout_paddedNames_subfolders_validSplit() throws Exception {
        DatasetSpec spec = DatasetSpec.builder(dir.resolve("data")).numFilesTrain(12).numFilesEval(3).numSubfoldersTrain(3)
                .numSamplesPerFile(3).filePrefix("sample").columns(List.of(new ColumnSpec("x", DType.FLOAT32, 2))).build();
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults().withThreads(2));
        assertEquals(15, r.filesWritten());
        assertTrue(Files.isRegularFile(dir.resolve("data/train/0/sample_00_of_12.parquet")));
        assertTrue(Files.isRegularFile(dir.resolve("data/train/1/sample_01_of_12.parquet")));
        assertTrue(Files.isRegularFile(dir.resolve("data/train/2/sample_11_of_12.parquet")));
        assertTrue(Files.isRegularFile(dir.resolve("data/valid/sample_2_of_3.parquet")));
        assertEquals(dir.resolve("data/train/0/sample_09_of_12.parquet"), r.files().get(9).path());
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(15, all.filter(Files::isRegularFile).count());
        }
        try (DuckDb db = new DuckDb()) {
            assertEquals(36L, db.scalar("SELECT count(*) FROM read_parquet(" + DuckDb.literal(dir.resolve("data/train")) + " || '/*/*.parquet')"));
        }
    }

    @Test
    void partitionedByBool_hiveReadRestoresTheColumn() throws Exception {
        List<ColumnSpec> cols = List.of(new ColumnSpec("features", DType.FLOAT32, 16), new ColumnSpec("flag", DType.BOOL, 1),
                new ColumnSpec("text", DType.STRING, 1));
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(2).numSamplesPerFile(5000).rowGroupSize(1000)
                .compression(CompressionCodec.ZSTD).columns(cols).partitionBy("flag").build();
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
        assertEquals(4, r.filesWritten());
        assertEquals(10_000, r.rowsWritten());
        assertTrue(Files.isRegularFile(dir.resolve("train/flag=true/img_0_of_2.parquet")));
        assertTrue(Files.isRegularFile(dir.resolve("train/flag=false/img_1_of_2.parquet")));
        List<ColumnSpec> stored = spec.storedColumns();
        long trues = 0;
        try (DuckDb db = new DuckDb()) {
            for (FileResult f : r.files()) {
                GeneratedFiles.verify(f, stored, cols, 1000, db);
                assertEquals(f.rows(), f.checksums().get(1).values());
                trues += (long) f.checksums().get(1).sum();
                assertTrue(f.rows() > 2000 && f.rows() < 3000, "about half the rows: " + f.rows());
            }
            String glob = DuckDb.literal(dir.resolve("train")) + " || '/*/*.parquet'";
            // DuckDB restores a Hive column as text unless told its type
            List<Object[]> asText = db.query("SELECT flag, count(*) FROM read_parquet(" + glob
                    + ", hive_partitioning = true) GROUP BY flag ORDER BY flag");
            assertEquals(List.of("false", "true"), asText.stream().map(x -> x[0]).toList());
            List<Object[]> byValue = db.query("SELECT flag, count(*) FROM read_parquet(" + glob
                    + ", hive_partitioning = true, hive_types = {'flag': BOOLEAN}) GROUP BY flag ORDER BY flag");
            assertEquals(Boolean.FALSE, byValue.get(0)[0]);
            assertEquals(10_000 - trues, ((Number) byValue.get(0)[1]).longValue());
            assertEquals(Boolean.TRUE, byValue.get(1)[0]);
            assertEquals(trues, ((Number) byValue.get(1)[1]).longValue());
        }
    }

    @Test
    void partitionedByInt8_onePartPerValuePresent() throws Exception {
        List<ColumnSpec> cols = List.of(new ColumnSpec("bucket", DType.INT8, 1), new ColumnSpec("x", DType.FLOAT64, 1));
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(1).numSamplesPerFile(3000).columns(cols)
                .partitionBy("bucket").build();
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
        assertTrue(r.filesWritten() > 200 && r.filesWritten() <= 256, "about every int8 value: " + r.filesWritten());
        assertEquals(3000, r.rowsWritten());
        try (DuckDb db = new DuckDb()) {
            List<Object[]> rows = db.query("SELECT bucket, count(*), sum(x) FROM read_parquet(" + DuckDb.literal(dir.resolve("train"))
                    + " || '/*/*.parquet', hive_partitioning = true) GROUP BY bucket");
            assertEquals(r.filesWritten(), rows.size());
            Map<Long, Long> counts = new TreeMap<>();
            for (Object[] row : rows) {
                counts.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
            }
            for (FileResult f : r.files()) {
                assertEquals(f.rows(), counts.get(Long.parseLong(f.partitionValue())), f.path().toString());
                assertEquals(Long.parseLong(f.partitionValue()) * f.rows(), (long) f.checksums().get(0).sum());
            }
        }
    }

    @Test
    void sameSeed_byteIdenticalFiles_whateverThreadsAndRanks() throws Exception {
        DatasetSpec.Builder b = allDtypes(dir).numFilesTrain(5).numFilesEval(2).numSamplesPerFile(700).compression(CompressionCodec.SNAPPY);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        Path ranks = dir.resolve("ranks");
        DatasetGenerator.generate(b.dataFolder(one).build(), GenerateOptions.defaults().withThreads(1));
        DatasetGenerator.generate(b.dataFolder(two).build(), GenerateOptions.defaults().withThreads(2));
        GenerateResult r0 = DatasetGenerator.generate(b.dataFolder(ranks).build(), GenerateOptions.defaults().withRank(0, 2));
        GenerateResult r1 = DatasetGenerator.generate(b.dataFolder(ranks).build(), GenerateOptions.defaults().withThreads(2).withRank(1, 2));
        assertEquals(List.of(0, 2, 4, 0), r0.files().stream().map(FileResult::index).toList(), "rank 0 of 2 writes files 0, 2, 4");
        assertEquals(List.of(1, 3, 1), r1.files().stream().map(FileResult::index).toList());
        Map<Path, byte[]> reference = contents(one);
        assertEquals(7, reference.size());
        for (Path other : List.of(two, ranks)) {
            Map<Path, byte[]> files = contents(other);
            assertEquals(reference.keySet(), files.keySet());
            for (Path p : reference.keySet()) {
                assertArrayEquals(reference.get(p), files.get(p), other + "/" + p);
            }
        }
        Path seeded = dir.resolve("seeded");
        DatasetGenerator.generate(b.dataFolder(seeded).build(), GenerateOptions.defaults().withSeed(7));
        Path p = Path.of("train/img_0_of_5.parquet");
        assertFalse(java.util.Arrays.equals(reference.get(p), Files.readAllBytes(seeded.resolve(p))), "another seed, other values");
        assertNotEquals(Files.readAllBytes(one.resolve("train/img_0_of_5.parquet")).length, 0);
    }

    private static Map<Path, byte[]> contents(Path root) throws Exception {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void rerun_keepsVerifiedFiles_rewritesBrokenOnes_deletesTemporaryFiles() throws Exception {
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(4).numSamplesPerFile(100)
                .columns(List.of(new ColumnSpec("x", DType.FLOAT32, 8))).build();
        DatasetGenerator.generate(spec, GenerateOptions.defaults());
        Path broken = dir.resolve("train/img_2_of_4.parquet");
        byte[] good = Files.readAllBytes(broken);
        Files.write(broken, java.util.Arrays.copyOf(good, good.length / 2));
        Path stale = dir.resolve("train/.img_1_of_4.parquet.12345-1.inlay-tmp");
        Files.write(stale, new byte[] {1, 2, 3});
        assertEquals(List.of(stale), ParquetWriter.staleTempFiles(dir.resolve("train/img_1_of_4.parquet")));

        GenerateResult again = DatasetGenerator.generate(spec, GenerateOptions.defaults());
        assertEquals(1, again.filesWritten());
        assertEquals(3, again.filesSkipped());
        assertArrayEquals(good, Files.readAllBytes(broken), "the broken file is written again, identically");
        assertFalse(Files.exists(stale), "temporary files of killed runs are removed");

        DatasetSpec moreRows = DatasetSpec.builder(dir).numFilesTrain(4).numSamplesPerFile(101)
                .columns(List.of(new ColumnSpec("x", DType.FLOAT32, 8))).build();
        assertEquals(4, DatasetGenerator.generate(moreRows, GenerateOptions.defaults()).filesWritten(), "row count differs: rewritten");
        assertEquals(4, DatasetGenerator.generate(moreRows, GenerateOptions.defaults().withOverwrite(true)).filesWritten());
        assertEquals(4, DatasetGenerator.generate(moreRows, GenerateOptions.defaults()).filesSkipped());
        try (Stream<Path> s = Files.walk(dir)) {
            assertEquals(4, s.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void defaultSchema_oneBlobColumn_samplesOfEachFilesDrawnLength() throws Exception {
        // 3 MiB samples, stdev 1 MiB: each file's samples have the length drawn for the file, as DLIO's generators
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(4).numFilesEval(1).numSamplesPerFile(2)
                .recordLengthBytes(3 << 20).recordLengthBytesStdev(1 << 20).build();
        assertTrue(spec.defaultSchema());
        assertEquals(List.of(new ColumnSpec("data", DType.BLOB, 1773 * 1773)), spec.columns(), "floor(sqrt(3 MiB))^2");
        assertEquals(42, spec.rowGroupSize(), "128 MiB of samples per row group");
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
        java.util.Set<Long> lengths = new java.util.HashSet<>();
        for (FileResult f : r.files()) {
            long want = spec.sampleLength(GenerateOptions.DEFAULT_SEED, f.split(), f.index());
            lengths.add(want);
            List<Object> rows = io.inlay.engine.testing.ParquetJava.read(f.path()).columns().get("data");
            assertEquals(2, rows.size());
            for (Object row : rows) {
                long n = 0;
                for (Object chunk : (List<?>) row) {
                    assertTrue(((byte[]) chunk).length <= ColumnSpec.BLOB_CHUNK);
                    n += ((byte[]) chunk).length;
                }
                assertEquals(want, n, f.path().toString());
            }
        }
        assertEquals(5, lengths.size(), "every file draws its own length: " + lengths);
        // the same seed, the same lengths; another seed, others
        assertEquals(spec.sampleLength(7, Split.TRAIN, 3), spec.sampleLength(7, Split.TRAIN, 3));
        assertNotEquals(spec.sampleLength(7, Split.TRAIN, 3), spec.sampleLength(8, Split.TRAIN, 3));
        // the footer records what the lengths depend on
        String config = GeneratedFiles.keyValue(r.files().get(0).path()).get(DatasetGenerator.CONFIG_KEY);
        assertTrue(config.contains("\"record_length_bytes\":3145728.0,\"record_length_bytes_stdev\":1048576.0"), config);
    }

    @Test
    void sampleLengths_followDliosDistribution() {
        // DLIO: sides ~ N(floor(sqrt(L)), stdev / 2 / sqrt(L)), truncated, at least 1; the sample is their product
        double l = 146_600_628;
        double stdev = 68_341_808;
        long d = SampleSizes.dimension(l);
        assertEquals(12_107, d);
        assertEquals(12_107L * 12_107, SampleSizes.of(l, 0, 1, Split.TRAIN, 0), "no stdev: d x d");
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long s = SampleSizes.of(l, stdev, 42, Split.TRAIN, i);
            sum += s;
            sumSq += (double) s * s;
            min = Math.min(min, s);
            assertTrue(s >= 1 && s <= ColumnSpec.MAX_BLOB_SIZE);
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        // E[d1 d2] = d^2; sd of the product of two N(d, s) sides: sqrt(2 d^2 s^2 + s^4)
        double s = stdev / 2 / Math.sqrt(l);
        assertEquals(d * (double) d, mean, 0.02 * d * d, "mean sample length");
        assertEquals(Math.sqrt(2 * d * d * s * s + s * s * s * s), sd, 0.03 * sd, "spread of sample lengths");
        // a spread wider than the mean clips sides to 1: lengths never go below 1
        for (int i = 0; i < 2_000; i++) {
            assertTrue(SampleSizes.of(100, 1e6, 3, Split.EVAL, i) >= 1);
        }
        assertEquals(1, java.util.stream.IntStream.range(0, 2_000).mapToLong(i -> SampleSizes.of(100, 1e6, 3, Split.EVAL, i)).min()
                .orElseThrow(), "clipped to at least 1");
        // resnet50's 114660.07: 338 x 338, as DLIO's generators write it
        assertEquals(338L * 338, SampleSizes.of(114_660.07, 0, 1, Split.TRAIN, 5));
    }

    @Test
    void badSpecs_nameTheKey() {
        DatasetSpec.Builder b = DatasetSpec.builder(dir).columns(List.of(new ColumnSpec("x", DType.FLOAT32, 4),
                new ColumnSpec("s", DType.STRING, 1)));
        assertMessage(b.numFilesTrain(-1), "dataset.num_files_train: -1 must be at least 0");
        b.numFilesTrain(1);
        assertMessage(b.numSamplesPerFile(0), "dataset.num_samples_per_file: 0 must be at least 1");
        b.numSamplesPerFile(1);
        assertMessage(b.partitionBy("x"), "cannot partition by column 'x' (float32 vector of 4)");
        assertMessage(b.partitionBy("s"), "cannot partition by column 's' (string)");
        assertMessage(b.partitionBy("nope"), "no column named 'nope' (columns: x, s)");
        b.partitionBy(null);
        assertMessage(b.compression(CompressionCodec.BROTLI), "dataset.compression: BROTLI cannot be written");
    }

    private static void assertMessage(DatasetSpec.Builder b, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
