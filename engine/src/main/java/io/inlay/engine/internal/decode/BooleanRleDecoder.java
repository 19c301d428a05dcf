package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import java.lang.foreign.MemorySegment;

/** RLE booleans: a 4-byte little-endian length, then the RLE / bit-packed hybrid with bit width 1. */
public final class BooleanRleDecoder extends ValueDecoder {
    private static final int BATCH = 1024;
    private final RleBitPackedDecoder rle = new RleBitPackedDecoder();
    private final int[] batch = new int[BATCH];

    @Override
    public void init(MemorySegment segment, long offset, long length, int count) throws DecodeException {
        if (length < 4) {
            throw shortData("the RLE boolean length prefix", 4, length);
        }
        long len = Integer.toUnsignedLong(segment.get(Layouts.LE_INT, offset));
        if (len > length - 4) {
            throw shortData("RLE booleans", len, length - 4);
        }
        rle.init(segment, offset + 4, len, 1);
    }

    @Override
    public void readBits(MemorySegment dst, long dstBit, int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int got = fill(done, n);
            for (int i = 0; i < got; i++) {
                Bits.set(dst, dstBit + done + i, batch[i] != 0);
            }
            done += got;
        }
    }

    /** Decodes the next batch of the {@code n - done} values still wanted; returns how many. */
    private int fill(int done, int n) throws DecodeException {
        int want = Math.min(BATCH, n - done);
        int got = rle.readInts(batch, 0, want);
        if (got < want) {
            throw new DecodeException("RLE booleans end after " + (done + got) + " of " + n + " values");
        }
        return got;
    }

    @Override
    public void skip(int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            done += fill(done, n);
        }
    }
}
