package io.inlay.engine.internal.memory;

import io.inlay.engine.internal.CapacityException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap memory that grows on demand and is kept for reuse; contents are not zeroed (see
 * {@link NativeMemory}). Each allocation has an arena of its own (shared unless confined), closed when the buffer grows or is closed, so memory is returned at once (rather
 * than when a caller's arena ends). Not thread-safe: one owner at a time; segments handed out are
 * invalid after the next growth or close.
 */
public final class GrowableBuffer implements AutoCloseable {
    private static final long ALIGN = 64;

    private final boolean confined;
    private Arena arena;
    private MemorySegment segment = MemorySegment.NULL;

    /** A buffer whose memory any thread may use (and close). */
    public GrowableBuffer() {
        this(false);
    }

    /**
     * @param confined true for scratch that only the creating thread ever touches or closes: its
     *     arenas are confined, whose close is cheap; a shared arena's close synchronises with every
     *     thread of the JVM (tens of microseconds), which adds up when a decoder is made per column
     *     per file
     */
    public GrowableBuffer(boolean confined) {
        this.confined = confined;
    }

    /** The current memory (possibly of size 0). */
    public MemorySegment segment() {
        return segment;
    }

    public long capacity() {
        return segment.byteSize();
    }

    /**
     * Makes the buffer hold at least {@code bytes}, keeping the first {@code keep} bytes.
     *
     * @return the (possibly new) segment
     */
    public MemorySegment ensure(long bytes, long keep) {
        if (bytes <= segment.byteSize()) {
            return segment;
        }
        long grown = Math.max(bytes, segment.byteSize() + (segment.byteSize() >>> 1));
        grown = (grown + ALIGN - 1) & -ALIGN;
        Arena next = confined ? Arena.ofConfined() : Arena.ofShared();
        MemorySegment bigger;
        try {
            bigger = NativeMemory.allocate(next, grown);
        } catch (RuntimeException | OutOfMemoryError e) {
            next.close();
            throw new CapacityException("cannot allocate " + grown + " bytes of off-heap memory", e);
        }
        if (keep > 0) {
            MemorySegment.copy(segment, 0, bigger, 0, Math.min(keep, segment.byteSize()));
        }
        if (arena != null) {
            arena.close();
        }
        arena = next;
        segment = bigger;
        return segment;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
        segment = MemorySegment.NULL;
    }
}
