package io.inlay.engine.internal.memory;

import io.inlay.engine.internal.CapacityException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Off-heap memory that grows on demand and is kept for reuse: the one growable buffer of the
 * engine. The reader uses it as scratch sized by {@link #ensure}, its contents not zeroed (see
 * {@link NativeMemory}); the writer appends to it ({@link #put}, {@link #reserve}, {@link #size}),
 * in buffers that start zeroed ({@link #zeroed}) and are reused page after page, so the write path
 * allocates nothing per page once warm.
 *
 * <p>Each allocation has an arena of its own (shared unless confined), closed when the buffer grows
 * or is closed, so memory is returned at once (rather than when a caller's arena ends). Not
 * thread-safe: one owner at a time; segments handed out are invalid after the next growth or close.
 */
public final class GrowableBuffer implements AutoCloseable {
    private static final long ALIGN = 64;

    private final boolean confined;
    private final boolean zeroed;
    private Arena arena;
    private MemorySegment segment = MemorySegment.NULL;
    private long size;

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
        this(confined, false);
    }

    private GrowableBuffer(boolean confined, boolean zeroed) {
        this.confined = confined;
        this.zeroed = zeroed;
    }

    /**
     * A buffer to append to, confined to the creating thread, with {@code initialCapacity} bytes
     * (at least 64) allocated now; memory it allocates starts zeroed.
     */
    public static GrowableBuffer zeroed(long initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("capacity " + initialCapacity);
        }
        GrowableBuffer b = new GrowableBuffer(true, true);
        b.ensure(Math.max(initialCapacity, ALIGN), 0);
        return b;
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
        long cap = segment.byteSize();
        // appending buffers double (the writer's pages settle after a few), scratch grows by half
        long grown = Math.max(bytes, zeroed ? (cap > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : cap * 2) : cap + (cap >>> 1));
        grown = (grown + ALIGN - 1) & -ALIGN;
        Arena next = confined ? Arena.ofConfined() : Arena.ofShared();
        MemorySegment bigger;
        if (zeroed) {
            bigger = next.allocate(grown, ALIGN);
        } else {
            try {
                bigger = NativeMemory.allocate(next, grown);
            } catch (RuntimeException | OutOfMemoryError e) {
                next.close();
                throw new CapacityException("cannot allocate " + grown + " bytes of off-heap memory", e);
            }
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

    // ---- appending ----

    /** Bytes appended so far. */
    public long size() {
        return size;
    }

    /** Empties the buffer, keeping its memory. */
    public void clear() {
        size = 0;
    }

    /** Truncates (or extends within capacity) the content to {@code newSize} bytes. */
    public void setSize(long newSize) {
        Objects.checkIndex(newSize, segment.byteSize() + 1);
        size = newSize;
    }

    /** Makes room for {@code capacity} bytes in total, keeping the content. */
    public void ensureCapacity(long capacity) {
        ensure(capacity, size);
    }

    /** Appends {@code n} bytes of unspecified content and returns their offset. */
    public long reserve(long n) {
        long at = size;
        ensureCapacity(Math.addExact(size, n));
        size += n;
        return at;
    }

    public void putByte(int b) {
        long at = reserve(1);
        segment.set(ValueLayout.JAVA_BYTE, at, (byte) b);
    }

    public void putIntLE(int v) {
        long at = reserve(4);
        segment.set(Layouts.LE_INT, at, v);
    }

    /** Overwrites four bytes at {@code at} (a length prefix reserved earlier). */
    public void setIntLE(long at, int v) {
        Objects.checkFromIndexSize(at, 4, size);
        segment.set(Layouts.LE_INT, at, v);
    }

    /** Appends {@code length} bytes of {@code src} from {@code offset}. */
    public void put(MemorySegment src, long offset, long length) {
        long at = reserve(length);
        MemorySegment.copy(src, offset, segment, at, length);
    }

    /** Appends bytes from a heap array. */
    public void put(byte[] src, int offset, int length) {
        long at = reserve(length);
        MemorySegment.copy(src, offset, segment, ValueLayout.JAVA_BYTE, at, length);
    }

    /** A view of {@code [offset, offset + length)}; valid until the buffer next grows. */
    public MemorySegment slice(long offset, long length) {
        return segment.asSlice(offset, length);
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
        segment = MemorySegment.NULL;
        size = 0;
    }
}
