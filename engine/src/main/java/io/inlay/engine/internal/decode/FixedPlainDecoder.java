package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * PLAIN fixed-width values (FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY): stored
 * little-endian back to back, so same-width output is one bulk copy. INT32 columns annotated
 * INT(8)/INT(16) narrow to 1 or 2 bytes per value.
 */
public final class FixedPlainDecoder extends ValueDecoder {
    private final int inWidth;
    private final int outWidth;
    private MemorySegment data;
    private long pos;
    private long end;

    public FixedPlainDecoder(int inWidth, int outWidth) {
        this.inWidth = inWidth;
        this.outWidth = outWidth;
    }

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) {
        this.data = segment;
        this.pos = offset;
        this.end = offset + length;
    }

    @Override
    public long maxAvailable() {
        return (end - pos) / inWidth;
    }

    @Override
    public void readFixed(MemorySegment dst, long dstOffset, int n) throws DecodeException {
        long bytes = (long) n * inWidth;
        if (bytes > end - pos) {
            throw shortData(n + " more PLAIN values", bytes, end - pos);
        }
        if (inWidth == outWidth) {
            MemorySegment.copy(data, pos, dst, dstOffset, bytes);
        } else if (outWidth == 1) {
            for (int i = 0; i < n; i++) {
                dst.set(Layouts.BYTE, dstOffset + i, (byte) data.get(Layouts.LE_INT, pos + 4L * i));
            }
        } else if (outWidth == 2) {
            for (int i = 0; i < n; i++) {
                dst.set(Layouts.LE_SHORT, dstOffset + 2L * i, (short) data.get(Layouts.LE_INT, pos + 4L * i));
            }
        } else {
            throw new IllegalStateException("PLAIN " + inWidth + "-byte values cannot become " + outWidth + "-byte values");
        }
        pos += bytes;
    }

    @Override
    public void skip(int n) throws DecodeException {
        long bytes = (long) n * inWidth;
        if (bytes > end - pos) {
            throw shortData(n + " more PLAIN values", bytes, end - pos);
        }
        pos += bytes;
    }
}
