package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.FileResult;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateResult;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.vector.ColumnChecksum;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.JsonFormat;
import io.inlay.engine.vector.MappedValues;
import io.inlay.engine.vector.ValueHasher;
import io.inlay.engine.vector.ValueType;
import io.inlay.engine.write.PageVersion;
import io.inlay.engine.write.ParquetWriter;
import io.inlay.engine.write.WriterOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files from Inlay's writer read back exactly by Inlay's reader: generated datasets of every dtype
 * for every codec, both page versions and the encoding options (compared with the checksums the
 * writer computed as it wrote), and files written from vectors with nulls, null and empty lists and
 * null elements (compared value by value), in both read modes and through zero-copy.
 */
class WriterRoundTripTest {
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final List<ColumnSpec> ALL = List.of(
            new ColumnSpec("f32", DType.FLOAT32, 1), new ColumnSpec("f32_vec", DType.FLOAT32, 64),
            new ColumnSpec("f64", DType.FLOAT64, 1), new ColumnSpec("f64_vec", DType.FLOAT64, 8),
            new ColumnSpec("f16", DType.FLOAT16, 1), new ColumnSpec("f16_vec", DType.FLOAT16, 3),
            new ColumnSpec("i8", DType.INT8, 1), new ColumnSpec("i8_vec", DType.INT8, 5),
            new ColumnSpec("text", DType.STRING, 1), new ColumnSpec("texts", DType.STRING, 2),
            new ColumnSpec("blob", DType.BINARY, 32), new ColumnSpec("flag", DType.BOOL, 1),
            new ColumnSpec("flags", DType.BOOL, 9), new ColumnSpec("vec", DType.LIST, 16));

    @TempDir
    Path dir;

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (CompressionCodec codec : List.of(CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY, CompressionCodec.GZIP,
                CompressionCodec.ZSTD, CompressionCodec.LZ4_RAW)) {
            for (PageVersion v : PageVersion.values()) {
                WriterOptions w = WriterOptions.defaults().withTargetPageBytes(16 << 10).withPageVersion(v);
                out.add(Arguments.of(codec, v, "plain", w));
                out.add(Arguments.of(codec, v, "dictionary+bss", w.withDictionary(true).withByteStreamSplit(true)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("variants")
    void generatedDataset_everyDtype_readsBackToTheWritersChecksums(CompressionCodec codec, PageVersion version, String enc,
            WriterOptions writer) throws Exception {
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(2).numSamplesPerFile(1200).rowGroupSize(500).columns(ALL)
                .compression(codec).build();
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults().withWriter(writer));
        for (FileResult f : r.files()) {
            try (ParquetFile pf = ParquetFile.open(f.path()); Arena arena = Arena.ofConfined()) {
                pf.validate(ALL);
                assertEquals(f.rows(), pf.rows());
                List<RowGroupData> groups = pf.readAll(ALL.stream().map(ColumnSpec::name).toList(), DecodeTarget.arena(arena));
                for (int c = 0; c < ALL.size(); c++) {
                    ColumnSpec spec1 = ALL.get(c);
                    ColumnChecksum want = f.checksums().get(c);
                    ColumnChecksum got = checksum(spec1, groups);
                    assertEquals(want.values(), got.values(), f.path() + " " + spec1.name() + " values");
                    assertEquals(want.nulls(), got.nulls(), f.path() + " " + spec1.name() + " nulls");
                    assertEquals(Long.toHexString(want.hash()), Long.toHexString(got.hash()), f.path() + " " + spec1.name() + " hash");
                    assertEquals(want.sum(), got.sum(), Math.abs(want.sum()) * 1e-9 + 1e-9, f.path() + " " + spec1.name() + " sum");
                }
                // the row-group mode gives the same values
                try (RowGroupReader reader = pf.rowGroups(ALL.stream().map(ColumnSpec::name).toList())) {
                    for (RowGroupData g : groups) {
                        RowGroupData again = reader.read(g.rowGroup());
                        for (ColumnSpec s : ALL) {
                            assertEquals(render(g.column(s.name())), render(again.column(s.name())), s.name());
                        }
                    }
                }
                if (codec == CompressionCodec.UNCOMPRESSED && enc.equals("plain")) {
                    // zero-copy: the mapped pages hold exactly the decoded floats
                    for (RowGroupData g : groups) {
                        MappedValues m = pf.mappedValues("f32_vec", g.rowGroup());
                        ColumnVector child = g.column("f32_vec").child();
                        assertEquals(child.length(), m.valueCount());
                        long i = 0;
                        for (MemorySegment page : m.pages()) {
                            for (long k = 0; k < page.byteSize() / 4; k++, i++) {
                                assertEquals(Float.floatToRawIntBits(child.getFloat(i)), Float.floatToRawIntBits(page.get(LE_FLOAT, 4 * k)));
                            }
                        }
                    }
                }
            }
        }
    }

    /** The writer's checksum, recomputed from decoded vectors (see {@link ColumnChecksum}). */
    static ColumnChecksum checksum(ColumnSpec spec, List<RowGroupData> groups) {
        ValueHasher h = new ValueHasher();
        long values = 0;
        long nulls = 0;
        double sum = 0;
        for (RowGroupData g : groups) {
            ColumnVector v = g.column(spec.name());
            for (long r = 0; r < v.length(); r++) {
                if (v.isNull(r)) {
                    nulls++;
                    continue;
                }
                ColumnVector items = v.type().list() ? v.child() : v;
                long a = v.type().list() ? v.offset(r) : r;
                long b = v.type().list() ? v.offset(r + 1) : r + 1;
                if (v.type().list() && a == b) {
                    nulls++;
                }
                for (long i = a; i < b; i++) {
                    if (items.isNull(i)) {
                        nulls++;
                        continue;
                    }
                    values++;
                    switch (items.type().valueType()) {
                        case FLOAT32 -> {
                            h.addFloat(items.getFloat(i));
                            sum += items.getFloat(i);
                        }
                        case FLOAT64 -> {
                            h.addDouble(items.getDouble(i));
                            sum += items.getDouble(i);
                        }
                        case FLOAT16 -> {
                            h.addShortLE(items.getFloat16Bits(i));
                            sum += Float.float16ToFloat(items.getFloat16Bits(i));
                        }
                        case INT8 -> {
                            h.addByte((int) items.getLong(i));
                            sum += items.getLong(i);
                        }
                        case BOOL -> {
                            h.addByte(items.getBoolean(i) ? 1 : 0);
                            sum += items.getBoolean(i) ? 1 : 0;
                        }
                        case STRING, BINARY -> {
                            MemorySegment bytes = items.getBytes(i);
                            h.addIntLE((int) bytes.byteSize());
                            h.addBytes(bytes, 0, bytes.byteSize());
                            sum += bytes.byteSize();
                        }
                        default -> throw new IllegalStateException(items.type().toString());
                    }
                }
            }
        }
        return new ColumnChecksum(spec.name(), values, nulls, sum, h.value());
    }

    static List<String> render(ColumnVector v) {
        List<String> out = new ArrayList<>();
        for (long r = 0; r < v.length(); r++) {
            StringBuilder sb = new StringBuilder();
            JsonFormat.appendValue(sb, v, r);
            out.add(sb.toString());
        }
        return out;
    }

    // ---- vectors with nulls, written with ParquetWriter ----

    static Stream<Arguments> writerVariants() {
        return variants().filter(a -> a.get()[2].equals("plain") || a.get()[0] == CompressionCodec.ZSTD);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("writerVariants")
    void vectorsWithNulls_writtenAndReadBackValueByValue(CompressionCodec codec, PageVersion version, String enc,
            WriterOptions writer) throws Exception {
        int rows = 3000;
        List<ColumnSpec> specs = List.of(new ColumnSpec("x", DType.FLOAT32, 1), new ColumnSpec("d", DType.FLOAT64, 1),
                new ColumnSpec("s", DType.STRING, 1), new ColumnSpec("b", DType.BOOL, 1), new ColumnSpec("h", DType.FLOAT16, 1),
                new ColumnSpec("i", DType.INT8, 1), new ColumnSpec("l", DType.FLOAT32, 4));
        Path file = dir.resolve("nulls.parquet");
        try (Arena arena = Arena.ofConfined()) {
            List<ColumnVector> vectors = vectorsWithNulls(arena, rows, new SplittableRandom(rows));
            try (ParquetWriter w = ParquetWriter.create(file, specs, writer.withCodec(codec).withRowGroupRows(1100))) {
                w.write(vectors);
                w.finish();
            }
            try (ParquetFile pf = ParquetFile.open(file); Arena out = Arena.ofConfined()) {
                List<RowGroupData> groups = pf.readAll(specs.stream().map(ColumnSpec::name).toList(), DecodeTarget.arena(out));
                for (int c = 0; c < specs.size(); c++) {
                    List<String> want = render(vectors.get(c));
                    List<String> got = new ArrayList<>();
                    for (RowGroupData g : groups) {
                        got.addAll(render(g.column(specs.get(c).name())));
                    }
                    assertEquals(want, got, specs.get(c).name());
                }
                pf.verify();
            }
        }
    }

    static MemorySegment validity(Arena arena, boolean[] nulls) {
        MemorySegment v = arena.allocate((nulls.length + 7) / 8);
        for (int i = 0; i < nulls.length; i++) {
            if (!nulls[i]) {
                v.set(ValueLayout.JAVA_BYTE, i >>> 3, (byte) (v.get(ValueLayout.JAVA_BYTE, i >>> 3) | (1 << (i & 7))));
            }
        }
        return v;
    }

    static List<ColumnVector> vectorsWithNulls(Arena arena, int rows, SplittableRandom r) {
        boolean[] nulls = new boolean[rows];
        int nullCount = 0;
        for (int i = 0; i < rows; i++) {
            nulls[i] = r.nextInt(5) == 0;
            nullCount += nulls[i] ? 1 : 0;
        }
        MemorySegment valid = validity(arena, nulls);
        MemorySegment f = arena.allocate(4L * rows);
        MemorySegment d = arena.allocate(8L * rows);
        MemorySegment h = arena.allocate(2L * rows);
        MemorySegment i8 = arena.allocate(rows);
        MemorySegment bits = arena.allocate((rows + 7) / 8);
        MemorySegment soff = arena.allocate(4L * (rows + 1));
        MemorySegment sdata = arena.allocate(16L * rows);
        int pos = 0;
        for (int i = 0; i < rows; i++) {
            soff.set(LE_INT, 4L * i, pos);
            if (nulls[i]) {
                continue;
            }
            f.set(LE_FLOAT, 4L * i, r.nextInt(3) == 0 ? Float.NaN : (float) r.nextGaussian());
            d.set(LE_DOUBLE, 8L * i, r.nextDouble());
            h.set(LE_SHORT, 2L * i, Float.floatToFloat16((float) r.nextDouble()));
            i8.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            if (r.nextBoolean()) {
                bits.set(ValueLayout.JAVA_BYTE, i >>> 3, (byte) (bits.get(ValueLayout.JAVA_BYTE, i >>> 3) | (1 << (i & 7))));
            }
            int len = r.nextInt(12);
            for (int k = 0; k < len; k++) {
                sdata.set(ValueLayout.JAVA_BYTE, pos++, (byte) ('a' + r.nextInt(26)));
            }
        }
        soff.set(LE_INT, 4L * rows, pos);
        // fixed-length lists: some null, the rest with null elements here and there
        boolean[] elementNulls = new boolean[rows * 4];
        MemorySegment loff = arena.allocate(4L * (rows + 1));
        MemorySegment lvals = arena.allocate(16L * rows);
        int elements = 0;
        int elementNullCount = 0;
        for (int i = 0; i < rows; i++) {
            loff.set(LE_INT, 4L * i, elements);
            if (nulls[i]) {
                continue;
            }
            for (int k = 0; k < 4; k++) {
                elementNulls[elements] = r.nextInt(7) == 0;
                elementNullCount += elementNulls[elements] ? 1 : 0;
                lvals.set(LE_FLOAT, 4L * elements, elementNulls[elements] ? 0 : (float) r.nextGaussian());
                elements++;
            }
        }
        loff.set(LE_INT, 4L * rows, elements);
        ColumnVector child = ColumnVector.ofValues(ValueType.FLOAT32, elements, elementNullCount,
                validity(arena, java.util.Arrays.copyOf(elementNulls, elements)), lvals);
        return List.of(
                ColumnVector.ofValues(ValueType.FLOAT32, rows, nullCount, valid, f),
                ColumnVector.ofValues(ValueType.FLOAT64, rows, nullCount, valid, d),
                ColumnVector.ofVariableLength(ValueType.STRING, rows, nullCount, valid, soff, sdata.asSlice(0, Math.max(pos, 1))),
                ColumnVector.ofValues(ValueType.BOOL, rows, nullCount, valid, bits),
                ColumnVector.ofValues(ValueType.FLOAT16, rows, nullCount, valid, h),
                ColumnVector.ofValues(ValueType.INT8, rows, nullCount, valid, i8),
                ColumnVector.ofLists(rows, nullCount, valid, loff, child));
    }
}
