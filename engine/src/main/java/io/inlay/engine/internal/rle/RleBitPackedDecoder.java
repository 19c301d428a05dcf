package io.inlay.engine.internal.rle;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes Parquet's RLE / bit-packed hybrid encoding (used for levels, dictionary indices and
 * RLE booleans) from a region of memory, run by run:
 *
 * <pre>
 * run        := rle-run | bit-packed-run
 * rle-run    := varint(count &lt;&lt; 1)       value in ceil(bitWidth / 8) bytes, little-endian
 * bit-packed := varint(groups &lt;&lt; 1 | 1)  groups * bitWidth bytes: 8 values a group, LSB first
 * </pre>
 *
 * Long RLE runs cost O(1) through {@link #countRun} and {@link #collectZeros}; nothing is read
 * outside the region given to {@link #init}. A truncated final bit-packed run yields only the
 * values its bytes hold. Reusable; confined to one thread.
 */
public final class RleBitPackedDecoder implements LevelReader {

    private MemorySegment data;
    private long pos;
    private long end;
    private int bitWidth;
    private int valueBytes;
    private long mask;

    private boolean rle;
    private long runRemaining;
    private int rleValue;
    private long packedStart;
    private long packedIndex;

    /**
     * Starts decoding {@code data[offset, offset + length)} with the given bit width (0 to 32).
     *
     * @throws DecodeException if the bit width is out of range
     */
    public void init(MemorySegment segment, long offset, long length, int width) throws DecodeException {
        if (width < 0 || width > 32) {
            throw new DecodeException("RLE/bit-packed bit width " + width + " is outside 0..32");
        }
        this.data = segment;
        this.pos = offset;
        this.end = offset + length;
        this.bitWidth = width;
        this.valueBytes = (width + 7) >>> 3;
        this.mask = width == 0 ? 0 : (1L << width) - 1;
        this.runRemaining = 0;
    }

    public int bitWidth() {
        return bitWidth;
    }

    /** The position after the last run header and data loaded so far. */
    public long position() {
        return pos;
    }

    /** Loads the next run; returns false at the end of the data. */
    private boolean nextRun() throws DecodeException {
        while (runRemaining == 0) {
            if (pos >= end) {
                return false;
            }
            long header = readVarint();
            if ((header & 1) == 0) {
                rle = true;
                runRemaining = header >>> 1;
                if (valueBytes > end - pos) {
                    throw new DecodeException("RLE run value needs " + valueBytes + " bytes but " + (end - pos) + " remain");
                }
                int v = 0;
                for (int i = 0; i < valueBytes; i++) {
                    v |= (data.get(ValueLayout.JAVA_BYTE, pos + i) & 0xff) << (8 * i);
                }
                pos += valueBytes;
                if ((v & 0xffffffffL) > mask) {
                    throw new DecodeException("RLE run value " + Integer.toUnsignedString(v) + " does not fit bit width " + bitWidth);
                }
                rleValue = v;
            } else {
                rle = false;
                long groups = header >>> 1;
                long bytes = groups * bitWidth;
                long available = end - pos;
                long values = groups * 8;
                if (bytes > available) {
                    // a truncated last run: only whole values that are present count
                    values = bitWidth == 0 ? values : available * 8 / bitWidth;
                    bytes = available;
                }
                packedStart = pos;
                packedIndex = 0;
                runRemaining = values;
                pos += bytes;
            }
        }
        return true;
    }

    private long readVarint() throws DecodeException {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= end) {
                throw new DecodeException("RLE/bit-packed run header is truncated");
            }
            int b = data.get(ValueLayout.JAVA_BYTE, pos++);
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (value > 0xffffffffL) {
                    throw new DecodeException("RLE/bit-packed run header " + value + " exceeds 32 bits");
                }
                return value;
            }
        }
        throw new DecodeException("RLE/bit-packed run header varint is longer than 5 bytes");
    }

    /** The bit-packed value at {@code index} of the current run. */
    private int packedValue(long index) {
        long bit = index * bitWidth;
        long byteIndex = packedStart + (bit >>> 3);
        int shift = (int) (bit & 7);
        long word;
        if (byteIndex + 8 <= end) {
            word = data.get(Layouts.LE_LONG, byteIndex);
        } else {
            word = 0;
            for (int i = 0; byteIndex + i < end && i < 8; i++) {
                word |= (data.get(ValueLayout.JAVA_BYTE, byteIndex + i) & 0xffL) << (8 * i);
            }
        }
        return (int) ((word >>> shift) & mask);
    }

    /**
     * Reads up to {@code n} values into {@code dst[off..]}.
     *
     * @return how many were read: fewer than {@code n} only at the end of the data
     */
    public int readInts(int[] dst, int off, int n) throws DecodeException {
        int done = 0;
        while (done < n && nextRun()) {
            int take = (int) Math.min(n - done, runRemaining);
            if (rle) {
                java.util.Arrays.fill(dst, off + done, off + done + take, rleValue);
            } else {
                for (int i = 0; i < take; i++) {
                    dst[off + done + i] = packedValue(packedIndex + i);
                }
                packedIndex += take;
            }
            runRemaining -= take;
            done += take;
        }
        return done;
    }

    /** As {@link #readInts} for bit widths of at most 8 (levels). */
    @Override
    public int read(byte[] dst, int off, int n) throws DecodeException {
        int done = 0;
        while (done < n && nextRun()) {
            int take = (int) Math.min(n - done, runRemaining);
            if (rle) {
                java.util.Arrays.fill(dst, off + done, off + done + take, (byte) rleValue);
            } else {
                for (int i = 0; i < take; i++) {
                    dst[off + done + i] = (byte) packedValue(packedIndex + i);
                }
                packedIndex += take;
            }
            runRemaining -= take;
            done += take;
        }
        return done;
    }

    /**
     * Consumes the values equal to {@code value} that come next, at most {@code max} of them.
     *
     * @return how many were consumed (0 when the next value differs or the data has ended)
     */
    @Override
    public long countRun(int value, long max) throws DecodeException {
        long done = 0;
        while (done < max && nextRun()) {
            if (rle) {
                if (rleValue != value) {
                    return done;
                }
                long take = Math.min(max - done, runRemaining);
                runRemaining -= take;
                done += take;
            } else {
                while (done < max && runRemaining > 0) {
                    if (packedValue(packedIndex) != value) {
                        return done;
                    }
                    packedIndex++;
                    runRemaining--;
                    done++;
                }
            }
        }
        return done;
    }

    /**
     * Consumes exactly {@code n} values and writes the positions (0-based, relative to the first
     * of them) of those equal to zero into {@code positions}, which must hold {@code n} entries.
     * Used on repetition levels, where a zero starts a row.
     *
     * @return how many zeros were found
     * @throws DecodeException if fewer than {@code n} values remain
     */
    @Override
    public int collectZeros(int n, int[] positions) throws DecodeException {
        int found = 0;
        int done = 0;
        while (done < n) {
            if (!nextRun()) {
                throw new DecodeException("levels end after " + done + " of " + n + " values");
            }
            int take = (int) Math.min(n - done, runRemaining);
            if (rle) {
                if (rleValue == 0) {
                    for (int i = 0; i < take; i++) {
                        positions[found++] = done + i;
                    }
                }
            } else {
                for (int i = 0; i < take; i++) {
                    if (packedValue(packedIndex + i) == 0) {
                        positions[found++] = done + i;
                    }
                }
                packedIndex += take;
            }
            runRemaining -= take;
            done += take;
        }
        return found;
    }
}
