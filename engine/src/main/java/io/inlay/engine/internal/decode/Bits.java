package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/** Bit-level helpers for LSB-first bitmaps (Parquet PLAIN booleans and Arrow bitmaps share the order). */
public final class Bits {
    private Bits() {}

    public static boolean get(MemorySegment seg, long bit) {
        return (seg.get(Layouts.BYTE, bit >>> 3) & (1 << (bit & 7))) != 0;
    }

    public static void set(MemorySegment seg, long bit, boolean value) {
        long at = bit >>> 3;
        int b = seg.get(Layouts.BYTE, at);
        int m = 1 << (bit & 7);
        seg.set(Layouts.BYTE, at, (byte) (value ? b | m : b & ~m));
    }

    /** Copies {@code n} bits from {@code src} at bit {@code srcBit} to {@code dst} at bit {@code dstBit}. */
    public static void copy(MemorySegment src, long srcBit, MemorySegment dst, long dstBit, long n) {
        if (n <= 0) {
            return;
        }
        if ((srcBit & 7) == 0 && (dstBit & 7) == 0) {
            long whole = n >>> 3;
            MemorySegment.copy(src, srcBit >>> 3, dst, dstBit >>> 3, whole);
            for (long i = whole * 8; i < n; i++) {
                set(dst, dstBit + i, get(src, srcBit + i));
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            set(dst, dstBit + i, get(src, srcBit + i));
        }
    }

    /** Sets {@code n} bits from {@code bit} to {@code value}. */
    public static void fill(MemorySegment dst, long bit, long n, boolean value) {
        long i = 0;
        while (i < n && ((bit + i) & 7) != 0) {
            set(dst, bit + i, value);
            i++;
        }
        long bytes = (n - i) >>> 3;
        if (bytes > 0) {
            dst.asSlice((bit + i) >>> 3, bytes).fill(value ? (byte) 0xff : 0);
            i += bytes * 8;
        }
        for (; i < n; i++) {
            set(dst, bit + i, value);
        }
    }
}
