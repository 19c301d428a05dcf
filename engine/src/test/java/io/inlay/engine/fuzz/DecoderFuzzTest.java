package io.inlay.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.decode.BooleanRleDecoder;
import io.inlay.engine.internal.decode.FixedByteStreamSplitDecoder;
import io.inlay.engine.internal.decode.IntDeltaBinaryPackedDecoder;
import io.inlay.engine.internal.decode.BinaryDeltaByteArrayDecoder;
import io.inlay.engine.internal.decode.BinaryDeltaLengthByteArrayDecoder;
import io.inlay.engine.internal.decode.Dictionary;
import io.inlay.engine.internal.decode.AnyDictionaryDecoder;
import io.inlay.engine.internal.decode.BinaryPlainDecoder;
import io.inlay.engine.internal.decode.BooleanPlainDecoder;
import io.inlay.engine.internal.decode.FixedPlainDecoder;
import io.inlay.engine.internal.decode.ValueDecoder;
import io.inlay.engine.internal.levels.BitPackedLevelReader;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.Type;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page decoders driven directly, as the column decoder drives them: fuzzed bytes, sizes, bit
 * widths and batch sizes. Each input starts with a few bytes of parameters (described per target),
 * then the encoded bytes, which the decoder gets as a segment of exactly their size, so a read
 * outside them fails. Reads follow the column decoder's contract (a batch is asked for only when
 * {@code maxAvailable()} allows it; outputs are sized exactly for what is asked). A decoder may throw
 * its {@link DecodeException}; anything else is a finding. The level target also checks that the
 * fast paths (run counting, zero collection) agree with plain decoding value for value. Seeded with
 * the sections of real pages of the corpus ({@link PageSections}).
 */
class DecoderFuzzTest {
    /** The most values an input may ask for: enough for every code path, small enough for fast runs. */
    private static final int MAX_N = 8191;

    // ---- parameters ----

    /** Reads the parameter bytes of an input; missing bytes read as 0. */
    private static final class Params {
        private final byte[] in;
        private int pos;

        Params(byte[] in) {
            this.in = in;
        }

        int u8() {
            return pos < in.length ? in[pos++] & 0xff : 0;
        }

        int u16() {
            return u8() | u8() << 8;
        }

        MemorySegment rest(Arena arena) {
            int from = Math.min(pos, in.length);
            return FuzzSupport.nativeCopy(arena, in, from, in.length - from);
        }

        MemorySegment take(Arena arena, int n) {
            int from = Math.min(pos, in.length);
            int len = Math.min(n, in.length - from);
            pos = from + len;
            return FuzzSupport.nativeCopy(arena, in, from, len);
        }
    }

    private static int batch(SplittableRandom r, int remaining) {
        return r.nextInt(4) == 0 ? remaining : 1 + r.nextInt(Math.min(remaining, 4096));
    }

    // ---- levels: RLE / bit-packed hybrid and BIT_PACKED ----

    /** {@code width (1) | flags (1: bit 0 = BIT_PACKED encoding) | count (2) | operation seed (1) | data}. */
    @MethodSource("levelSeeds")
    @FuzzTest(maxDuration = "5m")
    void levels(byte[] input) throws Exception {
        FuzzSupport.bounded(() -> levelsInput(input));
    }

    private static void levelsInput(byte[] input) throws Exception {
        Params p = new Params(input);
        int width = p.u8() & 0x3f;
        boolean bitPacked = (p.u8() & 1) != 0;
        int n = Math.min(p.u16(), MAX_N);
        long seed = p.u8();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = p.rest(arena);
            int[] reference = new int[n];
            int m;
            LevelReader r;
            try {
                if (bitPacked) {
                    if (width > 8) {
                        return; // BIT_PACKED levels are only read for level bit widths up to 8
                    }
                    BitPackedLevelReader ref = new BitPackedLevelReader();
                    ref.init(data, 0, data.byteSize(), width, n);
                    byte[] b = new byte[n];
                    m = ref.read(b, 0, n);
                    for (int i = 0; i < m; i++) {
                        reference[i] = b[i] & 0xff;
                    }
                    BitPackedLevelReader reader = new BitPackedLevelReader();
                    reader.init(data, 0, data.byteSize(), width, n);
                    r = reader;
                } else {
                    RleBitPackedDecoder ref = new RleBitPackedDecoder();
                    ref.init(data, 0, data.byteSize(), width);
                    m = ref.readInts(reference, 0, n);
                    RleBitPackedDecoder reader = new RleBitPackedDecoder();
                    reader.init(data, 0, data.byteSize(), width);
                    r = reader;
                }
            } catch (DecodeException e) {
                return;
            }
            long mask = width >= 32 ? 0xffffffffL : (1L << width) - 1;
            for (int i = 0; i < m; i++) {
                check((reference[i] & 0xffffffffL) <= mask, "value " + Integer.toUnsignedString(reference[i]) + " at " + i
                        + " exceeds bit width " + width);
            }
            check(m <= n, m + " values read of " + n + " asked");
            replay(r, reference, m, n, width, new SplittableRandom(seed));
        }
    }

    /** Consumes the levels through the fast paths and checks them against the plain decoding. */
    private static void replay(LevelReader r, int[] ref, int m, int n, int width, SplittableRandom rnd) {
        int i = 0;
        byte[] buf = new byte[4096];
        int[] zeros = new int[4096];
        try {
            while (i < n) {
                int remaining = n - i;
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        int value = i < m && rnd.nextInt(4) != 0 ? ref[i] : rnd.nextInt(4);
                        long k = r.countRun(value, remaining);
                        check(k <= remaining && i + k <= m, "countRun gave " + k + " at " + i + " of " + m);
                        for (int j = 0; j < k; j++) {
                            check(ref[i + j] == value, "countRun(" + value + ") took value " + ref[i + j] + " at " + (i + j));
                        }
                        check(k == remaining || i + k >= m || ref[(int) (i + k)] != value,
                                "countRun(" + value + ") stopped early at " + (i + k));
                        i += (int) k;
                        if (k == 0 && i >= m) {
                            return;
                        }
                    }
                    case 1 -> {
                        if (width > 8) {
                            continue;
                        }
                        int want = Math.min(remaining, 1 + rnd.nextInt(4096));
                        int got = r.read(buf, 0, want);
                        check(got == Math.min(want, m - i), "read " + got + " of " + want + " at " + i + " of " + m);
                        for (int j = 0; j < got; j++) {
                            check((buf[j] & 0xff) == (ref[i + j] & 0xff), "read value " + (buf[j] & 0xff) + " at " + (i + j)
                                    + ", plain decoding gave " + ref[i + j]);
                        }
                        i += got;
                        if (got < want) {
                            return;
                        }
                    }
                    default -> {
                        int want = Math.min(remaining, 1 + rnd.nextInt(4096));
                        int z;
                        try {
                            z = r.collectZeros(want, zeros);
                        } catch (DecodeException e) {
                            check(want > m - i, "collectZeros(" + want + ") refused with " + (m - i) + " values left");
                            return;
                        }
                        check(want <= m - i, "collectZeros(" + want + ") succeeded with only " + (m - i) + " values left");
                        int expected = 0;
                        for (int j = 0; j < want; j++) {
                            if (ref[i + j] == 0) {
                                check(expected < z && zeros[expected] == j, "collectZeros missed the zero at " + (i + j));
                                expected++;
                            }
                        }
                        check(expected == z, "collectZeros found " + z + " zeros, there are " + expected);
                        i += want;
                    }
                }
            }
        } catch (DecodeException e) {
            // a run header or value that does not fit: the decoder's own error
        }
    }

    static Stream<Arguments> levelSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (PageSections.Section s : PageSections.all()) {
            if (s.defLevels() == null) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(5 + s.defLevels().length).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) (32 - Integer.numberOfLeadingZeros(s.maxDef()))).put((byte) 0)
                    .putShort((short) Math.min(s.levelCount(), 0xffff)).put((byte) out.size()).put(s.defLevels());
            out.add(FuzzSupport.seed("def levels of " + s.file() + " #" + out.size(), b.array()));
        }
        return out.stream();
    }

    // ---- dictionary ----

    private static final int[][] FIXED = {{4, 4}, {8, 8}, {4, 2}, {4, 1}, {2, 2}};

    /**
     * {@code kind (1: see FIXED, 5 = byte arrays) | entries (2) | dictionary page length (2) | values (2)
     * | batch seed (1) | dictionary page | indices}.
     */
    @MethodSource("dictionarySeeds")
    @FuzzTest(maxDuration = "5m")
    void dictionary(byte[] input) throws Exception {
        FuzzSupport.bounded(() -> dictionaryInput(input));
    }

    private static void dictionaryInput(byte[] input) throws Exception {
        Params p = new Params(input);
        int kind = p.u8() % (FIXED.length + 1);
        int entries = p.u16();
        int dictLen = p.u16();
        int n = Math.min(p.u16(), MAX_N);
        SplittableRandom rnd = new SplittableRandom(p.u8());
        boolean binary = kind == FIXED.length;
        try (Arena arena = Arena.ofConfined(); Dictionary dict = new Dictionary(); BinaryOutput out = new BinaryOutput(null)) {
            MemorySegment page = p.take(arena, dictLen);
            MemorySegment data = p.rest(arena);
            int outWidth = binary ? 0 : FIXED[kind][1];
            try {
                if (binary) {
                    dict.loadBinary(page, 0, page.byteSize(), entries);
                } else {
                    dict.loadFixed(page, 0, page.byteSize(), entries, FIXED[kind][0], outWidth);
                }
            } catch (DecodeException e) {
                return;
            }
            Set<Long> fixedEntries = new HashSet<>();
            MemorySegment probe = arena.allocate(Math.max(1, (long) entries * Math.max(outWidth, 1)));
            if (!binary) {
                // every decoded value must be one of the dictionary's entries: decode each entry once
                for (int i = 0; i < entries; i++) {
                    fixedEntries.add(valueAt(dictValue(dict, arena, i, outWidth, probe), 0, outWidth));
                }
            }
            AnyDictionaryDecoder d = new AnyDictionaryDecoder(dict);
            try {
                d.init(data, 0, data.byteSize(), n);
                MemorySegment dst = arena.allocate(Math.max(1, (long) n * outWidth)).asSlice(0, (long) n * outWidth);
                if (binary) {
                    out.begin(n, 0);
                }
                int done = 0;
                while (done < n) {
                    int k = batch(rnd, n - done);
                    if (binary) {
                        d.readBinary(out, k);
                    } else {
                        d.readFixed(dst, (long) done * outWidth, k);
                        for (int i = 0; i < k; i++) {
                            check(fixedEntries.contains(valueAt(dst, (long) (done + i) * outWidth, outWidth)),
                                    "value " + (done + i) + " is not a dictionary entry");
                        }
                    }
                    done += k;
                }
                if (binary) {
                    check(out.count() == n, out.count() + " byte arrays for " + n + " indices");
                }
            } catch (DecodeException e) {
                // the decoder's own error
            }
        }
    }

    /** Entry {@code i} of a fixed-width dictionary, decoded through a one-entry index page. */
    private static MemorySegment dictValue(Dictionary dict, Arena arena, int i, int width, MemorySegment scratch)
            throws DecodeException {
        // index page: bit width 32, one RLE run of length 1 holding i
        MemorySegment idx = arena.allocate(6);
        idx.set(ValueLayout.JAVA_BYTE, 0, (byte) 32);
        idx.set(ValueLayout.JAVA_BYTE, 1, (byte) 2);
        for (int b = 0; b < 4; b++) {
            idx.set(ValueLayout.JAVA_BYTE, 2 + b, (byte) (i >>> (8 * b)));
        }
        AnyDictionaryDecoder d = new AnyDictionaryDecoder(dict);
        d.init(idx, 0, 6, 1);
        MemorySegment one = scratch.asSlice(0, width);
        d.readFixed(one, 0, 1);
        return one;
    }

    private static long valueAt(MemorySegment s, long off, int width) {
        long v = 0;
        for (int b = 0; b < width; b++) {
            v |= (s.get(ValueLayout.JAVA_BYTE, off + b) & 0xffL) << (8 * b);
        }
        return v;
    }

    static Stream<Arguments> dictionarySeeds() {
        List<Arguments> out = new ArrayList<>();
        for (PageSections.Section s : PageSections.all()) {
            if (s.dictionary() == null || (s.encoding() != Encoding.RLE_DICTIONARY && s.encoding() != Encoding.PLAIN_DICTIONARY)
                    || s.dictionary().length > 0xffff || s.dictionaryCount() > 0xffff) {
                continue;
            }
            int kind = fixedKind(s);
            if (kind < 0) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(8 + s.dictionary().length + s.values().length).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) kind).putShort((short) s.dictionaryCount()).putShort((short) s.dictionary().length)
                    .putShort((short) Math.min(present(s), 0xffff)).put((byte) out.size()).put(s.dictionary()).put(s.values());
            out.add(FuzzSupport.seed("dictionary page of " + s.file() + " #" + out.size(), b.array()));
        }
        return out.stream();
    }

    private static int fixedKind(PageSections.Section s) {
        if (s.physical() == Type.BYTE_ARRAY) {
            return FIXED.length;
        }
        int in = switch (s.physical()) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case FIXED_LEN_BYTE_ARRAY -> s.typeLength();
            default -> -1;
        };
        for (int k = 0; k < FIXED.length; k++) {
            if (FIXED[k][0] == in && FIXED[k][1] == s.outWidth()) {
                return k;
            }
        }
        return -1;
    }

    /** The page's present values: its level count minus its nulls. */
    private static int present(PageSections.Section s) {
        if (s.defLevels() == null) {
            return s.levelCount();
        }
        try (Arena arena = Arena.ofConfined()) {
            RleBitPackedDecoder d = new RleBitPackedDecoder();
            MemorySegment seg = FuzzSupport.nativeCopy(arena, s.defLevels(), 0, s.defLevels().length);
            d.init(seg, 0, seg.byteSize(), 32 - Integer.numberOfLeadingZeros(s.maxDef()));
            int[] v = new int[s.levelCount()];
            int m = d.readInts(v, 0, v.length);
            int present = 0;
            for (int i = 0; i < m; i++) {
                present += v[i] == s.maxDef() ? 1 : 0;
            }
            return present;
        } catch (DecodeException e) {
            return s.levelCount();
        }
    }

    // ---- value decoders without a dictionary ----

    /** The value decoders of one family: how an input's kind byte selects one, and its output width. */
    private record Family(String name, List<Encoding> encodings) {}

    private static final Family PLAIN = new Family("plain", List.of(Encoding.PLAIN, Encoding.RLE));
    private static final Family DELTA = new Family("delta", List.of(Encoding.DELTA_BINARY_PACKED,
            Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.DELTA_BYTE_ARRAY));
    private static final Family SPLIT = new Family("byteStreamSplit", List.of(Encoding.BYTE_STREAM_SPLIT));

    /**
     * A decoder and its output: fixed width {@code out} bytes per value, booleans as bits ({@code out}
     * -1), byte arrays ({@code out} 0).
     */
    private record Target(ValueDecoder decoder, int out) {}

    /** PLAIN fixed-width (kinds 0-4, see FIXED), PLAIN byte arrays (5), PLAIN booleans (6), RLE booleans (7). */
    private static Target plainTarget(int kind) {
        return switch (kind % 8) {
            case 5 -> new Target(new BinaryPlainDecoder(), 0);
            case 6 -> new Target(new BooleanPlainDecoder(), -1);
            case 7 -> new Target(new BooleanRleDecoder(), -1);
            default -> new Target(new FixedPlainDecoder(FIXED[kind % 8][0], FIXED[kind % 8][1]), FIXED[kind % 8][1]);
        };
    }

    /**
     * DELTA_BINARY_PACKED to 1, 2, 4 or 8 bytes (kinds 0-3), DELTA_LENGTH_BYTE_ARRAY (4),
     * DELTA_BYTE_ARRAY of byte arrays (5) and of fixed-length values of 1 to 16 bytes (6-21).
     */
    private static Target deltaTarget(int kind) {
        int k = kind % 22;
        return switch (k) {
            case 0, 1, 2, 3 -> new Target(new IntDeltaBinaryPackedDecoder(1 << k), 1 << k);
            case 4 -> new Target(new BinaryDeltaLengthByteArrayDecoder(), 0);
            case 5 -> new Target(new BinaryDeltaByteArrayDecoder(0), 0);
            default -> new Target(new BinaryDeltaByteArrayDecoder(k - 5), k - 5);
        };
    }

    /** BYTE_STREAM_SPLIT of the FIXED (physical, output) width pairs. */
    private static Target splitTarget(int kind) {
        int[] w = FIXED[kind % FIXED.length];
        return new Target(new FixedByteStreamSplitDecoder(w[0], w[1]), w[1]);
    }

    /** {@code kind (1) | values (2) | batch seed (1) | data}. */
    @MethodSource("plainSeeds")
    @FuzzTest(maxDuration = "5m")
    void plain(byte[] input) throws Exception {
        FuzzSupport.bounded(() -> plainInput(input));
    }

    private static void plainInput(byte[] input) throws Exception {
        values(input, DecoderFuzzTest::plainTarget);
    }

    /** {@code kind (1) | values (2) | batch seed (1) | data}. */
    @MethodSource("deltaSeeds")
    @FuzzTest(maxDuration = "5m")
    void delta(byte[] input) throws Exception {
        FuzzSupport.bounded(() -> deltaInput(input));
    }

    private static void deltaInput(byte[] input) throws Exception {
        values(input, DecoderFuzzTest::deltaTarget);
    }

    /** {@code kind (1) | values (2) | batch seed (1) | data}. */
    @MethodSource("splitSeeds")
    @FuzzTest(maxDuration = "5m")
    void byteStreamSplit(byte[] input) throws Exception {
        FuzzSupport.bounded(() -> byteStreamSplitInput(input));
    }

    private static void byteStreamSplitInput(byte[] input) throws Exception {
        values(input, DecoderFuzzTest::splitTarget);
    }

    private static void values(byte[] input, java.util.function.IntFunction<Target> select) throws Exception {
        Params p = new Params(input);
        Target t = select.apply(p.u8());
        int n = Math.min(p.u16(), MAX_N);
        SplittableRandom rnd = new SplittableRandom(p.u8());
        ValueDecoder d = t.decoder();
        try (Arena arena = Arena.ofConfined(); BinaryOutput out = new BinaryOutput(null)) {
            MemorySegment data = p.rest(arena);
            long bytes = t.out() > 0 ? (long) n * t.out() : t.out() < 0 ? (n + 7) / 8 : 0;
            MemorySegment dst = arena.allocate(Math.max(1, bytes)).asSlice(0, bytes);
            if (t.out() == 0) {
                out.begin(n, 0);
            }
            try {
                d.init(data, 0, data.byteSize(), n);
                int done = 0;
                while (done < n) {
                    int k = batch(rnd, n - done);
                    if (k > d.maxAvailable()) {
                        return; // the column decoder reports this as a corrupt page
                    }
                    if (t.out() > 0) {
                        d.readFixed(dst, (long) done * t.out(), k);
                    } else if (t.out() < 0) {
                        d.readBits(dst, done, k);
                    } else {
                        d.readBinary(out, k);
                    }
                    done += k;
                }
                if (t.out() == 0) {
                    check(out.count() == n, out.count() + " byte arrays written for " + n + " asked");
                }
            } catch (DecodeException e) {
                // the decoder's own error
            }
        }
    }

    private static Stream<Arguments> valueSeeds(Family f, java.util.function.ToIntFunction<PageSections.Section> kind) {
        List<Arguments> out = new ArrayList<>();
        for (PageSections.Section s : PageSections.all()) {
            if (!f.encodings().contains(s.encoding())) {
                continue;
            }
            int k = kind.applyAsInt(s);
            if (k < 0) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(4 + s.values().length).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) k).putShort((short) Math.min(present(s), 0xffff)).put((byte) out.size()).put(s.values());
            out.add(FuzzSupport.seed(f.name() + " " + s.encoding() + " page of " + s.file() + " #" + out.size(), b.array()));
        }
        return out.stream();
    }

    static Stream<Arguments> plainSeeds() {
        return valueSeeds(PLAIN, s -> switch (s.physical()) {
            case BOOLEAN -> s.encoding() == Encoding.RLE ? 7 : 6;
            case BYTE_ARRAY -> 5;
            default -> s.encoding() == Encoding.PLAIN ? fixedKind(s) : -1;
        });
    }

    static Stream<Arguments> deltaSeeds() {
        return valueSeeds(DELTA, s -> switch (s.encoding()) {
            case DELTA_BINARY_PACKED -> Integer.numberOfTrailingZeros(Math.max(1, s.outWidth()));
            case DELTA_LENGTH_BYTE_ARRAY -> 4;
            case DELTA_BYTE_ARRAY -> s.physical() == Type.BYTE_ARRAY ? 5 : s.typeLength() <= 16 ? 5 + s.typeLength() : -1;
            default -> -1;
        });
    }

    static Stream<Arguments> splitSeeds() {
        return valueSeeds(SPLIT, DecoderFuzzTest::fixedKind);
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError(problem);
        }
    }
}
