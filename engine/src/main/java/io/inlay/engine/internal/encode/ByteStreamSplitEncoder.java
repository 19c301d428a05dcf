package io.inlay.engine.internal.encode;

import io.inlay.engine.internal.memory.GrowableBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * BYTE_STREAM_SPLIT: byte {@code k} of every value goes to stream {@code k}, the streams one after
 * another. It does not shrink data by itself but groups the exponent bytes of floats together,
 * which helps the codec that follows.
 *
 * <pre>
 * values   a0 a1 a2 a3 | b0 b1 b2 b3 | c0 c1 c2 c3
 * encoded  a0 b0 c0 | a1 b1 c1 | a2 b2 c2 | a3 b3 c3
 * </pre>
 */
public final class ByteStreamSplitEncoder {
    private ByteStreamSplitEncoder() {}

    /** Appends the encoding of {@code count} values of {@code width} bytes from value {@code first}. */
    public static void encode(MemorySegment src, long first, long count, int width, GrowableBuffer out) {
        long at = out.reserve(count * width);
        MemorySegment dst = out.segment();
        long base = first * width;
        for (int k = 0; k < width; k++) {
            long stream = at + k * count;
            for (long i = 0; i < count; i++) {
                dst.set(ValueLayout.JAVA_BYTE, stream + i, src.get(ValueLayout.JAVA_BYTE, base + i * width + k));
            }
        }
    }
}
