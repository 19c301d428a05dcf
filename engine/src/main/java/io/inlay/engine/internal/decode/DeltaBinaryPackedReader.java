package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * Reads a DELTA_BINARY_PACKED stream:
 *
 * <pre>
 * header := uleb(block size) uleb(miniblocks per block) uleb(total count) zigzag(first value)
 * block  := zigzag(min delta) byte[miniblocks](bit widths) miniblock bodies
 * </pre>
 *
 * Each miniblock body used is full-size (values per miniblock x bit width bits); miniblocks not
 * needed in the last block have no body. Arithmetic wraps, as the format requires.
 */
final class DeltaBinaryPackedReader {
    private static final int MAX_MINIBLOCKS = 1 << 16;

    private MemorySegment data;
    private long pos;
    private long end;
    private int miniblocks;
    private int perMiniblock;
    private long total;
    private long remaining;
    private long last;
    private boolean firstPending;
    private long minDelta;
    private byte[] widths = new byte[4];
    private int mini;
    private int inMini;
    private long miniStart;
    private int width;

    /** Starts on the stream at {@code offset}; it must end by {@code limit}. */
    void init(MemorySegment segment, long offset, long limit) throws DecodeException {
        data = segment;
        pos = offset;
        end = limit;
        long blockSize = uleb();
        long mbs = uleb();
        total = uleb();
        last = zigzag();
        // the format writes these as 32-bit integers: a larger block would make the int values per miniblock wrap
        if (blockSize <= 0 || blockSize > Integer.MAX_VALUE || blockSize % 128 != 0 || mbs <= 0 || mbs > MAX_MINIBLOCKS
                || blockSize % mbs != 0 || (blockSize / mbs) % 32 != 0) {
            throw new DecodeException("DELTA_BINARY_PACKED header has block size " + blockSize + " and " + mbs
                    + " miniblocks per block");
        }
        miniblocks = (int) mbs;
        perMiniblock = (int) (blockSize / mbs);
        if (widths.length < miniblocks) {
            widths = new byte[miniblocks];
        }
        remaining = total;
        firstPending = total > 0;
        mini = miniblocks;
        inMini = perMiniblock;
    }

    long total() {
        return total;
    }

    long remaining() {
        return remaining;
    }

    private long uleb() throws DecodeException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new DecodeException("DELTA_BINARY_PACKED varint runs past the page");
            }
            int b = data.get(Layouts.BYTE, pos++);
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new DecodeException("DELTA_BINARY_PACKED varint is longer than 10 bytes");
    }

    private long zigzag() throws DecodeException {
        long v = uleb();
        return (v >>> 1) ^ -(v & 1);
    }

    private void nextMiniblock() throws DecodeException {
        if (mini < miniblocks) {
            miniStart += (long) perMiniblock * width / 8;
            mini++;
        }
        if (mini >= miniblocks) {
            minDelta = zigzag();
            if (miniblocks > end - pos) {
                throw new DecodeException("DELTA_BINARY_PACKED block's bit widths run past the page");
            }
            MemorySegment.copy(data, Layouts.BYTE, pos, widths, 0, miniblocks);
            pos += miniblocks;
            miniStart = pos;
            mini = 0;
        }
        width = widths[mini] & 0xff;
        if (width > 64) {
            throw new DecodeException("DELTA_BINARY_PACKED miniblock bit width " + width + " exceeds 64");
        }
        long bodyEnd = miniStart + (long) perMiniblock * width / 8;
        // the whole body is present except in a truncated stream; values are bounds-checked one by one
        pos = Math.max(pos, Math.min(bodyEnd, end));
        inMini = 0;
    }

    /** Decodes the next {@code n} values into {@code dst}. */
    void read(long[] dst, int off, int n) throws DecodeException {
        if (n > remaining) {
            throw new DecodeException("DELTA_BINARY_PACKED stream holds " + remaining + " more values, " + n + " wanted");
        }
        for (int i = 0; i < n; i++) {
            if (firstPending) {
                firstPending = false;
                dst[off + i] = last;
                continue;
            }
            if (inMini == perMiniblock) {
                nextMiniblock();
            }
            long delta = minDelta + unpack(inMini++);
            last += delta;
            dst[off + i] = last;
        }
        remaining -= n;
    }

    private long unpack(int index) throws DecodeException {
        if (width == 0) {
            return 0;
        }
        long bit = (long) index * width;
        long at = miniStart + (bit >>> 3);
        int shift = (int) (bit & 7);
        long lastByte = miniStart + ((bit + width - 1) >>> 3);
        if (lastByte >= end) {
            throw new DecodeException("DELTA_BINARY_PACKED miniblock runs past the page");
        }
        long lo;
        if (at + 8 <= end) {
            lo = data.get(Layouts.LE_LONG, at);
        } else {
            lo = 0;
            for (int i = 0; at + i < end && i < 8; i++) {
                lo |= (data.get(Layouts.BYTE, at + i) & 0xffL) << (8 * i);
            }
        }
        long v = lo >>> shift;
        if (shift + width > 64) {
            long hi = data.get(Layouts.BYTE, at + 8) & 0xffL;
            v |= hi << (64 - shift);
        }
        return width == 64 ? v : v & ((1L << width) - 1);
    }

    /**
     * Where this stream ends, found by walking its block headers without decoding values. Call it
     * right after {@link #init}; it consumes the reader (init it again to decode).
     */
    long scanEnd() throws DecodeException {
        long left = total - 1;
        while (left > 0) {
            zigzag();
            if (miniblocks > end - pos) {
                throw new DecodeException("DELTA_BINARY_PACKED block's bit widths run past the page");
            }
            long widthsAt = pos;
            pos += miniblocks;
            for (int m = 0; m < miniblocks && left > 0; m++) {
                int w = data.get(Layouts.BYTE, widthsAt + m) & 0xff;
                if (w > 64) {
                    throw new DecodeException("DELTA_BINARY_PACKED miniblock bit width " + w + " exceeds 64");
                }
                long body = (long) perMiniblock * w / 8;
                if (body > end - pos) {
                    throw new DecodeException("DELTA_BINARY_PACKED miniblock of " + body + " bytes runs past the page");
                }
                pos += body;
                left -= perMiniblock;
            }
        }
        return pos;
    }
}
