package io.inlay.engine.internal.write;

import java.lang.foreign.MemorySegment;

/**
 * One page's worth of a column, as the encoders see it: a row range over Arrow-layout buffers
 * (the caller's vectors, or the writer's page buffers filled by a source). Indices into the
 * buffers are absolute, as Arrow offsets are.
 *
 * @param rows rows in the page
 * @param rowValidity validity bits of the rows, or null when no row is null
 * @param rowValidityBit bit index of the page's first row in {@code rowValidity}
 * @param list whether rows are lists
 * @param fixedListSize for lists without offsets: the elements per row (rows contiguous); else 0
 * @param listOffsets int32 list offsets (entry per row, plus one), or null
 * @param listOffsetsIndex index of the page's first row in {@code listOffsets}
 * @param elementValidity validity bits of list elements, or null when no element is null
 * @param firstElement index of the first leaf value (first element, or first row of a scalar)
 * @param elementCount leaf values spanned by the page (including null ones)
 * @param values fixed-width values, bool bits, or the data bytes of strings and binaries
 * @param varOffsets int32 offsets of strings and binaries, indexed by element, or null
 * @param continuesRow for lists: the page's first list continues the row the previous page ended
 *     in (its first element gets repetition level 1): v1 pages of blob samples split rows where a
 *     page is full. {@code rows} then counts the row pieces in the page.
 */
public record PageInput(
        int rows,
        MemorySegment rowValidity,
        long rowValidityBit,
        boolean list,
        int fixedListSize,
        MemorySegment listOffsets,
        long listOffsetsIndex,
        MemorySegment elementValidity,
        long firstElement,
        long elementCount,
        MemorySegment values,
        MemorySegment varOffsets,
        boolean continuesRow) {

    /** A page that starts at a row boundary. */
    public PageInput(int rows, MemorySegment rowValidity, long rowValidityBit, boolean list, int fixedListSize,
            MemorySegment listOffsets, long listOffsetsIndex, MemorySegment elementValidity, long firstElement,
            long elementCount, MemorySegment values, MemorySegment varOffsets) {
        this(rows, rowValidity, rowValidityBit, list, fixedListSize, listOffsets, listOffsetsIndex, elementValidity,
                firstElement, elementCount, values, varOffsets, false);
    }

    /** Whether any row or element may be null. */
    public boolean hasNulls() {
        return rowValidity != null || elementValidity != null;
    }

    /** Contiguous, non-null values {@code [first, first + count)}: what encoders and statistics take. */
    public static PageInput dense(long first, long count, MemorySegment values, MemorySegment varOffsets) {
        return new PageInput((int) Math.min(count, Integer.MAX_VALUE), null, 0, false, 0, null, 0, null,
                first, count, values, varOffsets);
    }

    static boolean bit(MemorySegment bits, long index) {
        return (bits.get(java.lang.foreign.ValueLayout.JAVA_BYTE, index >>> 3) & (1 << (index & 7))) != 0;
    }
}
