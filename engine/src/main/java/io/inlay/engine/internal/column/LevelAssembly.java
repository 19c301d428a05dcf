package io.inlay.engine.internal.column;

import io.inlay.engine.internal.CapacityException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.decode.Bits;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.memory.OutputBuffer;
import io.inlay.engine.vector.ColumnVector;
import java.lang.foreign.MemorySegment;

/**
 * What a chunk's levels turn into: the validity bitmap of its values (made at the first null), and
 * for list columns the int32 offsets of its rows and their validity bitmap (made at the first null
 * list). Written as the column decoder meets nulls and row starts; bits not written are filled in
 * as valid when the bitmaps are finished. Reusable from chunk to chunk; confined to one thread.
 */
final class LevelAssembly {
    private final int[] zeros;
    private final NullBitmap validity = new NullBitmap();
    private final NullBitmap listValidity = new NullBitmap();
    private OutputBuffer offsets;
    private MemorySegment offsetsSeg;
    private long planRows;
    private long rows;
    private boolean rowOpen;

    /**
     * A validity bitmap made at the first null, planned for {@code plan} bits: bits before a null
     * are set (valid) as the null is marked, those after the last one when it is finished.
     */
    private static final class NullBitmap {
        private OutputBuffer buffer;
        private MemorySegment segment;
        private long plan;
        private boolean on;
        private long upTo;
        private long nulls;

        void begin(long planBits) {
            plan = planBits;
            on = false;
            upTo = 0;
            nulls = 0;
        }

        void markNull(long i) {
            if (!on) {
                segment = buffer.begin((Math.max(plan, i + 1) + 7) / 8);
                on = true;
                upTo = 0;
            }
            segment = buffer.ensure((i + 8) / 8, (upTo + 7) / 8);
            Bits.fill(segment, upTo, i - upTo, true);
            Bits.set(segment, i, false);
            upTo = i + 1;
            nulls++;
        }

        /** The bitmap of {@code n} bits, or null when none is null. */
        MemorySegment finish(long n) {
            if (!on) {
                return null;
            }
            segment = buffer.ensure((n + 7) / 8, (upTo + 7) / 8);
            Bits.fill(segment, upTo, n - upTo, true);
            return buffer.finish((n + 7) / 8);
        }
    }

    /** @param batch the most levels {@link #startRowsOfRun} looks at in one step */
    LevelAssembly(int batch) {
        this.zeros = new int[batch];
    }

    /** Makes the next chunks write their bitmaps and offsets into these buffers. */
    void outputTo(OutputBuffer validity, OutputBuffer offsets, OutputBuffer listValidity) {
        this.validity.buffer = validity;
        this.offsets = offsets;
        this.listValidity.buffer = listValidity;
    }

    /** Starts a chunk whose buffers are planned for {@code planSlots} values and {@code planRows} rows. */
    void begin(long planSlots, long planRows, boolean isList) {
        this.planRows = planRows;
        validity.begin(planSlots);
        listValidity.begin(planRows);
        rows = 0;
        rowOpen = false;
        if (isList) {
            offsetsSeg = offsets.begin((planRows + 1) * 4);
        }
    }

    /** The list rows started so far. */
    long rows() {
        return rows;
    }

    /** Whether the last row started holds elements that a repetition level of 1 may continue. */
    boolean rowOpen() {
        return rowOpen;
    }

    void rowOpen(boolean open) {
        rowOpen = open;
    }

    /** Marks value slot {@code slot} null. */
    void markNull(long slot) {
        validity.markNull(slot);
    }

    /** Starts a list row whose first element is value slot {@code elementIndex}. */
    void startRow(long elementIndex) {
        if (elementIndex > Integer.MAX_VALUE) {
            throw new CapacityException("more than 2^31 list elements in one row group do not fit int32 offsets");
        }
        long at = rows * 4;
        if (at + 8 > offsetsSeg.byteSize()) {
            offsetsSeg = offsets.ensure(Math.max(at + 8, (planRows + 1) * 4), at);
        }
        offsetsSeg.set(Layouts.LE_INT, at, (int) elementIndex);
        rows++;
    }

    /** Marks list row {@code row} null. */
    void markListNull(long row) {
        listValidity.markNull(row);
    }

    /**
     * Starts the rows of a run of {@code k} present elements, the first at value slot
     * {@code firstSlot}: where the repetition level is 0.
     */
    void startRowsOfRun(LevelReader rep, long k, long firstSlot) throws DecodeException {
        long done = 0;
        while (done < k) {
            int c = (int) Math.min(zeros.length, k - done);
            int z = rep.collectZeros(c, zeros);
            if ((z == 0 || zeros[0] != 0) && !rowOpen) {
                throw new DecodeException(noListMessage());
            }
            for (int i = 0; i < z; i++) {
                startRow(firstSlot + done + zeros[i]);
            }
            rowOpen = true;
            done += c;
        }
    }

    /** Why a repetition level of 1 here continues no list. */
    String noListMessage() {
        return rows == 0 ? "the first repetition level is 1: a row must start with repetition level 0"
                : "repetition level 1 continues a null or empty list (row " + (rows - 1) + ")";
    }

    /** The null values marked so far. */
    long slotNulls() {
        return validity.nulls;
    }

    /** Finishes the values' validity bitmap for {@code n} slots: null when no value is null. */
    MemorySegment finishValidity(long n) {
        return validity.finish(n);
    }

    /** Finishes a list column: its offsets (the last one ending at {@code slots}) and validity around {@code elements}. */
    ColumnVector finishLists(long slots, ColumnVector elements) {
        long at = rows * 4;
        if (at + 4 > offsetsSeg.byteSize()) {
            offsetsSeg = offsets.ensure(at + 4, at);
        }
        offsetsSeg.set(Layouts.LE_INT, at, (int) slots);
        MemorySegment listBits = listValidity.finish(rows);
        return ColumnVector.ofLists(rows, listValidity.nulls, listBits, offsets.finish((rows + 1) * 4), elements);
    }
}
