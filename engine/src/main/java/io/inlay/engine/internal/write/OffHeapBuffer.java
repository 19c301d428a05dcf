package io.inlay.engine.internal.write;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A growable off-heap byte buffer with an append position, reused page after page so that the
 * write path allocates nothing per page once it has warmed up.
 *
 * <p>Each buffer owns a confined {@link Arena} of its own: growing frees the old memory at once
 * instead of leaving it in a shared arena until the writer closes. The segment returned by
 * {@link #segment()} is valid until the next call that may grow the buffer. Confined to the thread
 * that created it.
 */
public final class OffHeapBuffer implements AutoCloseable {
    private static final long ALIGNMENT = 64;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Arena arena;
    private MemorySegment segment;
    private long size;

    public OffHeapBuffer(long initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("capacity " + initialCapacity);
        }
        arena = Arena.ofConfined();
        segment = arena.allocate(Math.max(initialCapacity, ALIGNMENT), ALIGNMENT);
    }

    /** The backing memory; valid until the buffer next grows. */
    public MemorySegment segment() {
        return segment;
    }

    /** Bytes appended so far. */
    public long size() {
        return size;
    }

    public long capacity() {
        return segment.byteSize();
    }

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
        if (capacity > segment.byteSize()) {
            grow(capacity);
        }
    }

    /** Appends {@code n} bytes of unspecified content and returns their offset. */
    public long reserve(long n) {
        long at = size;
        ensureCapacity(Math.addExact(size, n));
        size += n;
        return at;
    }

    public void putByte(int b) {
        if (size == segment.byteSize()) {
            grow(size + 1);
        }
        segment.set(ValueLayout.JAVA_BYTE, size++, (byte) b);
    }

    public void putIntLE(int v) {
        long at = reserve(4);
        segment.set(LE_INT, at, v);
    }

    public void putLongLE(long v) {
        long at = reserve(8);
        segment.set(LE_LONG, at, v);
    }

    /** Overwrites four bytes at {@code at} (a length prefix reserved earlier). */
    public void setIntLE(long at, int v) {
        Objects.checkFromIndexSize(at, 4, size);
        segment.set(LE_INT, at, v);
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

    private void grow(long needed) {
        long doubled = segment.byteSize() > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : segment.byteSize() * 2;
        long capacity = Math.max(needed, doubled);
        Arena next = Arena.ofConfined();
        MemorySegment bigger = next.allocate(capacity, ALIGNMENT);
        MemorySegment.copy(segment, 0, bigger, 0, size);
        arena.close();
        arena = next;
        segment = bigger;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
            segment = MemorySegment.NULL;
            size = 0;
        }
    }
}
