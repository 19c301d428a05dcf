package io.inlay.engine.internal.column;

import io.inlay.engine.internal.decode.Dictionary;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.OutputBuffer;
import io.inlay.engine.internal.page.PageScratch;
import java.lang.foreign.Arena;

/**
 * Everything a column decoder allocates: output buffers, the dictionary, page, level and bit scratch.
 * Kept apart from the decoder so that it can outlive one file and be reused for the next (a
 * worker reading file after file allocates once). Confined to one thread at a time.
 */
public final class ColumnBuffers implements AutoCloseable {
    final OutputBuffer values;
    final OutputBuffer validity;
    final OutputBuffer offsets;
    final OutputBuffer listValidity;
    final BinaryOutput binary;
    final Dictionary dictionary;
    final GrowableBuffer bitScratch;
    /** A page's levels, and the output bytes a page decompressed into the values buffer covers for a moment. */
    final GrowableBuffer levelScratch;
    final PageScratch page;

    /**
     * @param callerArena where vectors' memory comes from, or null for buffers reused between
     *     decodes. With a caller's arena the buffers live for one decode call on one thread, so
     *     their scratch is confined (cheap to free); reusable buffers may be closed by any thread.
     */
    public ColumnBuffers(Arena callerArena) {
        boolean confined = callerArena != null;
        dictionary = new Dictionary(confined);
        bitScratch = new GrowableBuffer(confined);
        levelScratch = new GrowableBuffer(confined);
        page = new PageScratch(confined);
        values = new OutputBuffer(callerArena);
        validity = new OutputBuffer(callerArena);
        offsets = new OutputBuffer(callerArena);
        listValidity = new OutputBuffer(callerArena);
        binary = new BinaryOutput(callerArena);
    }

    @Override
    public void close() {
        values.close();
        validity.close();
        offsets.close();
        listValidity.close();
        binary.close();
        dictionary.close();
        bitScratch.close();
        levelScratch.close();
        page.close();
    }
}
