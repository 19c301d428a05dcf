package io.inlay.engine.internal.column;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.UnsupportedException;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import java.lang.foreign.MemorySegment;

/**
 * Compressed PLAIN pages of fixed-width values stored at the output's width, decompressed straight
 * into the values buffer at the next slot when their levels say every value is present: no page
 * buffer, no second copy. The column decoder asks first; a page that does not qualify is left as
 * it was, or handed back as a copy to decode as usual. Reusable from chunk to chunk; confined to
 * one thread.
 */
final class DirectPlacement {
    /** The most level bytes of a v1 page the direct path expects, and so keeps aside from the output. */
    private static final long MAX_PREDICTED_LEVEL_BYTES = 1 << 16;

    /** What became of a page. */
    enum Outcome {
        /** Nothing was done: decode the page as usual. */
        NOT_PLACED,
        /** Its values are in place at the next slots; {@link #rep()} holds its repetition levels. */
        PLACED,
        /** Decompressed, but its levels hold nulls: decode {@link #copy()} instead of the page. */
        COPIED
    }

    private final PageReader pages;
    private final LeafColumn column;
    private final ValueSlots values;
    private final LevelSections levels;
    private final GrowableBuffer levelScratch;
    private final int width;
    /** The level bytes of the chunk's last v1 page decompressed directly (0 before the first): the next one's guess. */
    private long lastLevelBytes;
    private int pagesInPlace;
    private MemorySegment copy;

    DirectPlacement(PageReader pages, LeafColumn column, ValueSlots values, LevelSections levels,
            GrowableBuffer levelScratch) {
        this.pages = pages;
        this.column = column;
        this.values = values;
        this.levels = levels;
        this.levelScratch = levelScratch;
        this.width = column.valueType().byteWidth();
    }

    void begin() {
        lastLevelBytes = 0;
        pagesInPlace = 0;
    }

    /** Pages of the chunk decompressed straight into the values buffer. */
    int pagesInPlace() {
        return pagesInPlace;
    }

    /** The repetition levels of the page last {@link Outcome#PLACED} (null when the column has none). */
    LevelReader rep() {
        return levels.rep();
    }

    /** The decompressed body of the page last {@link Outcome#COPIED}. */
    MemorySegment copy() {
        return copy;
    }

    /** Whether all {@code n} levels of {@code def} (null: the column has none) are a present value's; consumes them. */
    private boolean allPresent(LevelReader def, int n) throws DecodeException {
        return def == null || def.countRun(column.list() ? column.valueDef() : column.maxDef(), n) == n;
    }

    /**
     * A v2 page: its levels are stored apart from its values, so when the levels say all {@code n}
     * values are present and the values section is their PLAIN bytes, it decompresses into the
     * values buffer at the next slot.
     */
    Outcome v2(int n) throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        long size = pages.pendingBodySize();
        if (size != (long) n * width) {
            return Outcome.NOT_PLACED;
        }
        PageHeaderView h = pages.view();
        levels.v2(pages.levels(), h.repetitionLevelsLength(), h.definitionLevelsLength(), column.maxRep(), column.maxDef());
        if (!allPresent(levels.def(), n)) {
            return Outcome.NOT_PLACED;
        }
        long slots = values.slots();
        values.ensure(slots + n);
        pages.decompressBodyInto(values.segment().asSlice(slots * width, size));
        pagesInPlace++;
        return Outcome.PLACED;
    }

    /**
     * A v1 page, whose levels are compressed together with its values: the page decompresses into
     * the values buffer so that its values land at the next slot, which means its level sections
     * land just before, over values already decoded. Those bytes are kept aside first and put back
     * once the levels are copied out. How many there are is known only after decompressing, so the
     * last page's level size is the guess (pages of a chunk mostly agree); when it is wrong, the
     * values move into place (a copy within the page just written, as for the chunk's first page).
     * A page whose levels hold anything but present values comes back {@link Outcome#COPIED}.
     */
    Outcome v1(int n) throws DecodeException, UnsupportedException, ParquetCorruptionException,
            UnsupportedParquetException {
        long size = pages.pendingBodySize();
        long valueBytes = (long) n * width;
        if (size < valueBytes) {
            return Outcome.NOT_PLACED;
        }
        long slots = values.slots();
        values.ensure(slots + n);
        MemorySegment valuesSeg = values.segment();
        long base = slots * width;
        long kept = lastLevelBytes <= base && lastLevelBytes <= MAX_PREDICTED_LEVEL_BYTES ? lastLevelBytes : 0;
        long start = base - kept;
        if (start + size > valuesSeg.byteSize()) {
            return Outcome.NOT_PLACED;
        }
        MemorySegment aside = levelScratch.ensure(Math.max(kept, 1), 0);
        MemorySegment.copy(valuesSeg, start, aside, 0, kept);
        MemorySegment page = valuesSeg.asSlice(start, size);
        pages.decompressBodyInto(page);
        long levelBytes = parseV1(page, n);
        boolean placed = size - levelBytes >= valueBytes && allPresent(levels.def(), n);
        long copied = placed ? levelBytes : size;
        aside = levelScratch.ensure(kept + copied, kept);
        MemorySegment.copy(page, 0, aside, kept, copied);
        if (placed && start + levelBytes != base) {
            MemorySegment.copy(valuesSeg, start + levelBytes, valuesSeg, base, valueBytes);
        }
        MemorySegment.copy(aside, 0, valuesSeg, start, kept);
        lastLevelBytes = levelBytes;
        copy = aside.asSlice(kept, copied);
        if (!placed) {
            return Outcome.COPIED;
        }
        parseV1(copy, n);
        pagesInPlace++;
        return Outcome.PLACED;
    }

    private long parseV1(MemorySegment body, int n) throws DecodeException, UnsupportedException {
        PageHeaderView h = pages.view();
        return levels.v1(body, n, column.maxRep(), h.repetitionLevelEncoding(), column.maxDef(),
                h.definitionLevelEncoding());
    }
}
