package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/** PLAIN byte arrays: each value is a 4-byte little-endian length followed by its bytes. */
public final class BinaryPlainDecoder extends ValueDecoder {
    private MemorySegment data;
    private long pos;
    private long end;

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) {
        data = segment;
        pos = offset;
        end = offset + length;
    }

    @Override
    public long maxAvailable() {
        return (end - pos) / 4;
    }

    @Override
    public void readBinary(BinaryOutput out, int n) throws DecodeException {
        for (int i = 0; i < n; i++) {
            long len = length(i);
            out.append(data, pos + 4, (int) len);
            pos += 4 + len;
        }
    }

    @Override
    public void skip(int n) throws DecodeException {
        for (int i = 0; i < n; i++) {
            pos += 4 + length(i);
        }
    }

    /** The length of the value at {@code pos}, checked against the page; value {@code i} of a read, for messages. */
    private long length(int i) throws DecodeException {
        if (end - pos < 4) {
            throw new DecodeException("PLAIN byte array " + i + " has no complete length prefix");
        }
        long len = Integer.toUnsignedLong(data.get(Layouts.LE_INT, pos));
        if (len > end - pos - 4) {
            throw new DecodeException("PLAIN byte array of " + len + " bytes runs past the page ("
                    + (end - pos - 4) + " bytes left)");
        }
        return len;
    }
}
