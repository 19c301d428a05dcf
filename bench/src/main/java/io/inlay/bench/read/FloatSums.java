package io.inlay.bench.read;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The summation loop every contender that exposes its floats in bulk shares, so that differences
 * between contenders come from reading, not from adding. Eight double accumulators keep the
 * adds independent; for benchmark data (see {@link io.inlay.bench.data.DatasetSpec}) the result
 * is exact whatever the order.
 */
public final class FloatSums {

    /** Little-endian float32 at any byte offset, as Parquet stores PLAIN floats. */
    public static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FloatSums() {}

    /** The sum of {@code count} little-endian floats starting at byte {@code offset} of {@code s}. */
    public static double sum(MemorySegment s, long offset, long count) {
        Objects.checkFromIndexSize(offset, count * 4, s.byteSize());
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        long p = offset;
        long end8 = offset + (count & ~7L) * 4;
        for (; p < end8; p += 32) {
            a0 += s.get(LE_FLOAT, p);
            a1 += s.get(LE_FLOAT, p + 4);
            a2 += s.get(LE_FLOAT, p + 8);
            a3 += s.get(LE_FLOAT, p + 12);
            a4 += s.get(LE_FLOAT, p + 16);
            a5 += s.get(LE_FLOAT, p + 20);
            a6 += s.get(LE_FLOAT, p + 24);
            a7 += s.get(LE_FLOAT, p + 28);
        }
        long end = offset + count * 4;
        for (; p < end; p += 4) {
            a0 += s.get(LE_FLOAT, p);
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /** The sum of {@code values[from, to)}. */
    public static double sum(float[] values, int from, int to) {
        Objects.checkFromToIndex(from, to, values.length);
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int i = from;
        int end8 = from + ((to - from) & ~7);
        for (; i < end8; i += 8) {
            a0 += values[i];
            a1 += values[i + 1];
            a2 += values[i + 2];
            a3 += values[i + 3];
            a4 += values[i + 4];
            a5 += values[i + 5];
            a6 += values[i + 6];
            a7 += values[i + 7];
        }
        for (; i < to; i++) {
            a0 += values[i];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }
}
