package io.inlay.engine.internal.rle;

import io.inlay.engine.internal.memory.GrowableBuffer;
import java.lang.foreign.ValueLayout;

/**
 * Encodes non-negative ints of a fixed bit width with Parquet's RLE / bit-packing hybrid, the
 * encoding of definition and repetition levels and of dictionary indices:
 *
 * <pre>
 * encoded        := run*
 * rle-run        := varint(count &lt;&lt; 1)            value in ceil(bitWidth / 8) bytes, little-endian
 * bit-packed-run := varint(groups &lt;&lt; 1 | 1)       groups * 8 values, bitWidth bits each, LSB first
 * </pre>
 *
 * Repeats of at least {@value #MIN_RLE_RUN} values become RLE runs; shorter stretches are bit-packed
 * in groups of eight. A bit-packed run may only end on a group boundary, so a repeat that follows a
 * partial group first completes that group. Only the very last group may be padded (with zeros):
 * the page header's value count tells readers where the real values end.
 *
 * <p>Callers that know their data is made of runs (levels of fixed-length lists) call
 * {@link #writeRun(int, long)} once per run rather than once per value. The encoder appends to an
 * {@link GrowableBuffer} it does not own. Confined to one thread; reusable through {@link #reset}.
 */
public final class RleBitPackedEncoder {
    /** Repeats at least this long are written as RLE runs. */
    public static final int MIN_RLE_RUN = 8;
    /** Groups per bit-packed run, so that its header fits one byte. */
    private static final int MAX_GROUPS_PER_RUN = 63;

    private final int[] group = new int[8];
    private int bitWidth;
    private long mask;
    private GrowableBuffer out;
    private long start;
    private int groupSize;
    private long openRunHeader = -1;
    private int groupsInOpenRun;
    private int runValue;
    private long runCount;

    /**
     * Starts encoding values of {@code bitWidth} bits (1..32), appending to {@code target}.
     */
    public void reset(int bitWidth, GrowableBuffer target) {
        if (bitWidth < 1 || bitWidth > 32) {
            throw new IllegalArgumentException("bit width " + bitWidth + " is outside 1..32");
        }
        this.bitWidth = bitWidth;
        this.mask = bitWidth == 32 ? 0xffff_ffffL : (1L << bitWidth) - 1;
        this.out = target;
        this.start = target.size();
        this.groupSize = 0;
        this.openRunHeader = -1;
        this.groupsInOpenRun = 0;
        this.runCount = 0;
    }

    /** Appends one value. */
    public void write(int value) {
        writeRun(value, 1);
    }

    /** Appends {@code count} copies of {@code value}. */
    public void writeRun(int value, long count) {
        if (count <= 0) {
            if (count < 0) {
                throw new IllegalArgumentException("count " + count);
            }
            return;
        }
        if (((value & 0xffff_ffffL) & ~mask) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit " + bitWidth + " bits");
        }
        if (runCount > 0 && value == runValue) {
            runCount += count;
            return;
        }
        commitRun(false);
        runValue = value;
        runCount = count;
    }

    /**
     * Writes everything still buffered and returns the number of bytes appended since
     * {@link #reset}. The encoder must be reset before it is used again.
     */
    public long finish() {
        commitRun(true);
        if (groupSize > 0) {
            while (groupSize < 8) {
                group[groupSize++] = 0;
            }
            packGroup();
        }
        closeBitPackedRun();
        return out.size() - start;
    }

    /**
     * Commits the pending repeat: it first completes a partial bit-packed group; what is left
     * becomes an RLE run when long enough (or when it ends the data on a group boundary), or starts
     * the next group.
     */
    private void commitRun(boolean last) {
        while (groupSize > 0 && runCount > 0) {
            group[groupSize++] = runValue;
            runCount--;
            if (groupSize == 8) {
                packGroup();
            }
        }
        if (runCount == 0) {
            return;
        }
        if (runCount >= MIN_RLE_RUN || last) {
            closeBitPackedRun();
            writeRleRun(runValue, runCount);
        } else {
            for (long i = 0; i < runCount; i++) {
                group[groupSize++] = runValue;
            }
        }
        runCount = 0;
    }

    private void packGroup() {
        if (openRunHeader < 0 || groupsInOpenRun == MAX_GROUPS_PER_RUN) {
            closeBitPackedRun();
            openRunHeader = out.reserve(1);
            groupsInOpenRun = 0;
        }
        long acc = 0;
        int bits = 0;
        for (int i = 0; i < 8; i++) {
            acc |= (group[i] & mask) << bits;
            bits += bitWidth;
            while (bits >= 8) {
                out.putByte((int) acc);
                acc >>>= 8;
                bits -= 8;
            }
        }
        groupSize = 0;
        groupsInOpenRun++;
    }

    private void closeBitPackedRun() {
        if (openRunHeader >= 0) {
            out.segment().set(ValueLayout.JAVA_BYTE, openRunHeader, (byte) ((groupsInOpenRun << 1) | 1));
            openRunHeader = -1;
            groupsInOpenRun = 0;
        }
    }

    private void writeRleRun(int value, long count) {
        writeUnsignedVarLong(count << 1);
        int bytes = (bitWidth + 7) >>> 3;
        for (int i = 0; i < bytes; i++) {
            out.putByte(value >>> (8 * i));
        }
    }

    private void writeUnsignedVarLong(long v) {
        while ((v & ~0x7fL) != 0) {
            out.putByte((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.putByte((int) v);
    }

    /** The number of bits needed for values up to {@code maxValue} (at least 1). */
    public static int bitWidth(long maxValue) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(maxValue));
    }
}
