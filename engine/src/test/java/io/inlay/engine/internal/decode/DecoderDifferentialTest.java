package io.inlay.engine.internal.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.bytestreamsplit.ByteStreamSplitValuesWriter;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForInteger;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForLong;
import org.apache.parquet.column.values.deltalengthbytearray.DeltaLengthByteArrayValuesWriter;
import org.apache.parquet.column.values.deltastrings.DeltaByteArrayWriter;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests: data encoded by parquet-java's own encoders decodes to the same values with
 * Inlay's decoders, at sizes around powers of two and page boundaries, read in uneven batches.
 */
class DecoderDifferentialTest {
    static final int[] SIZES = {0, 1, 7, 8, 9, 31, 32, 33, 127, 128, 129, 1024, 4099, 20000};
    static final HeapByteBufferAllocator HEAP = new HeapByteBufferAllocator();

    static Stream<Integer> sizes() {
        return IntStream.of(SIZES).boxed();
    }

    static Stream<Arguments> rleCases() {
        return Stream.of(0, 1, 2, 3, 5, 8, 13, 17, 24, 31, 32).flatMap(w -> IntStream.of(SIZES).mapToObj(n -> Arguments.of(w, n)));
    }

    static MemorySegment native_(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(Math.max(1, bytes.length)).asSlice(0, bytes.length);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    static byte[] bytes(ValuesWriter w) throws Exception {
        return w.getBytes().toByteArray();
    }

    /** Values with long runs and short noisy stretches, as levels and indices have. */
    static int[] runny(int n, int bitWidth, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int max = bitWidth == 32 ? Integer.MAX_VALUE : (1 << bitWidth) - 1;
        int[] v = new int[n];
        int i = 0;
        while (i < n) {
            int len = r.nextInt(4) == 0 ? 1 + r.nextInt(200) : 1 + r.nextInt(6);
            int value = bitWidth == 0 ? 0 : r.nextInt(max) + (r.nextBoolean() ? 1 : 0);
            for (int k = 0; k < len && i < n; k++) {
                v[i++] = r.nextInt(3) == 0 && bitWidth > 0 ? r.nextInt(max) : value;
            }
        }
        return v;
    }

    @ParameterizedTest(name = "width {0}, {1} values")
    @MethodSource("rleCases")
    void rleHybrid_parquetJavaEncoded_decodesIdentically(int width, int n) throws Exception {
        int[] values = runny(n, width, width * 1000L + n);
        RunLengthBitPackingHybridEncoder enc = new RunLengthBitPackingHybridEncoder(width, 64, 1 << 20, HEAP);
        for (int v : values) {
            enc.writeInt(v);
        }
        byte[] encoded = enc.toBytes().toByteArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = native_(arena, encoded);
            RleBitPackedDecoder d = new RleBitPackedDecoder();
            d.init(seg, 0, seg.byteSize(), width);
            int[] got = new int[n];
            int done = 0;
            int step = 1;
            while (done < n) {
                int k = d.readInts(got, done, Math.min(step, n - done));
                done += k;
                step = step * 3 + 1;
            }
            assertEquals(java.util.Arrays.toString(values), java.util.Arrays.toString(got));

            if (width <= 8) {
                // the run-based views agree with the values: countRun and collectZeros
                d.init(seg, 0, seg.byteSize(), width);
                int pos = 0;
                while (pos < n) {
                    long run = d.countRun(values[pos], n - pos);
                    int expect = 0;
                    while (pos + expect < n && values[pos + expect] == values[pos]) {
                        expect++;
                    }
                    assertEquals(expect, run, "run at " + pos);
                    pos += expect;
                }
                d.init(seg, 0, seg.byteSize(), width);
                int[] zeros = new int[n];
                int z = n == 0 ? 0 : d.collectZeros(n, zeros);
                int[] want = IntStream.range(0, n).filter(i -> values[i] == 0).toArray();
                assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(java.util.Arrays.copyOf(zeros, z)));
            }
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("sizes")
    void deltaBinaryPacked_int32AndInt64(int n) throws Exception {
        SplittableRandom r = new SplittableRandom(n);
        int[] ints = new int[n];
        long[] longs = new long[n];
        for (int i = 0; i < n; i++) {
            ints[i] = i % 100 == 0 ? (r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE) : r.nextInt(1000) - 500 + i;
            longs[i] = i % 50 == 0 ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : r.nextLong();
        }
        var wi = new DeltaBinaryPackingValuesWriterForInteger(128, 4, 64, 1 << 20, HEAP);
        var wl = new DeltaBinaryPackingValuesWriterForLong(128, 4, 64, 1 << 20, HEAP);
        for (int i = 0; i < n; i++) {
            wi.writeInteger(ints[i]);
            wl.writeLong(longs[i]);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment si = native_(arena, bytes(wi));
            MemorySegment sl = native_(arena, bytes(wl));
            MemorySegment outI = arena.allocate(4L * n + 8);
            MemorySegment outL = arena.allocate(8L * n + 8);
            var di = new IntDeltaBinaryPackedDecoder(4);
            di.init(si, 0, si.byteSize(), n);
            readFixedInSteps(di, outI, 4, n);
            var dl = new IntDeltaBinaryPackedDecoder(8);
            dl.init(sl, 0, sl.byteSize(), n);
            readFixedInSteps(dl, outL, 8, n);
            for (int i = 0; i < n; i++) {
                assertEquals(ints[i], outI.get(Layouts.LE_INT, 4L * i), "int " + i);
                assertEquals(longs[i], outL.get(Layouts.LE_LONG, 8L * i), "long " + i);
            }
            if (n > 1) {
                assertEquals(si.byteSize(), endOf(si), "the stream's end is found by walking its blocks");
            }
        }
    }

    private static long endOf(MemorySegment s) throws DecodeException {
        DeltaBinaryPackedReader r = new DeltaBinaryPackedReader();
        r.init(s, 0, s.byteSize());
        return r.scanEnd();
    }

    private static void readFixedInSteps(ValueDecoder d, MemorySegment out, int width, int n) throws DecodeException {
        int done = 0;
        int step = 1;
        while (done < n) {
            int k = Math.min(step, n - done);
            d.readFixed(out, (long) done * width, k);
            done += k;
            step = step * 2 + 3;
        }
    }

    static String[] strings(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] s = new String[n];
        String prev = "";
        for (int i = 0; i < n; i++) {
            // shared prefixes, empty values and multi-byte characters
            int keep = prev.isEmpty() ? 0 : r.nextInt(prev.length() + 1);
            s[i] = r.nextInt(10) == 0 ? "" : prev.substring(0, keep) + "ö" + Integer.toHexString(r.nextInt());
            prev = s[i];
        }
        return s;
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("sizes")
    void deltaLengthAndDeltaByteArray(int n) throws Exception {
        String[] values = strings(n, n + 5L);
        var dlba = new DeltaLengthByteArrayValuesWriter(64, 1 << 20, HEAP);
        var dba = new DeltaByteArrayWriter(64, 1 << 20, HEAP);
        for (String v : values) {
            dlba.writeBytes(Binary.fromString(v));
            dba.writeBytes(Binary.fromString(v));
        }
        try (Arena arena = Arena.ofConfined()) {
            for (var pair : new Object[][] {{bytes(dlba), new BinaryDeltaLengthByteArrayDecoder()},
                    {bytes(dba), new BinaryDeltaByteArrayDecoder(0)}}) {
                MemorySegment seg = native_(arena, (byte[]) pair[0]);
                ValueDecoder d = (ValueDecoder) pair[1];
                d.init(seg, 0, seg.byteSize(), n);
                try (BinaryOutput out = new BinaryOutput(null)) {
                    out.begin(n, 16);
                    int done = 0;
                    int step = 1;
                    while (done < n) {
                        int k = Math.min(step, n - done);
                        d.readBinary(out, k);
                        done += k;
                        step = step * 2 + 1;
                    }
                    MemorySegment offsets = out.finishOffsets();
                    MemorySegment data = out.finishData();
                    for (int i = 0; i < n; i++) {
                        int a = offsets.get(Layouts.LE_INT, 4L * i);
                        int b = offsets.get(Layouts.LE_INT, 4L * i + 4);
                        String got = new String(data.asSlice(a, b - a).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                        assertEquals(values[i], got, d.getClass().getSimpleName() + " value " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("sizes")
    void byteStreamSplit_floatAndDouble(int n) throws Exception {
        SplittableRandom r = new SplittableRandom(n * 3L);
        var wf = new ByteStreamSplitValuesWriter.FloatByteStreamSplitValuesWriter(64, 1 << 20, HEAP);
        var wd = new ByteStreamSplitValuesWriter.DoubleByteStreamSplitValuesWriter(64, 1 << 20, HEAP);
        float[] fs = new float[n];
        double[] ds = new double[n];
        for (int i = 0; i < n; i++) {
            fs[i] = i % 13 == 0 ? Float.NaN : (float) r.nextGaussian();
            ds[i] = i % 17 == 0 ? -0.0 : r.nextGaussian() * 1e300;
            wf.writeFloat(fs[i]);
            wd.writeDouble(ds[i]);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sf = native_(arena, bytes(wf));
            MemorySegment sd = native_(arena, bytes(wd));
            MemorySegment of = arena.allocate(4L * n + 8);
            MemorySegment od = arena.allocate(8L * n + 8);
            var df = new FixedByteStreamSplitDecoder(4, 4);
            df.init(sf, 0, sf.byteSize(), n);
            readFixedInSteps(df, of, 4, n);
            var dd = new FixedByteStreamSplitDecoder(8, 8);
            dd.init(sd, 0, sd.byteSize(), n);
            readFixedInSteps(dd, od, 8, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(fs[i]), of.get(Layouts.LE_INT, 4L * i), "float " + i);
                assertEquals(Double.doubleToRawLongBits(ds[i]), od.get(Layouts.LE_LONG, 8L * i), "double " + i);
            }
            assertThrows(DecodeException.class, () -> df.readFixed(of, 0, 1), "reading past the values is refused");
        }
    }

}
