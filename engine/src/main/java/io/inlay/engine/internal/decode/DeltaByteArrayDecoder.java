package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import java.lang.foreign.MemorySegment;

/**
 * DELTA_BYTE_ARRAY (front coding): prefix lengths (DELTA_BINARY_PACKED), then suffixes as
 * DELTA_LENGTH_BYTE_ARRAY; each value is the previous value's first {@code prefix} bytes followed
 * by its suffix. For byte arrays the previous value is the one last written to the output (which
 * also carries it across pages, as some writers expect); FIXED_LEN_BYTE_ARRAY values keep it here.
 */
public final class DeltaByteArrayDecoder extends ValueDecoder {
    private static final int BATCH = 1024;
    private final DeltaBinaryPackedReader prefixes = new DeltaBinaryPackedReader();
    private final DeltaBinaryPackedReader suffixes = new DeltaBinaryPackedReader();
    private final long[] prefixBatch = new long[BATCH];
    private final long[] suffixBatch = new long[BATCH];
    private final int fixedWidth;
    private final byte[] previous;
    private MemorySegment data;
    private long pos;
    private long end;

    /** @param fixedWidth the value width of a FIXED_LEN_BYTE_ARRAY column, or 0 for byte arrays */
    public DeltaByteArrayDecoder(int fixedWidth) {
        this.fixedWidth = fixedWidth;
        this.previous = new byte[fixedWidth];
    }

    @Override
    public void init(MemorySegment segment, long offset, long length, int maxCount) throws DecodeException {
        long limit = offset + length;
        prefixes.init(segment, offset, limit);
        long suffixStart = prefixes.scanEnd();
        prefixes.init(segment, offset, limit);
        suffixes.init(segment, suffixStart, limit);
        long dataStart = suffixes.scanEnd();
        suffixes.init(segment, suffixStart, limit);
        if (prefixes.total() != suffixes.total()) {
            throw new DecodeException("DELTA_BYTE_ARRAY has " + prefixes.total() + " prefixes but " + suffixes.total()
                    + " suffixes");
        }
        data = segment;
        pos = dataStart;
        end = limit;
    }

    @Override
    public long maxAvailable() {
        return prefixes.remaining();
    }

    private int next(int take) throws DecodeException {
        prefixes.read(prefixBatch, 0, take);
        suffixes.read(suffixBatch, 0, take);
        return take;
    }

    private long checkSuffix(long len) throws DecodeException {
        if (len < 0 || len > end - pos) {
            throw new DecodeException("DELTA_BYTE_ARRAY suffix of " + len + " bytes does not fit the " + (end - pos)
                    + " bytes left");
        }
        return len;
    }

    @Override
    public void readBinary(BinaryOutput out, int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int take = next(Math.min(BATCH, n - done));
            for (int i = 0; i < take; i++) {
                long prefix = prefixBatch[i];
                if (prefix < 0 || prefix > out.lastLength()) {
                    throw new DecodeException("DELTA_BYTE_ARRAY prefix of " + prefix + " bytes is longer than the previous value ("
                            + out.lastLength() + " bytes)");
                }
                long len = checkSuffix(suffixBatch[i]);
                out.appendWithPrefix((int) prefix, data, pos, (int) len);
                pos += len;
            }
            done += take;
        }
    }

    @Override
    public void readFixed(MemorySegment dst, long dstOffset, int n) throws DecodeException {
        if (fixedWidth == 0) {
            throw new UnsupportedOperationException("byte arrays are not fixed-width");
        }
        int done = 0;
        while (done < n) {
            int take = next(Math.min(BATCH, n - done));
            for (int i = 0; i < take; i++) {
                long prefix = prefixBatch[i];
                long len = checkSuffix(suffixBatch[i]);
                if (prefix < 0 || prefix + len != fixedWidth) {
                    throw new DecodeException("DELTA_BYTE_ARRAY value of prefix " + prefix + " and suffix " + len
                            + " bytes is not " + fixedWidth + " bytes long");
                }
                MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, pos, previous, (int) prefix, (int) len);
                MemorySegment.copy(previous, 0, dst, java.lang.foreign.ValueLayout.JAVA_BYTE,
                        dstOffset + (long) (done + i) * fixedWidth, fixedWidth);
                pos += len;
            }
            done += take;
        }
    }
}
