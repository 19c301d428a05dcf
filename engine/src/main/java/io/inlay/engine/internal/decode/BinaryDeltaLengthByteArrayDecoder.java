package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import java.lang.foreign.MemorySegment;

/** DELTA_LENGTH_BYTE_ARRAY: all lengths (DELTA_BINARY_PACKED), then all the bytes back to back. */
public final class BinaryDeltaLengthByteArrayDecoder extends ValueDecoder {
    private static final int BATCH = 1024;
    private final DeltaBinaryPackedReader lengths = new DeltaBinaryPackedReader();
    private final long[] batch = new long[BATCH];
    private MemorySegment data;
    private long pos;
    private long end;

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) throws DecodeException {
        long limit = offset + length;
        lengths.init(segment, offset, limit);
        long dataStart = lengths.scanEnd();
        lengths.init(segment, offset, limit);
        data = segment;
        pos = dataStart;
        end = limit;
    }

    @Override
    public long maxAvailable() {
        return lengths.remaining();
    }

    @Override
    public void readBinary(BinaryOutput out, int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int take = Math.min(BATCH, n - done);
            lengths.read(batch, 0, take);
            for (int i = 0; i < take; i++) {
                long len = checkLength(batch[i]);
                out.append(data, pos, (int) len);
                pos += len;
            }
            done += take;
        }
    }

    @Override
    public void skip(int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int take = Math.min(BATCH, n - done);
            lengths.read(batch, 0, take);
            for (int i = 0; i < take; i++) {
                pos += checkLength(batch[i]);
            }
            done += take;
        }
    }

    private long checkLength(long len) throws DecodeException {
        if (len < 0 || len > end - pos) {
            throw new DecodeException("DELTA_LENGTH_BYTE_ARRAY value of " + len + " bytes does not fit the "
                    + (end - pos) + " bytes left");
        }
        return len;
    }
}
