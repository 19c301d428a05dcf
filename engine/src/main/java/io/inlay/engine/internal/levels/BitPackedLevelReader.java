package io.inlay.engine.internal.levels;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * The deprecated BIT_PACKED level encoding: {@code count} values of {@code bitWidth} bits back to
 * back, packed from the most significant bit (unlike the RLE hybrid), no length prefix.
 */
public final class BitPackedLevelReader implements LevelReader {
    private MemorySegment data;
    private long base;
    private int bitWidth;
    private long index;
    private long count;

    /** The bytes {@code count} levels of {@code bitWidth} bits occupy. */
    public static long byteLength(long count, int bitWidth) {
        return (count * bitWidth + 7) / 8;
    }

    public void init(MemorySegment segment, long offset, long length, int width, long levelCount) throws DecodeException {
        if (byteLength(levelCount, width) > length) {
            throw new DecodeException(levelCount + " BIT_PACKED levels of " + width + " bits need "
                    + byteLength(levelCount, width) + " bytes, the page has " + length);
        }
        data = segment;
        base = offset;
        bitWidth = width;
        index = 0;
        count = levelCount;
    }

    private int value(long i) {
        int v = 0;
        long bit = i * bitWidth;
        for (int b = 0; b < bitWidth; b++, bit++) {
            int byteVal = data.get(Layouts.BYTE, base + (bit >>> 3)) & 0xff;
            v = (v << 1) | ((byteVal >>> (7 - (bit & 7))) & 1);
        }
        return v;
    }

    @Override
    public int read(byte[] dst, int off, int n) {
        int take = (int) Math.min(n, count - index);
        for (int i = 0; i < take; i++) {
            dst[off + i] = (byte) value(index + i);
        }
        index += take;
        return take;
    }

    @Override
    public long countRun(int v, long max) {
        long done = 0;
        while (done < max && index < count && value(index) == v) {
            index++;
            done++;
        }
        return done;
    }

    @Override
    public int collectZeros(int n, int[] positions) throws DecodeException {
        if (n > count - index) {
            throw new DecodeException("levels end after " + (count - index) + " of " + n + " values");
        }
        int found = 0;
        for (int i = 0; i < n; i++) {
            if (value(index + i) == 0) {
                positions[found++] = i;
            }
        }
        index += n;
        return found;
    }
}
