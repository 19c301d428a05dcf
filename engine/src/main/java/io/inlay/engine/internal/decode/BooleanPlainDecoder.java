package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import java.lang.foreign.MemorySegment;

/** PLAIN booleans: bit-packed LSB first, the same bit order as Arrow's, so aligned runs copy as bytes. */
public final class BooleanPlainDecoder extends ValueDecoder {
    private MemorySegment data;
    private long bit;
    private long endBit;

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) {
        data = segment;
        bit = offset * 8;
        endBit = (offset + length) * 8;
    }

    @Override
    public long maxAvailable() {
        return endBit - bit;
    }

    @Override
    public void readBits(MemorySegment dst, long dstBit, int n) throws DecodeException {
        if (n > endBit - bit) {
            throw shortData(n + " more PLAIN booleans", (n + 7L) / 8, (endBit - bit) / 8);
        }
        Bits.copy(data, bit, dst, dstBit, n);
        bit += n;
    }

    @Override
    public void skip(int n) throws DecodeException {
        if (n > endBit - bit) {
            throw shortData(n + " more PLAIN booleans", (n + 7L) / 8, (endBit - bit) / 8);
        }
        bit += n;
    }
}
