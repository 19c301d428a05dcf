package io.inlay.engine.internal.encode;

import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.schema.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * PLAIN encoding of dense values (no nulls) from the Arrow layout:
 *
 * <pre>
 * FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY(2)   the little-endian values as they are (one bulk copy)
 * INT32 for int8                           each byte sign-extended to 4 bytes, little-endian
 * BOOLEAN                                  bit-packed, least significant bit first, last byte zero-padded
 * BYTE_ARRAY                               per value: 4-byte little-endian length, then the bytes
 * </pre>
 */
public final class PlainEncoder {

    private PlainEncoder() {}

    /**
     * Appends the PLAIN encoding of {@code count} values of {@code type} from element {@code first}
     * to {@code out}: from {@code src} at {@code width} bytes a value (bits for booleans), or for
     * byte arrays the bytes of {@code src} that {@code varOffsets} delimit.
     */
    public static void encode(DType type, int width, MemorySegment src, MemorySegment varOffsets, long first, long count,
            GrowableBuffer out) {
        switch (type) {
            case FLOAT32, LIST, FLOAT64, FLOAT16 -> out.put(src, first * width, count * width);
            case INT8 -> {
                long at = out.reserve(count * 4);
                MemorySegment dst = out.segment();
                for (long i = 0; i < count; i++) {
                    dst.set(Layouts.LE_INT, at + i * 4, src.get(ValueLayout.JAVA_BYTE, first + i));
                }
            }
            case BOOL -> encodeBits(src, first, count, out);
            case STRING, BINARY -> encodeByteArrays(varOffsets, src, first, count, out);
        }
    }

    /** Bits {@code [first, first + count)} of {@code src}, repacked from bit 0. */
    static void encodeBits(MemorySegment src, long first, long count, GrowableBuffer out) {
        long bytes = (count + 7) >>> 3;
        long at = out.reserve(bytes);
        MemorySegment dst = out.segment();
        if ((first & 7) == 0) {
            MemorySegment.copy(src, first >>> 3, dst, at, bytes);
        } else {
            for (long j = 0; j < bytes; j++) {
                int b = 0;
                for (int k = 0; k < 8; k++) {
                    long bit = first + j * 8 + k;
                    if (j * 8 + k < count && (src.get(ValueLayout.JAVA_BYTE, bit >>> 3) & (1 << (bit & 7))) != 0) {
                        b |= 1 << k;
                    }
                }
                dst.set(ValueLayout.JAVA_BYTE, at + j, (byte) b);
            }
        }
        int tail = (int) (count & 7);
        if (tail != 0) {
            // bits past the last value are unspecified in the input: zero them so files are reproducible
            long last = at + bytes - 1;
            dst.set(ValueLayout.JAVA_BYTE, last, (byte) (dst.get(ValueLayout.JAVA_BYTE, last) & ((1 << tail) - 1)));
        }
    }

    private static void encodeByteArrays(MemorySegment offsets, MemorySegment data, long first, long count,
            GrowableBuffer out) {
        long start = offsets.get(Layouts.LE_INT, first * 4);
        long end = offsets.get(Layouts.LE_INT, (first + count) * 4);
        out.ensureCapacity(out.size() + count * 4 + (end - start));
        long prev = start;
        for (long i = 0; i < count; i++) {
            long next = offsets.get(Layouts.LE_INT, (first + i + 1) * 4);
            int len = (int) (next - prev);
            out.putIntLE(len);
            out.put(data, prev, len);
            prev = next;
        }
    }
}
