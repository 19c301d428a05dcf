package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * DELTA_BYTE_ARRAY (front coding): prefix lengths (DELTA_BINARY_PACKED), then suffixes as
 * DELTA_LENGTH_BYTE_ARRAY; each value is the previous value's first {@code prefix} bytes followed
 * by its suffix. For byte arrays the previous value is the one last written to the output (which
 * also carries it across pages, as some writers expect); FIXED_LEN_BYTE_ARRAY values keep it here.
 */
public final class BinaryDeltaByteArrayDecoder extends ValueDecoder {
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
    /** Byte arrays: the output last read into, whose last value the next value's prefix refers to. */
    private BinaryOutput lastOut;
    /** Byte arrays: the last value skipped, when a skip came after the last read ({@link #skippedLength} >= 0). */
    private byte[] skipped = new byte[0];
    private int skippedLength = -1;

    /** @param fixedWidth the value width of a FIXED_LEN_BYTE_ARRAY column, or 0 for byte arrays */
    public BinaryDeltaByteArrayDecoder(int fixedWidth) {
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
        lastOut = out;
        int done = 0;
        while (done < n) {
            int take = next(Math.min(BATCH, n - done));
            for (int i = 0; i < take; i++) {
                long prefix = prefixBatch[i];
                long len = checkSuffix(suffixBatch[i]);
                if (skippedLength >= 0) {
                    // the previous value was skipped: it is here, not in the output
                    long whole = checkPrefix(prefix, skippedLength) + len;
                    keepSkipped(whole);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, skipped, (int) prefix, (int) len);
                    out.append(MemorySegment.ofArray(skipped), 0, (int) whole);
                    skippedLength = -1;
                } else {
                    out.appendWithPrefix((int) checkPrefix(prefix, out.lastLength()), data, pos, (int) len);
                }
                pos += len;
            }
            done += take;
        }
    }

    private static long checkPrefix(long prefix, int previousLength) throws DecodeException {
        if (prefix < 0 || prefix > previousLength) {
            throw new DecodeException("DELTA_BYTE_ARRAY prefix of " + prefix + " bytes is longer than the previous value ("
                    + previousLength + " bytes)");
        }
        return prefix;
    }

    private void keepSkipped(long bytes) throws DecodeException {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DecodeException("DELTA_BYTE_ARRAY value of " + bytes + " bytes");
        }
        if (bytes > skipped.length) {
            skipped = java.util.Arrays.copyOf(skipped, (int) Math.max(bytes, Math.min(2L * skipped.length, Integer.MAX_VALUE - 8)));
        }
    }

    /**
     * Skips {@code n} values. Front coding makes each value depend on the one before, so skipped
     * values are still assembled (into a heap copy of the last one, for the next read's prefix).
     */
    @Override
    public void skip(int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            int take = next(Math.min(BATCH, n - done));
            for (int i = 0; i < take; i++) {
                long prefix = prefixBatch[i];
                long len = checkSuffix(suffixBatch[i]);
                if (fixedWidth != 0) {
                    checkFixed(prefix, len);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, previous, (int) prefix, (int) len);
                } else {
                    if (skippedLength < 0) {
                        MemorySegment last = lastOut == null ? MemorySegment.NULL : lastOut.last();
                        checkPrefix(prefix, (int) last.byteSize());
                        keepSkipped(prefix + len);
                        MemorySegment.copy(last, ValueLayout.JAVA_BYTE, 0, skipped, 0, (int) prefix);
                    } else {
                        checkPrefix(prefix, skippedLength);
                        keepSkipped(prefix + len);
                    }
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, skipped, (int) prefix, (int) len);
                    skippedLength = (int) (prefix + len);
                }
                pos += len;
            }
            done += take;
        }
    }

    private void checkFixed(long prefix, long len) throws DecodeException {
        if (prefix < 0 || prefix + len != fixedWidth) {
            throw new DecodeException("DELTA_BYTE_ARRAY value of prefix " + prefix + " and suffix " + len
                    + " bytes is not " + fixedWidth + " bytes long");
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
                checkFixed(prefix, len);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, previous, (int) prefix, (int) len);
                MemorySegment.copy(previous, 0, dst, ValueLayout.JAVA_BYTE,
                        dstOffset + (long) (done + i) * fixedWidth, fixedWidth);
                pos += len;
            }
            done += take;
        }
    }
}
