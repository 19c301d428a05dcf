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
    private OutputBuffer validity;
    private OutputBuffer offsets;
    private OutputBuffer listValidity;
    private MemorySegment validitySeg;
    private MemorySegment offsetsSeg;
    private MemorySegment listValiditySeg;
    private long planSlots;
    private long planRows;
    private long slotNulls;
    private boolean validityOn;
    private long validityUpTo;
    private long rows;
    private long listNulls;
    private boolean listValidityOn;
    private long listValidityUpTo;
    private boolean rowOpen;

    /** @param batch the most levels {@link #startRowsOfRun} looks at in one step */
    LevelAssembly(int batch) {
        this.zeros = new int[batch];
    }

    /** Makes the next chunks write their bitmaps and offsets into these buffers. */
    void outputTo(OutputBuffer validity, OutputBuffer offsets, OutputBuffer listValidity) {
        this.validity = validity;
        this.offsets = offsets;
        this.listValidity = listValidity;
    }

    /** Starts a chunk whose buffers are planned for {@code planSlots} values and {@code planRows} rows. */
    void begin(long planSlots, long planRows, boolean isList) {
        this.planSlots = planSlots;
        this.planRows = planRows;
        slotNulls = 0;
        validityOn = false;
        validityUpTo = 0;
        rows = 0;
        listNulls = 0;
        listValidityOn = false;
        listValidityUpTo = 0;
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
        if (!validityOn) {
            validitySeg = validity.begin((Math.max(planSlots, slot + 1) + 7) / 8);
            validityOn = true;
            validityUpTo = 0;
        }
        validitySeg = validity.ensure((slot + 8) / 8, (validityUpTo + 7) / 8);
        Bits.fill(validitySeg, validityUpTo, slot - validityUpTo, true);
        Bits.set(validitySeg, slot, false);
        validityUpTo = slot + 1;
        slotNulls++;
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
        if (!listValidityOn) {
            listValiditySeg = listValidity.begin((Math.max(planRows, row + 1) + 7) / 8);
            listValidityOn = true;
            listValidityUpTo = 0;
        }
        listValiditySeg = listValidity.ensure((row + 8) / 8, (listValidityUpTo + 7) / 8);
        Bits.fill(listValiditySeg, listValidityUpTo, row - listValidityUpTo, true);
        Bits.set(listValiditySeg, row, false);
        listValidityUpTo = row + 1;
        listNulls++;
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
        return slotNulls;
    }

    /** Finishes the values' validity bitmap for {@code n} slots: null when no value is null. */
    MemorySegment finishValidity(long n) {
        if (!validityOn) {
            return null;
        }
        validitySeg = validity.ensure((n + 7) / 8, (validityUpTo + 7) / 8);
        Bits.fill(validitySeg, validityUpTo, n - validityUpTo, true);
        return validity.finish((n + 7) / 8);
    }

    /** Finishes a list column: its offsets (the last one ending at {@code slots}) and validity around {@code elements}. */
    ColumnVector finishLists(long slots, ColumnVector elements) {
        long at = rows * 4;
        if (at + 4 > offsetsSeg.byteSize()) {
            offsetsSeg = offsets.ensure(at + 4, at);
        }
        offsetsSeg.set(Layouts.LE_INT, at, (int) slots);
        MemorySegment listBits = null;
        if (listValidityOn) {
            listValiditySeg = listValidity.ensure((rows + 7) / 8, (listValidityUpTo + 7) / 8);
            Bits.fill(listValiditySeg, listValidityUpTo, rows - listValidityUpTo, true);
            listBits = listValidity.finish((rows + 7) / 8);
        }
        return ColumnVector.ofLists(rows, listNulls, listBits, offsets.finish((rows + 1) * 4), elements);
    }
}
