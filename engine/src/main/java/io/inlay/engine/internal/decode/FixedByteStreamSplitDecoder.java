package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * BYTE_STREAM_SPLIT: K streams of N bytes, stream j holding byte j of every value; the section
 * holds exactly K * N bytes, N being the number of non-null values. INT32 columns annotated INT(8)/INT(16) narrow on output.
 */
public final class FixedByteStreamSplitDecoder extends ValueDecoder {
    private final int width;
    private final int outWidth;
    private MemorySegment data;
    private long base;
    private long stride;
    private long index;

    public FixedByteStreamSplitDecoder(int width, int outWidth) {
        this.width = width;
        this.outWidth = outWidth;
    }

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) throws DecodeException {
        // K streams of N bytes and no padding: N follows from the section's length
        if (length % width != 0) {
            throw new DecodeException("BYTE_STREAM_SPLIT section of " + length + " bytes is not a whole number of "
                    + width + "-byte values");
        }
        data = segment;
        base = offset;
        stride = length / width;
        index = 0;
    }

    @Override
    public long maxAvailable() {
        return stride - index;
    }

    @Override
    public void readFixed(MemorySegment dst, long dstOffset, int n) throws DecodeException {
        if (n > stride - index) {
            throw new DecodeException("BYTE_STREAM_SPLIT has " + (stride - index) + " values left, " + n + " wanted");
        }
        for (int i = 0; i < n; i++) {
            long v = 0;
            long at = base + index + i;
            for (int j = 0; j < width; j++) {
                v |= (data.get(Layouts.BYTE, at + j * stride) & 0xffL) << (8 * j);
            }
            long o = dstOffset + (long) i * outWidth;
            switch (outWidth) {
                case 1 -> dst.set(Layouts.BYTE, o, (byte) v);
                case 2 -> dst.set(Layouts.LE_SHORT, o, (short) v);
                case 4 -> dst.set(Layouts.LE_INT, o, (int) v);
                case 8 -> dst.set(Layouts.LE_LONG, o, v);
                default -> throw new IllegalStateException("output width " + outWidth);
            }
        }
        index += n;
    }

    @Override
    public void skip(int n) throws DecodeException {
        if (n > stride - index) {
            throw new DecodeException("BYTE_STREAM_SPLIT has " + (stride - index) + " values left, " + n + " wanted");
        }
        index += n;
    }
}
