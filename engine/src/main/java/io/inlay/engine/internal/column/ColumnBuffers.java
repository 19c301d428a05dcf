package io.inlay.engine.internal.column;

import io.inlay.engine.internal.decode.Dictionary;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.OutputBuffer;
import io.inlay.engine.internal.page.PageScratch;
import java.lang.foreign.Arena;

/**
 * Everything a column decoder allocates: output buffers, the dictionary, page and bit scratch.
 * Kept apart from the decoder so that it can outlive one file and be reused for the next (a
 * worker reading file after file allocates once). Confined to one thread at a time.
 */
public final class ColumnBuffers implements AutoCloseable {
    final OutputBuffer values;
    final OutputBuffer validity;
    final OutputBuffer offsets;
    final OutputBuffer listValidity;
    final BinaryOutput binary;
    final Dictionary dictionary = new Dictionary();
    final GrowableBuffer bitScratch = new GrowableBuffer();
    final PageScratch page = new PageScratch();

    /** @param callerArena where vectors' memory comes from, or null for buffers reused between decodes */
    public ColumnBuffers(Arena callerArena) {
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
        page.close();
    }
}
