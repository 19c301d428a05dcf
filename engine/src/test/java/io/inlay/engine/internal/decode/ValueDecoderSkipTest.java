package io.inlay.engine.internal.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.bytestreamsplit.ByteStreamSplitValuesWriter;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForInteger;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForLong;
import org.apache.parquet.column.values.deltalengthbytearray.DeltaLengthByteArrayValuesWriter;
import org.apache.parquet.column.values.deltastrings.DeltaByteArrayWriter;
import org.apache.parquet.column.values.plain.BooleanPlainValuesWriter;
import org.apache.parquet.column.values.plain.FixedLenByteArrayPlainValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The value-decoder contract's {@code skip(n)}, for every decoder: values encoded by parquet-java,
 * read in a pattern of reads and skips, come out as the same values at the same positions as a
 * read of all of them; a skip past the last value fails like a read would.
 */
class ValueDecoderSkipTest {
    static final HeapByteBufferAllocator HEAP = new HeapByteBufferAllocator();
    static final int[] SIZES = {1, 7, 8, 9, 33, 1024, 5000};

    /** How values come out of a decoder: fixed-width bytes, bits, or byte arrays. */
    enum Shape { FIXED, BITS, BINARY }

    /** One decoder with the page parquet-java wrote for it. */
    record Case(String name, Shape shape, int width, Supplier<ValueDecoder> decoder, byte[] page, int n) {
        @Override
        public String toString() {
            return name + ", " + n + " values";
        }
    }

    static byte[] bytes(ValuesWriter w) {
        try {
            return w.getBytes().toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> all = new ArrayList<>();
        for (int n : SIZES) {
            SplittableRandom r = new SplittableRandom(n);
            var plainInt = new PlainValuesWriter(64, 1 << 20, HEAP);
            var plainLong = new PlainValuesWriter(64, 1 << 20, HEAP);
            var plainBinary = new PlainValuesWriter(64, 1 << 20, HEAP);
            var plainFixed = new FixedLenByteArrayPlainValuesWriter(16, 64, 1 << 20, HEAP);
            var plainBool = new BooleanPlainValuesWriter();
            var rleBool = new RunLengthBitPackingHybridValuesWriter(1, 64, 1 << 20, HEAP);
            var bssFloat = new ByteStreamSplitValuesWriter.FloatByteStreamSplitValuesWriter(64, 1 << 20, HEAP);
            var deltaInt = new DeltaBinaryPackingValuesWriterForInteger(128, 4, 64, 1 << 20, HEAP);
            var deltaLong = new DeltaBinaryPackingValuesWriterForLong(128, 4, 64, 1 << 20, HEAP);
            var deltaLength = new DeltaLengthByteArrayValuesWriter(64, 1 << 20, HEAP);
            var deltaStrings = new DeltaByteArrayWriter(64, 1 << 20, HEAP);
            var deltaFixed = new DeltaByteArrayWriter(64, 1 << 20, HEAP);
            var indices = new RunLengthBitPackingHybridEncoder(5, 64, 1 << 20, HEAP);
            String prev = "";
            for (int i = 0; i < n; i++) {
                plainInt.writeInteger(r.nextInt());
                plainLong.writeLong(r.nextLong());
                int keep = prev.isEmpty() ? 0 : r.nextInt(prev.length() + 1);
                String s = r.nextInt(9) == 0 ? "" : prev.substring(0, keep) + Integer.toHexString(r.nextInt());
                prev = s;
                plainBinary.writeBytes(Binary.fromString(s));
                deltaLength.writeBytes(Binary.fromString(s));
                deltaStrings.writeBytes(Binary.fromString(s));
                byte[] fixed = new byte[16];
                fixed[r.nextInt(16)] = (byte) r.nextInt();
                fixed[15] = (byte) (i / 7);
                plainFixed.writeBytes(Binary.fromConstantByteArray(fixed));
                deltaFixed.writeBytes(Binary.fromConstantByteArray(fixed));
                boolean b = i % 11 < 6 ? r.nextBoolean() : i % 3 == 0;
                plainBool.writeBoolean(b);
                rleBool.writeBoolean(b);
                bssFloat.writeFloat((float) r.nextGaussian());
                deltaInt.writeInteger(r.nextInt(1000) - 500 + i);
                deltaLong.writeLong(r.nextLong());
                indices.writeInt(i % 40 < 20 ? 3 : r.nextInt(20));
            }
            byte[] idx = indices.toBytes().toByteArray();
            byte[] dictPage = new byte[1 + idx.length];
            dictPage[0] = 5;
            System.arraycopy(idx, 0, dictPage, 1, idx.length);
            all.add(Arguments.of(new Case("FixedPlainDecoder int32", Shape.FIXED, 4, () -> new FixedPlainDecoder(4, 4), bytes(plainInt), n)));
            all.add(Arguments.of(new Case("FixedPlainDecoder int64", Shape.FIXED, 8, () -> new FixedPlainDecoder(8, 8), bytes(plainLong), n)));
            all.add(Arguments.of(new Case("FixedPlainDecoder int32 as int8", Shape.FIXED, 1, () -> new FixedPlainDecoder(4, 1), bytes(plainInt), n)));
            all.add(Arguments.of(new Case("FixedPlainDecoder fixed[16]", Shape.FIXED, 16, () -> new FixedPlainDecoder(16, 16), bytes(plainFixed), n)));
            all.add(Arguments.of(new Case("BooleanPlainDecoder", Shape.BITS, 0, BooleanPlainDecoder::new, bytes(plainBool), n)));
            all.add(Arguments.of(new Case("BooleanRleDecoder", Shape.BITS, 0, BooleanRleDecoder::new, bytes(rleBool), n)));
            all.add(Arguments.of(new Case("BinaryPlainDecoder", Shape.BINARY, 0, BinaryPlainDecoder::new, bytes(plainBinary), n)));
            all.add(Arguments.of(new Case("FixedByteStreamSplitDecoder float", Shape.FIXED, 4,
                    () -> new FixedByteStreamSplitDecoder(4, 4), bytes(bssFloat), n)));
            all.add(Arguments.of(new Case("IntDeltaBinaryPackedDecoder int32", Shape.FIXED, 4,
                    () -> new IntDeltaBinaryPackedDecoder(4), bytes(deltaInt), n)));
            all.add(Arguments.of(new Case("IntDeltaBinaryPackedDecoder int64", Shape.FIXED, 8,
                    () -> new IntDeltaBinaryPackedDecoder(8), bytes(deltaLong), n)));
            all.add(Arguments.of(new Case("BinaryDeltaLengthByteArrayDecoder", Shape.BINARY, 0,
                    BinaryDeltaLengthByteArrayDecoder::new, bytes(deltaLength), n)));
            all.add(Arguments.of(new Case("BinaryDeltaByteArrayDecoder", Shape.BINARY, 0,
                    () -> new BinaryDeltaByteArrayDecoder(0), bytes(deltaStrings), n)));
            all.add(Arguments.of(new Case("BinaryDeltaByteArrayDecoder fixed[16]", Shape.FIXED, 16,
                    () -> new BinaryDeltaByteArrayDecoder(16), bytes(deltaFixed), n)));
            all.add(Arguments.of(new Case("AnyDictionaryDecoder", Shape.FIXED, 4, ValueDecoderSkipTest::dictionaryDecoder,
                    dictPage, n)));
        }
        return all.stream();
    }

    /** A dictionary of 32 int32 entries (i * 1000 + 7). */
    static ValueDecoder dictionaryDecoder() {
        Dictionary dictionary = new Dictionary(false);
        MemorySegment page = Arena.ofAuto().allocate(32 * 4);
        for (int i = 0; i < 32; i++) {
            page.set(Layouts.LE_INT, 4L * i, i * 1000 + 7);
        }
        try {
            dictionary.loadFixed(page, 0, page.byteSize(), 32, 4, 4);
        } catch (DecodeException e) {
            throw new IllegalStateException(e);
        }
        return new AnyDictionaryDecoder(dictionary);
    }

    static MemorySegment nativeCopy(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(Math.max(1, bytes.length)).asSlice(0, bytes.length);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /** Reads {@code k} values at value position {@code at} into {@code out} (fixed, bits) or {@code binary}. */
    static void read(Case c, ValueDecoder d, MemorySegment out, BinaryOutput binary, int at, int k) throws DecodeException {
        switch (c.shape()) {
            case FIXED -> d.readFixed(out, (long) at * c.width(), k);
            case BITS -> d.readBits(out, at, k);
            case BINARY -> d.readBinary(binary, k);
        }
    }

    /** Value {@code i} of {@code out} (fixed, bits) or of the byte arrays {@code binary} holds, as bytes. */
    static byte[] value(Case c, MemorySegment out, MemorySegment offsets, MemorySegment data, int i) {
        return switch (c.shape()) {
            case FIXED -> out.asSlice((long) i * c.width(), c.width()).toArray(ValueLayout.JAVA_BYTE);
            case BITS -> new byte[] {(byte) (Bits.get(out, i) ? 1 : 0)};
            case BINARY -> {
                int a = offsets.get(Layouts.LE_INT, 4L * i);
                int b = offsets.get(Layouts.LE_INT, 4L * i + 4);
                yield data.asSlice(a, b - a).toArray(ValueLayout.JAVA_BYTE);
            }
        };
    }

    interface Step {
        void run() throws Exception;
    }

    static boolean fails(Step step) throws Exception {
        try {
            step.run();
            return false;
        } catch (DecodeException e) {
            return true;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void skip_thenRead_givesTheValuesAtTheSamePositions(Case c) throws Exception {
        int n = c.n();
        try (Arena arena = Arena.ofConfined();
                BinaryOutput all = new BinaryOutput(null);
                BinaryOutput some = new BinaryOutput(null)) {
            MemorySegment page = nativeCopy(arena, c.page());
            long outBytes = c.shape() == Shape.BITS ? (n + 7) / 8 + 8 : (long) n * Math.max(1, c.width()) + 8;
            MemorySegment expected = arena.allocate(outBytes);
            MemorySegment got = arena.allocate(outBytes);
            all.begin(n, 16);
            some.begin(n, 16);

            ValueDecoder whole = c.decoder().get();
            whole.init(page, 0, page.byteSize(), n);
            read(c, whole, expected, all, 0, n);
            MemorySegment allOffsets = all.finishOffsets();
            MemorySegment allData = all.finishData();

            // reads and skips of growing, uneven lengths, starting with a skip
            ValueDecoder d = c.decoder().get();
            d.init(page, 0, page.byteSize(), n);
            List<Integer> readPositions = new ArrayList<>();
            int at = 0;
            int step = 1;
            boolean skip = true;
            while (at < n) {
                int k = Math.min(step, n - at);
                if (skip) {
                    d.skip(k);
                } else {
                    read(c, d, got, some, at, k);
                    for (int i = 0; i < k; i++) {
                        readPositions.add(at + i);
                    }
                }
                at += k;
                skip = !skip;
                step = step * 2 + 1;
            }
            MemorySegment someOffsets = some.finishOffsets();
            MemorySegment someData = some.finishData();
            for (int j = 0; j < readPositions.size(); j++) {
                int i = readPositions.get(j);
                byte[] want = value(c, expected, allOffsets, allData, i);
                byte[] have = c.shape() == Shape.BINARY ? value(c, got, someOffsets, someData, j) : value(c, got, null, null, i);
                assertArrayEquals(want, have, c + ": value " + i);
            }
            // past the last value a skip fails exactly when a read fails (RLE and bit-packed runs may
            // be padded past it, so some encodings allow both)
            boolean readFails = fails(() -> read(c, whole, expected, all, n, 1));
            assertEquals(readFails, fails(() -> d.skip(1)), c + ": a skip past the last value behaves like a read");
            if (c.shape() == Shape.FIXED && !c.name().startsWith("AnyDictionary") || c.shape() == Shape.BINARY) {
                assertTrue(readFails, c + ": a read past the last value is refused");
            }
            assertEquals(n, at);
        }
    }
}
