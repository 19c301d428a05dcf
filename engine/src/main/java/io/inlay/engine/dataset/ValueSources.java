package io.inlay.engine.dataset;

import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.vector.ValueHasher;
import io.inlay.engine.write.BlobSource;
import io.inlay.engine.write.ColumnSource;
import io.inlay.engine.write.PageBuffers;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The generator's values: counter-based, so that value {@code e} of a column is a pure function of
 * its key and {@code e} (SplitMix64 output {@code e} from state {@code key}: {@code mix64(key + e * PHI)}).
 * Pages can therefore be filled in any order, by any thread, and a file's bytes never depend on
 * page sizes, thread counts or ranks.
 *
 * <pre>
 * float32   two per word: (w &gt;&gt;&gt; 40) * 2^-24 and ((w &gt;&gt;&gt; 8) &amp; 0xffffff) * 2^-24, uniform in [0, 1)
 * float64   (w &gt;&gt;&gt; 11) * 2^-53, uniform in [0, 1)
 * float16   four per word: k * 2^-11 for an 11-bit k, uniform in [0, 1), exact in half precision
 * int8      eight per word, the word's bytes: uniform over -128..127
 * bool      64 per word, the word's bits
 * binary    size random bytes per value
 * blob      the file's sample length of random bytes per sample: byte o of row r is byte o % 8 of
 *           word o / 8 of the row's stream (key mix64(key + r * PHI)), so any chunk is filled alone
 * string    8..96 characters of lower-case words (letters and spaces), length uniform
 * </pre>
 */
final class ValueSources {
    static final int MIN_STRING = 8;
    static final int MAX_STRING = 96;
    private static final long PHI = ValueHasher.PHI;
    /** 32 symbols, 5 bits each: letters, and spaces often enough to make words of a few letters. */
    private static final byte[] TEXT = "etaoinshrdlucmfwypvbgkqjxz      ".getBytes(StandardCharsets.US_ASCII);
    private static final short[] HALF = new short[2048];

    static {
        for (int k = 0; k < HALF.length; k++) {
            HALF[k] = Float.floatToFloat16(k * 0x1p-11f);
        }
    }

    private ValueSources() {}

    /** The 64-bit key of a name, for deriving column keys (stable across runs and platforms). */
    static long nameKey(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return ValueHasher.mix64(h);
    }

    /** Word {@code i} of the stream with key {@code key}. */
    static long word(long key, long i) {
        return ValueHasher.mix64(key + i * PHI);
    }

    /** Value {@code row} of a bool partition column. */
    static boolean boolAt(long key, long row) {
        return ((word(key, row >>> 6) >>> (row & 63)) & 1) != 0;
    }

    /** Value {@code row} of an int8 partition column. */
    static byte int8At(long key, long row) {
        return (byte) (word(key, row >>> 3) >>> ((row & 7) << 3));
    }

    /** A source for {@code spec} whose values are drawn from the stream {@code key}. */
    static ColumnSource of(ColumnSpec spec, long key) {
        if (spec.isBlob()) {
            return blobs(spec.size(), key);
        }
        return switch (spec.elementType()) {
            case FLOAT32, LIST -> (first, out) -> floats(out.values(), first * spec.valuesPerRow(), out.valueCount(), key);
            case FLOAT64 -> (first, out) -> doubles(out.values(), first * spec.valuesPerRow(), out.valueCount(), key);
            case FLOAT16 -> (first, out) -> halfFloats(out.values(), first * spec.valuesPerRow(), out.valueCount(), key);
            case INT8 -> (first, out) -> int8s(out.values(), first * spec.valuesPerRow(), out.valueCount(), key);
            case BOOL -> (first, out) -> bools(out.values(), first * spec.valuesPerRow(), out.valueCount(), key);
            case BINARY -> binaries(spec, key);
            case STRING -> strings(spec, key);
            case BLOB -> throw new AssertionError("a blob's element type is binary");
        };
    }

    /** A blob source whose every sample is {@code length} bytes drawn from the stream {@code key}. */
    static BlobSource blobs(long length, long key) {
        return new BlobSource() {
            @Override
            public long length(long row) {
                return length;
            }

            @Override
            public void bytes(long row, long offset, MemorySegment out) {
                blobBytes(ValueHasher.mix64(key + row * PHI), offset, out);
            }

            @Override
            public long estimatedBytesPerRow() {
                return length;
            }
        };
    }

    /** Bytes {@code [offset, offset + out.byteSize())} of the blob stream {@code rowKey}. */
    static void blobBytes(long rowKey, long offset, MemorySegment out) {
        long n = out.byteSize();
        long i = 0;
        // a leading partial word (offsets from the writer are chunk-aligned, so rarely)
        while (i < n && ((offset + i) & 7) != 0) {
            long o = offset + i;
            out.set(ValueLayout.JAVA_BYTE, i, (byte) (word(rowKey, o >>> 3) >>> ((o & 7) << 3)));
            i++;
        }
        long w = (offset + i) >>> 3;
        long words = (n - i) >>> 3;
        for (long k = 0; k < words; k++) {
            out.set(Layouts.LE_LONG, i + (k << 3), ValueHasher.mix64(rowKey + (w + k) * PHI));
        }
        i += words << 3;
        for (; i < n; i++) {
            long o = offset + i;
            out.set(ValueLayout.JAVA_BYTE, i, (byte) (word(rowKey, o >>> 3) >>> ((o & 7) << 3)));
        }
    }

    static void floats(MemorySegment s, long e0, long n, long key) {
        long i = 0;
        if ((e0 & 1) != 0 && n > 0) {
            long w = word(key, e0 >>> 1);
            s.set(Layouts.LE_FLOAT, 0, ((w >>> 8) & 0xffffff) * 0x1p-24f);
            i = 1;
        }
        long pairs = (n - i) >>> 1;
        long w0 = (e0 + i) >>> 1;
        long base = i << 2;
        for (long p = 0; p < pairs; p++) {
            long w = ValueHasher.mix64(key + (w0 + p) * PHI);
            s.set(Layouts.LE_FLOAT, base + (p << 3), (int) (w >>> 40) * 0x1p-24f);
            s.set(Layouts.LE_FLOAT, base + (p << 3) + 4, (int) ((w >>> 8) & 0xffffff) * 0x1p-24f);
        }
        i += pairs << 1;
        if (i < n) {
            long w = word(key, (e0 + i) >>> 1);
            s.set(Layouts.LE_FLOAT, i << 2, (int) (w >>> 40) * 0x1p-24f);
        }
    }

    static void doubles(MemorySegment s, long e0, long n, long key) {
        for (long i = 0; i < n; i++) {
            s.set(Layouts.LE_DOUBLE, i << 3, (word(key, e0 + i) >>> 11) * 0x1p-53);
        }
    }

    static void halfFloats(MemorySegment s, long e0, long n, long key) {
        for (long i = 0; i < n; i++) {
            long e = e0 + i;
            int k = (int) (word(key, e >>> 2) >>> ((e & 3) << 4)) & 0xffff;
            s.set(Layouts.LE_SHORT, i << 1, HALF[k >>> 5]);
        }
    }

    static void int8s(MemorySegment s, long e0, long n, long key) {
        for (long i = 0; i < n; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, int8At(key, e0 + i));
        }
    }

    static void bools(MemorySegment s, long e0, long n, long key) {
        s.fill((byte) 0);
        for (long i = 0; i < n; i++) {
            if (boolAt(key, e0 + i)) {
                long b = i >>> 3;
                s.set(ValueLayout.JAVA_BYTE, b, (byte) (s.get(ValueLayout.JAVA_BYTE, b) | (1 << (i & 7))));
            }
        }
    }

    private static ColumnSource binaries(ColumnSpec spec, long key) {
        int size = spec.size();
        long words = (size + 7) >>> 3;
        return new ColumnSource() {
            @Override
            public void fill(long first, PageBuffers out) {
                int n = Math.toIntExact(out.valueCount());
                MemorySegment offsets = out.offsets();
                MemorySegment data = out.data((long) n * size + 8);
                for (int v = 0; v < n; v++) {
                    offsets.set(Layouts.LE_INT, 4L * v, v * size);
                    long base = (long) v * size;
                    long w0 = (first + v) * words;
                    for (long w = 0; w < words; w++) {
                        // the data buffer has 8 spare bytes: the last word may overhang, the next value overwrites it
                        data.set(Layouts.LE_LONG, base + (w << 3), word(key, w0 + w));
                    }
                }
                offsets.set(Layouts.LE_INT, 4L * n, n * size);
            }

            @Override
            public long estimatedBytesPerRow() {
                return size;
            }
        };
    }

    private static ColumnSource strings(ColumnSpec spec, long key) {
        long charKey = ValueHasher.mix64(key ^ 0x5DEECE66DL);
        long perRow = spec.valuesPerRow();
        return new ColumnSource() {
            @Override
            public void fill(long first, PageBuffers out) {
                int n = Math.toIntExact(out.valueCount());
                MemorySegment offsets = out.offsets();
                MemorySegment data = out.data((long) n * (MIN_STRING + MAX_STRING) / 2 + MAX_STRING);
                int pos = 0;
                long e0 = first * perRow;
                for (int v = 0; v < n; v++) {
                    offsets.set(Layouts.LE_INT, 4L * v, pos);
                    long e = e0 + v;
                    int len = MIN_STRING + (int) ((word(key, e) >>> 32) % (MAX_STRING - MIN_STRING + 1));
                    if (pos + len > data.byteSize()) {
                        data = out.data(Math.max(data.byteSize() * 2, pos + len));
                    }
                    // 12 characters of 5 bits per word; at most 8 words per string
                    for (int c = 0; c < len; c += 12) {
                        long w = word(charKey, e * 8 + c / 12);
                        for (int k = 0; k < 12 && c + k < len; k++) {
                            data.set(ValueLayout.JAVA_BYTE, pos + c + k, TEXT[(int) (w >>> (5 * k)) & 31]);
                        }
                    }
                    pos += len;
                }
                offsets.set(Layouts.LE_INT, 4L * n, pos);
            }

            @Override
            public long estimatedBytesPerRow() {
                return perRow * (MIN_STRING + MAX_STRING) / 2;
            }
        };
    }
}
