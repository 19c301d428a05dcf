package io.inlay.engine.internal.write;

import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.vector.ColumnChecksum;
import io.inlay.engine.vector.ValueHasher;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.apache.parquet.format.Statistics;

/**
 * Statistics of one column: per chunk, min/max (type-defined order) and null count for the footer;
 * per file, the {@link ColumnChecksum}. Values are seen once, page by page, in the pass that also
 * hashes them, so statistics cost one read of the page's values.
 *
 * <p>Floats follow the format's rules: NaN never enters min/max, a minimum of +0 is written as -0
 * and a maximum of -0 as +0. Byte-array min/max longer than {@value #MAX_BYTES_STAT} bytes (Arrow's
 * default limit) are left out rather than truncated. Confined to the writer's thread.
 */
final class ColumnStatistics {
    static final int MAX_BYTES_STAT = 4096;

    private final StoredColumn column;
    private final ValueHasher hasher = new ValueHasher();
    // file-wide checksum
    private long values;
    private long nulls;
    private double sum;
    // chunk statistics; doubles hold float32, float64 and float16 values, longs int8
    private long chunkNulls;
    private long chunkValues;
    private double minD;
    private double maxD;
    private long minL;
    private long maxL;
    private boolean hasRange;
    private byte[] minBytes = new byte[16];
    private byte[] maxBytes = new byte[16];
    private int minLen;
    private int maxLen;

    private final boolean statistics;
    private final boolean checksums;

    /**
     * Float and double pages skip the min/max pass without {@code statistics}, and the sum and the
     * hash without {@code checksums}.
     */
    ColumnStatistics(StoredColumn column, boolean statistics, boolean checksums) {
        this.column = column;
        this.statistics = statistics;
        this.checksums = checksums;
    }

    void beginChunk() {
        chunkNulls = 0;
        chunkValues = 0;
        minD = Double.POSITIVE_INFINITY;
        maxD = Double.NEGATIVE_INFINITY;
        minL = Long.MAX_VALUE;
        maxL = Long.MIN_VALUE;
        hasRange = false;
        minLen = -1;
        maxLen = -1;
    }

    void addNulls(long n) {
        chunkNulls += n;
        nulls += n;
    }

    /** Accounts for a page's dense values. */
    void accept(PageInput v) {
        long n = v.elementCount();
        chunkValues += n;
        values += n;
        switch (column.elementType()) {
            case FLOAT32, LIST -> floats(v.values(), v.firstElement() * 4, n);
            case FLOAT64 -> doubles(v.values(), v.firstElement() * 8, n);
            case FLOAT16 -> halfFloats(v.values(), v.firstElement() * 2, n);
            case INT8 -> bytes(v.values(), v.firstElement(), n);
            case BOOL -> bits(v.values(), v.firstElement(), n);
            case STRING, BINARY -> byteArrays(v.varOffsets(), v.values(), v.firstElement(), n);
        }
    }

    /**
     * Float min/max through order-preserving int keys (flip the magnitude bits of negatives), which
     * the JIT vectorises; NaNs show up as magnitudes above infinity's and send the page to a loop
     * that skips them. The sum keeps four accumulators to overlap the additions.
     */
    private void floats(MemorySegment s, long base, long n) {
        if (statistics) {
            floatRange(s, base, n);
        }
        if (checksums) {
            floatChecksum(s, base, n);
        }
    }

    private void floatRange(MemorySegment s, long base, long n) {
        int minKey = Integer.MAX_VALUE;
        int maxKey = Integer.MIN_VALUE;
        int magnitude = 0;
        for (long i = 0; i < n; i++) {
            int bits = s.get(Layouts.LE_INT, base + (i << 2));
            int key = bits ^ ((bits >> 31) & 0x7fffffff);
            minKey = Math.min(minKey, key);
            maxKey = Math.max(maxKey, key);
            magnitude = Math.max(magnitude, bits & 0x7fffffff);
        }
        if (magnitude > 0x7f800000) {
            floatsWithNaN(s, base, n);
        } else if (n > 0) {
            float lo = Float.intBitsToFloat(minKey ^ ((minKey >> 31) & 0x7fffffff));
            float hi = Float.intBitsToFloat(maxKey ^ ((maxKey >> 31) & 0x7fffffff));
            minD = Math.min(minD, lo);
            maxD = Math.max(maxD, hi);
        }
    }

    private void floatChecksum(MemorySegment s, long base, long n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        long i = 0;
        for (; i + 3 < n; i += 4) {
            long at = base + (i << 2);
            s0 += s.get(Layouts.LE_FLOAT, at);
            s1 += s.get(Layouts.LE_FLOAT, at + 4);
            s2 += s.get(Layouts.LE_FLOAT, at + 8);
            s3 += s.get(Layouts.LE_FLOAT, at + 12);
        }
        for (; i < n; i++) {
            s0 += s.get(Layouts.LE_FLOAT, base + (i << 2));
        }
        sum += (s0 + s1) + (s2 + s3);
        hasher.addBytes(s, base, n << 2);
    }

    private void floatsWithNaN(MemorySegment s, long base, long n) {
        for (long i = 0; i < n; i++) {
            float f = s.get(Layouts.LE_FLOAT, base + (i << 2));
            // comparisons with NaN are false: NaNs never become min or max
            if (f < minD) {
                minD = f;
            }
            if (f > maxD) {
                maxD = f;
            }
        }
    }

    private void doubles(MemorySegment s, long base, long n) {
        if (statistics) {
            doubleRange(s, base, n);
        }
        if (checksums) {
            doubleChecksum(s, base, n);
        }
    }

    private void doubleRange(MemorySegment s, long base, long n) {
        long minKey = Long.MAX_VALUE;
        long maxKey = Long.MIN_VALUE;
        long magnitude = 0;
        for (long i = 0; i < n; i++) {
            long bits = s.get(Layouts.LE_LONG, base + (i << 3));
            long key = bits ^ ((bits >> 63) & Long.MAX_VALUE);
            minKey = Math.min(minKey, key);
            maxKey = Math.max(maxKey, key);
            magnitude = Math.max(magnitude, bits & Long.MAX_VALUE);
        }
        if (magnitude > 0x7ff0000000000000L) {
            for (long i = 0; i < n; i++) {
                double d = s.get(Layouts.LE_DOUBLE, base + (i << 3));
                if (d < minD) {
                    minD = d;
                }
                if (d > maxD) {
                    maxD = d;
                }
            }
        } else if (n > 0) {
            minD = Math.min(minD, Double.longBitsToDouble(minKey ^ ((minKey >> 63) & Long.MAX_VALUE)));
            maxD = Math.max(maxD, Double.longBitsToDouble(maxKey ^ ((maxKey >> 63) & Long.MAX_VALUE)));
        }
    }

    private void doubleChecksum(MemorySegment s, long base, long n) {
        double s0 = 0;
        double s1 = 0;
        long i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += s.get(Layouts.LE_DOUBLE, base + (i << 3));
            s1 += s.get(Layouts.LE_DOUBLE, base + (i << 3) + 8);
        }
        if (i < n) {
            s0 += s.get(Layouts.LE_DOUBLE, base + (i << 3));
        }
        sum += s0 + s1;
        hasher.addBytes(s, base, n << 3);
    }

    private void halfFloats(MemorySegment s, long base, long n) {
        double total = 0;
        for (long i = 0; i < n; i++) {
            float f = Float.float16ToFloat(s.get(Layouts.LE_SHORT, base + i * 2));
            if (f < minD) { minD = f; }
            if (f > maxD) { maxD = f; }
            total += f;
        }
        hasher.addBytes(s, base, n * 2);
        sum += total;
    }

    private void bytes(MemorySegment s, long base, long n) {
        long total = 0;
        for (long i = 0; i < n; i++) {
            long b = s.get(ValueLayout.JAVA_BYTE, base + i);
            if (b < minL) { minL = b; }
            if (b > maxL) { maxL = b; }
            total += b;
        }
        hasher.addBytes(s, base, n);
        sum += total;
    }

    private void bits(MemorySegment s, long first, long n) {
        long trues = 0;
        for (long i = 0; i < n; i++) {
            long bit = first + i;
            int b = (s.get(ValueLayout.JAVA_BYTE, bit >>> 3) >>> (bit & 7)) & 1;
            trues += b;
            hasher.addByte(b);
        }
        if (trues < n) {
            minL = Math.min(minL, 0);
            maxL = Math.max(maxL, 0);
        }
        if (trues > 0) {
            minL = Math.min(minL, 1);
            maxL = Math.max(maxL, 1);
        }
        sum += trues;
    }

    private void byteArrays(MemorySegment offsets, MemorySegment data, long first, long n) {
        long total = 0;
        int prev = offsets.get(Layouts.LE_INT, first * 4);
        for (long i = 0; i < n; i++) {
            int next = offsets.get(Layouts.LE_INT, (first + i + 1) * 4);
            int len = next - prev;
            total += len;
            hasher.addIntLE(len);
            hasher.addBytes(data, prev, len);
            if (minLen < 0 || compare(data, prev, len, minBytes, minLen) < 0) {
                minBytes = copy(data, prev, len, minBytes);
                minLen = len;
            }
            if (maxLen < 0 || compare(data, prev, len, maxBytes, maxLen) > 0) {
                maxBytes = copy(data, prev, len, maxBytes);
                maxLen = len;
            }
            prev = next;
        }
        sum += total;
    }

    /** Bytes kept of the minimum and maximum: one more than a statistic may hold, to tell the too long apart. */
    private static final int KEPT = MAX_BYTES_STAT + 1;

    /**
     * Unsigned lexicographic order (the format's for BYTE_ARRAY) of value {@code a} against a value
     * of {@code bLen} bytes of which {@code b} keeps the first {@code min(bLen, KEPT)}. Exact, except
     * that two values longer than {@code KEPT} bytes that agree on their first {@code KEPT} compare
     * equal: the minimum (maximum) is then longer than any statistic either way, and every later
     * comparison with it is decided within those bytes, so what the footer gets is exact. This keeps
     * a chunk of 1 MiB samples from copying each new minimum and maximum whole.
     */
    private static int compare(MemorySegment a, long off, int len, byte[] b, int bLen) {
        int kept = Math.min(bLen, KEPT);
        int n = Math.min(len, kept);
        for (int i = 0; i < n; i++) {
            int x = a.get(ValueLayout.JAVA_BYTE, off + i) & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        if (kept < bLen && len >= kept) {
            return 0;
        }
        return Integer.compare(len, bLen);
    }

    /** The first {@code min(len, KEPT)} bytes of a value, in {@code dst} if it is large enough. */
    private static byte[] copy(MemorySegment src, long off, int len, byte[] dst) {
        int n = Math.min(len, KEPT);
        byte[] out = dst.length >= n ? dst : new byte[Math.min(KEPT, Math.max(n, dst.length * 2))];
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, out, 0, n);
        return out;
    }

    /** The chunk's statistics for the footer. */
    Statistics chunkStatistics() {
        Statistics st = new Statistics();
        st.setNull_count(chunkNulls);
        if (chunkValues == 0) {
            return st;
        }
        byte[] min = null;
        byte[] max = null;
        switch (column.elementType()) {
            case FLOAT32, LIST -> {
                if (minD <= maxD) {
                    float lo = minD == 0 ? -0.0f : (float) minD;
                    float hi = maxD == 0 ? 0.0f : (float) maxD;
                    min = le(Float.floatToRawIntBits(lo), 4);
                    max = le(Float.floatToRawIntBits(hi), 4);
                }
            }
            case FLOAT64 -> {
                if (minD <= maxD) {
                    min = le(Double.doubleToRawLongBits(minD == 0 ? -0.0 : minD), 8);
                    max = le(Double.doubleToRawLongBits(maxD == 0 ? 0.0 : maxD), 8);
                }
            }
            case FLOAT16 -> {
                if (minD <= maxD) {
                    min = le(Float.floatToFloat16(minD == 0 ? -0.0f : (float) minD), 2);
                    max = le(Float.floatToFloat16(maxD == 0 ? 0.0f : (float) maxD), 2);
                }
            }
            case INT8 -> {
                min = le(minL, 4);
                max = le(maxL, 4);
            }
            case BOOL -> {
                min = new byte[] {(byte) minL};
                max = new byte[] {(byte) maxL};
            }
            case STRING, BINARY -> {
                if (minLen <= MAX_BYTES_STAT && maxLen <= MAX_BYTES_STAT) {
                    min = Arrays.copyOf(minBytes, minLen);
                    max = Arrays.copyOf(maxBytes, maxLen);
                }
            }
        }
        if (min != null) {
            st.setMin_value(min);
            st.setMax_value(max);
        }
        return st;
    }

    private static byte[] le(long v, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    ColumnChecksum checksum() {
        return new ColumnChecksum(column.name(), values, nulls, sum, hasher.value());
    }
}
