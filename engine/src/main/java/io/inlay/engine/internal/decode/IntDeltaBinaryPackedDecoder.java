package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/** DELTA_BINARY_PACKED INT32 / INT64 values, written at the column's output width. */
public final class IntDeltaBinaryPackedDecoder extends ValueDecoder {
    private static final int BATCH = 1024;
    private final int outWidth;
    private final DeltaBinaryPackedReader reader = new DeltaBinaryPackedReader();
    private final long[] batch = new long[BATCH];

    public IntDeltaBinaryPackedDecoder(int outWidth) {
        this.outWidth = outWidth;
    }

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) throws DecodeException {
        reader.init(segment, offset, offset + length);
    }

    @Override
    public long maxAvailable() {
        return reader.remaining();
    }

    @Override
    public void readFixed(MemorySegment dst, long dstOffset, int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int take = Math.min(BATCH, n - done);
            reader.read(batch, 0, take);
            long o = dstOffset + (long) done * outWidth;
            for (int i = 0; i < take; i++) {
                switch (outWidth) {
                    case 1 -> dst.set(Layouts.BYTE, o + i, (byte) batch[i]);
                    case 2 -> dst.set(Layouts.LE_SHORT, o + 2L * i, (short) batch[i]);
                    case 4 -> dst.set(Layouts.LE_INT, o + 4L * i, (int) batch[i]);
                    default -> dst.set(Layouts.LE_LONG, o + 8L * i, batch[i]);
                }
            }
            done += take;
        }
    }

    @Override
    public void skip(int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int take = Math.min(BATCH, n - done);
            reader.read(batch, 0, take);
            done += take;
        }
    }
}
