package io.inlay.engine.internal.memory;

import io.inlay.engine.internal.CapacityException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The memory one output buffer of a column vector is decoded into. Two modes:
 * <ul>
 *   <li><b>caller arena</b> (default read mode): memory comes from the arena the caller passed,
 *       sized up front from the chunk's metadata; if decoding needs more (a plan that was an
 *       estimate), the data moves to reusable memory and is copied back into the arena, at its
 *       exact size, when the vector is finished;</li>
 *   <li><b>reusable</b> (row-group mode): a {@link GrowableBuffer} kept between row groups.</li>
 * </ul>
 * Not thread-safe.
 */
public final class OutputBuffer implements AutoCloseable {
    private final Arena callerArena;
    private final GrowableBuffer owned;
    private MemorySegment segment = MemorySegment.NULL;
    private boolean inArena;

    /** A buffer whose finished memory belongs to {@code callerArena}; null for a reusable buffer. */
    public OutputBuffer(Arena callerArena) {
        // with a caller's arena the owned buffer is only staging for growth, on the decoding thread
        this(callerArena, callerArena != null);
    }

    /** As {@link #OutputBuffer(Arena)}; {@code confined}: see {@link GrowableBuffer#GrowableBuffer(boolean)}. */
    public OutputBuffer(Arena callerArena, boolean confined) {
        this.callerArena = callerArena;
        this.owned = new GrowableBuffer(confined);
    }

    /** Starts a new vector with room for {@code bytes}; previous contents are dropped. */
    public MemorySegment begin(long bytes) {
        if (callerArena != null) {
            segment = bytes == 0 ? MemorySegment.NULL : allocateInArena(bytes);
            inArena = true;
        } else {
            segment = owned.ensure(bytes, 0);
            inArena = false;
        }
        return segment;
    }

    private MemorySegment allocateInArena(long bytes) {
        try {
            return NativeMemory.allocate(callerArena, bytes);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new CapacityException("cannot allocate " + bytes + " bytes in the caller's arena", e);
        }
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Makes room for {@code bytes}, keeping the first {@code keep}; returns the segment to write to. */
    public MemorySegment ensure(long bytes, long keep) {
        if (bytes <= segment.byteSize()) {
            return segment;
        }
        if (inArena) {
            // the plan was short: continue in reusable memory, copy back to the arena on finish
            MemorySegment grown = owned.ensure(bytes, 0);
            MemorySegment.copy(segment, 0, grown, 0, Math.min(keep, segment.byteSize()));
            inArena = false;
            segment = grown;
            return segment;
        }
        segment = owned.ensure(bytes, keep);
        return segment;
    }

    /** The finished contents: the first {@code bytes} of the buffer, in the caller's arena when there is one. */
    public MemorySegment finish(long bytes) {
        if (callerArena != null && !inArena) {
            MemorySegment exact = bytes == 0 ? MemorySegment.NULL : allocateInArena(bytes);
            if (bytes > 0) {
                MemorySegment.copy(segment, 0, exact, 0, bytes);
            }
            return exact;
        }
        return bytes == 0 ? segment.asSlice(0, 0) : segment.asSlice(0, bytes);
    }

    @Override
    public void close() {
        owned.close();
        segment = MemorySegment.NULL;
    }
}
