package io.inlay.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.testing.Normalize;
import io.inlay.engine.testing.PageWalk;
import io.inlay.engine.testing.ParquetJava;
import io.inlay.engine.testing.StatsCheck;
import io.inlay.engine.testing.Vectors;
import io.inlay.engine.vector.ColumnChecksum;
import io.inlay.engine.vector.ColumnType;
import io.inlay.engine.vector.ColumnVector;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedding API: a file written from caller-held vectors of every dtype, scalar and list, with
 * null rows, empty lists and null elements, over many pages and row groups, reads back exactly in
 * parquet-java (CRCs verified) and DuckDB, under every codec, both page versions, dictionary and
 * BYTE_STREAM_SPLIT; checksums, statistics, CRCs and encodings are checked against what was written.
 */
class ParquetWriterTest {
    static final int ROWS = 1000;
    static final List<ColumnSpec> SCHEMA = List.of(
            new ColumnSpec("f32", DType.FLOAT32, 1),
            new ColumnSpec("f64", DType.FLOAT64, 1),
            new ColumnSpec("f16", DType.FLOAT16, 1),
            new ColumnSpec("i8", DType.INT8, 1),
            new ColumnSpec("flag", DType.BOOL, 1),
            new ColumnSpec("text", DType.STRING, 1),
            new ColumnSpec("blob", DType.BINARY, 5),
            new ColumnSpec("vec", DType.FLOAT32, 4),
            new ColumnSpec("f64v", DType.FLOAT64, 2),
            new ColumnSpec("f16v", DType.FLOAT16, 2),
            new ColumnSpec("i8v", DType.INT8, 3),
            new ColumnSpec("bools", DType.BOOL, 3),
            new ColumnSpec("words", DType.STRING, 3),
            new ColumnSpec("list", DType.LIST, 6));

    static Map<String, List<Object>> expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeData() {
        SplittableRandom r = new SplittableRandom(7);
        expected = new java.util.LinkedHashMap<>();
        for (ColumnSpec c : SCHEMA) {
            List<Object> rows = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                if (r.nextInt(10) == 0) {
                    rows.add(null);
                } else if (!c.isVector()) {
                    rows.add(value(c.elementType(), r));
                } else {
                    int len = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(c.size() * 2);
                    List<Object> l = new ArrayList<>();
                    for (int k = 0; k < len; k++) {
                        l.add(r.nextInt(7) == 0 ? null : value(c.elementType(), r));
                    }
                    rows.add(l);
                }
            }
            expected.put(c.name(), rows);
        }
    }

    private static Object value(DType t, SplittableRandom r) {
        return switch (t) {
            case FLOAT32, LIST -> (float) r.nextGaussian();
            case FLOAT64 -> r.nextDouble(-1e6, 1e6);
            case FLOAT16 -> Float.floatToFloat16((float) r.nextGaussian());
            case INT8 -> r.nextInt(256) - 128;
            case BOOL -> r.nextBoolean();
            // few distinct short values (dictionary-friendly), some multi-byte UTF-8
            case STRING -> List.of("alpha", "beta", "gamma", "délta", "日本語", "").get(r.nextInt(6)) + (r.nextInt(4) == 0 ? r.nextInt(50) : "");
            case BINARY, BLOB -> {
                byte[] b = new byte[5];
                r.nextBytes(b);
                yield b;
            }
        };
    }

    static Stream<Arguments> options() {
        WriterOptions base = WriterOptions.defaults().withTargetPageBytes(256).withRowGroupRows(300);
        return Stream.of(
                Arguments.of("v1 none", base),
                Arguments.of("v1 snappy dictionary", base.withCodec(CompressionCodec.SNAPPY).withDictionary(true)),
                Arguments.of("v2 zstd bss", base.withPageVersion(PageVersion.V2).withCodec(CompressionCodec.ZSTD, 9)
                        .withByteStreamSplit(true)),
                Arguments.of("v2 gzip dictionary bss", base.withPageVersion(PageVersion.V2).withCodec(CompressionCodec.GZIP)
                        .withDictionary(true).withByteStreamSplit(true)),
                Arguments.of("v1 lz4 1 MiB pages", base.withCodec(CompressionCodec.LZ4_RAW).withTargetPageBytes(1 << 20)),
                Arguments.of("v2 none dictionary", base.withPageVersion(PageVersion.V2).withDictionary(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void vectorsOfEveryType_readBackExactly(String name, WriterOptions options) throws Exception {
        Path file = dir.resolve("all.parquet");
        WrittenFile written;
        try (Arena arena = Arena.ofConfined();
                ParquetWriter w = ParquetWriter.create(file, SCHEMA, options.withKeyValueMetadata(Map.of("k", "v")))) {
            List<ColumnVector> vectors = new ArrayList<>();
            for (ColumnSpec c : SCHEMA) {
                ColumnType t = c.columnType();
                vectors.add(c.isVector() ? Vectors.lists(arena, t.valueType(), cast(expected.get(c.name())))
                        : Vectors.of(arena, t.valueType(), expected.get(c.name())));
            }
            w.write(vectors);
            written = w.finish();
        }
        assertEquals(ROWS, written.rows());
        assertEquals(4, written.rowGroups());
        assertEquals(Files.size(file), written.bytes());

        ParquetJava.Content read = ParquetJava.read(file);
        assertEquals(List.of(300L, 300L, 300L, 100L), read.rowGroupRows());
        assertEquals(ParquetWriter.createdBy(), read.footer().getFileMetaData().getCreatedBy());
        assertTrue(ParquetWriter.createdBy().matches("inlay version \\d+\\.\\d+\\.\\d+.*"), ParquetWriter.createdBy());
        assertEquals("v", read.footer().getFileMetaData().getKeyValueMetaData().get("k"));
        for (int i = 0; i < SCHEMA.size(); i++) {
            ColumnSpec c = SCHEMA.get(i);
            boolean half = c.elementType() == DType.FLOAT16;
            assertEquals(Normalize.value(expected.get(c.name()), half), Normalize.value(read.columns().get(c.name()), half),
                    c.name() + " read by parquet-java");
            ColumnChecksum ours = written.checksums().get(i);
            ColumnChecksum theirs = ParquetJava.checksum(c.name(), c.dtype(), read.columns().get(c.name()));
            assertEquals(theirs.values(), ours.values(), c.name() + " values");
            assertEquals(theirs.nulls(), ours.nulls(), c.name() + " nulls");
            assertEquals(theirs.hash(), ours.hash(), c.name() + " hash");
            assertEquals(theirs.sum(), ours.sum(), 1e-6 * Math.max(1, Math.abs(theirs.sum())), c.name() + " sum");
        }
        StatsCheck.assertMatch(read.footer(), SCHEMA, expected, 300);
        checkPages(PageWalk.assertCrcs(file), options);
        checkWithDuckDb(file);
    }

    @org.junit.jupiter.api.Test
    void dictionaryFull_fallsBackToPlainWithinTheChunk() throws Exception {
        List<Object> strings = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            strings.add(String.format("row %08d of the dictionary test", i));
        }
        Path file = dir.resolve("dict.parquet");
        try (Arena arena = Arena.ofConfined();
                ParquetWriter w = ParquetWriter.create(file, List.of(new ColumnSpec("s", DType.STRING, 1)),
                        WriterOptions.defaults().withDictionary(true).withTargetPageBytes(64 << 10))) {
            w.write(List.of(Vectors.of(arena, io.inlay.engine.vector.ValueType.STRING, strings)));
            w.finish();
        }
        List<PageType> types = new ArrayList<>();
        List<Encoding> encodings = new ArrayList<>();
        for (PageWalk.Page p : PageWalk.assertCrcs(file).pages()) {
            types.add(p.header().getType());
            encodings.add(p.header().isSetData_page_header() ? p.header().getData_page_header().getEncoding() : null);
        }
        assertEquals(PageType.DICTIONARY_PAGE, types.get(0), "the dictionary page comes first");
        int firstPlain = encodings.indexOf(Encoding.PLAIN);
        assertTrue(firstPlain > 1, "some pages use the dictionary: " + encodings);
        assertTrue(encodings.subList(1, firstPlain).stream().allMatch(e -> e == Encoding.RLE_DICTIONARY), encodings.toString());
        assertTrue(encodings.subList(firstPlain, encodings.size()).stream().allMatch(e -> e == Encoding.PLAIN), encodings.toString());
        assertEquals(strings, ParquetJava.read(file).columns().get("s"));
        try (DuckDb db = new DuckDb()) {
            assertEquals(40_000L, db.scalar("SELECT count(DISTINCT s) FROM read_parquet(" + DuckDb.literal(file) + ")"));
            assertEquals(strings.get(39_999), db.scalar("SELECT s FROM read_parquet(" + DuckDb.literal(file) + ") LIMIT 1 OFFSET 39999"));
        }
    }

    @org.junit.jupiter.api.Test
    void floatStatistics_leaveOutNaN_andWriteSignedZeros() throws Exception {
        Path file = dir.resolve("nan.parquet");
        List<ColumnSpec> schema = List.of(new ColumnSpec("f", DType.FLOAT32, 1), new ColumnSpec("d", DType.FLOAT64, 1),
                new ColumnSpec("z", DType.FLOAT32, 1), new ColumnSpec("n", DType.FLOAT32, 1));
        try (Arena arena = Arena.ofConfined(); ParquetWriter w = ParquetWriter.create(file, schema, WriterOptions.defaults())) {
            w.write(List.of(
                    Vectors.of(arena, io.inlay.engine.vector.ValueType.FLOAT32, java.util.Arrays.asList(Float.NaN, 2f, -3f, Float.NaN)),
                    Vectors.of(arena, io.inlay.engine.vector.ValueType.FLOAT64, java.util.Arrays.asList(Double.NaN, 1e300, -0.5, null)),
                    Vectors.of(arena, io.inlay.engine.vector.ValueType.FLOAT32, java.util.Arrays.asList(0f, 0f, 0f, 0f)),
                    Vectors.of(arena, io.inlay.engine.vector.ValueType.FLOAT32, java.util.Arrays.asList(Float.NaN, Float.NaN, null, null))));
            w.finish();
        }
        List<org.apache.parquet.format.ColumnChunk> chunks = PageWalk.walk(file).footer().getRow_groups().get(0).getColumns();
        java.util.function.IntFunction<org.apache.parquet.format.Statistics> st = i -> chunks.get(i).getMeta_data().getStatistics();
        assertEquals(-3f, ByteBufferFloat.of(st.apply(0).getMin_value()));
        assertEquals(2f, ByteBufferFloat.of(st.apply(0).getMax_value()));
        assertEquals(-0.5, ByteBufferFloat.ofDouble(st.apply(1).getMin_value()));
        assertEquals(1e300, ByteBufferFloat.ofDouble(st.apply(1).getMax_value()));
        assertEquals(1, st.apply(1).getNull_count());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ByteBufferFloat.of(st.apply(2).getMin_value())), "min +0 is written -0");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ByteBufferFloat.of(st.apply(2).getMax_value())));
        assertTrue(!st.apply(3).isSetMin_value() && !st.apply(3).isSetMax_value(), "only NaN: no min/max");
        assertEquals(2, st.apply(3).getNull_count());
        assertEquals(Arrays.asList(Float.NaN, 2f, -3f, Float.NaN), ParquetJava.read(file).columns().get("f"));
    }

    @org.junit.jupiter.api.Test
    void statisticsAndChecksumsOff_leaveThemOut() throws Exception {
        Path file = dir.resolve("plain.parquet");
        List<ColumnSpec> schema = List.of(new ColumnSpec("v", DType.FLOAT32, 3), new ColumnSpec("d", DType.FLOAT64, 1));
        WrittenFile f;
        try (Arena arena = Arena.ofConfined(); ParquetWriter w = ParquetWriter.create(file, schema,
                WriterOptions.defaults().withStatistics(false).withChecksums(false).withPageCrc(false))) {
            w.write(List.of(Vectors.lists(arena, io.inlay.engine.vector.ValueType.FLOAT32, List.of(List.of(1f, 2f, 3f))),
                    Vectors.of(arena, io.inlay.engine.vector.ValueType.FLOAT64, List.of(4.0))));
            f = w.finish();
        }
        assertEquals(List.of(), f.checksums());
        PageWalk.Result walk = PageWalk.walk(file);
        assertTrue(walk.footer().getRow_groups().get(0).getColumns().stream().noneMatch(c -> c.getMeta_data().isSetStatistics()));
        assertTrue(walk.pages().stream().noneMatch(PageWalk.Page::crcPresent));
        assertEquals(List.of(List.of(1f, 2f, 3f)), ParquetJava.read(file).columns().get("v"));
    }

    /** Decodes little-endian statistics values. */
    static final class ByteBufferFloat {
        static float of(byte[] b) {
            return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat();
        }

        static double ofDouble(byte[] b) {
            return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble();
        }
    }

    private static void checkPages(PageWalk.Result walk, WriterOptions options) {
        PageType dataPage = options.pageVersion() == PageVersion.V1 ? PageType.DATA_PAGE : PageType.DATA_PAGE_V2;
        for (PageWalk.Page p : walk.pages()) {
            if (p.header().getType() == PageType.DICTIONARY_PAGE) {
                assertTrue(options.dictionary(), "dictionary pages only with the option");
                continue;
            }
            assertEquals(dataPage, p.header().getType(), p.column());
            Encoding e = p.header().isSetData_page_header() ? p.header().getData_page_header().getEncoding()
                    : p.header().getData_page_header_v2().getEncoding();
            boolean floating = p.column().startsWith("f32") || p.column().startsWith("f64") || p.column().startsWith("vec")
                    || p.column().startsWith("list");
            if (options.byteStreamSplit() && floating) {
                assertEquals(Encoding.BYTE_STREAM_SPLIT, e, p.column());
            } else if ((p.column().equals("text") || p.column().startsWith("words")) && options.dictionary()) {
                // a few hundred distinct values: the whole chunk stays dictionary-encoded
                assertEquals(Encoding.RLE_DICTIONARY, e, p.column());
            } else {
                assertEquals(Encoding.PLAIN, e, p.column());
            }
        }
        if (options.dictionary()) {
            for (String column : List.of("text", "words.list.element")) {
                assertEquals(walk.footer().getRow_groups().size(), walk.pages().stream().filter(p -> p.column().equals(column)
                        && p.header().getType() == PageType.DICTIONARY_PAGE).count(), column + ": a dictionary page per chunk");
            }
        }
        if (options.pageVersion() == PageVersion.V2 && options.codec() != CompressionCodec.UNCOMPRESSED) {
            assertTrue(walk.pages().stream().filter(p -> p.header().isSetData_page_header_v2())
                    .allMatch(p -> p.header().getData_page_header_v2().isIs_compressed()
                            || p.header().getData_page_header_v2().getNum_values() == p.header().getData_page_header_v2().getNum_nulls()));
        }
    }

    private static void checkWithDuckDb(Path file) throws Exception {
        try (DuckDb db = new DuckDb()) {
            StringBuilder cols = new StringBuilder();
            for (ColumnSpec c : SCHEMA) {
                cols.append(cols.isEmpty() ? "" : ", ").append(c.name());
            }
            List<Object[]> rows = db.query("SELECT " + cols + " FROM read_parquet(" + DuckDb.literal(file) + ")");
            assertEquals(ROWS, rows.size());
            for (int i = 0; i < SCHEMA.size(); i++) {
                ColumnSpec c = SCHEMA.get(i);
                List<Object> got = new ArrayList<>();
                for (Object[] row : rows) {
                    got.add(Normalize.jdbc(row[i]));
                }
                assertEquals(Normalize.value(expected.get(c.name()), c.elementType() == DType.FLOAT16), got,
                        c.name() + " read by DuckDB");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<? extends List<?>> cast(List<Object> rows) {
        return (List<? extends List<?>>) (List<?>) rows;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
