package io.inlay.engine.internal.io;

import java.lang.foreign.MemorySegment;

/**
 * {@link ByteRanges} as slices of a mapping, with no read-ahead of its own: for zero-copy slices
 * and for callers that map a file themselves. Not stable (see {@link ByteRanges#stable()}).
 */
public final class MappedRanges implements ByteRanges {
    private final MemorySegment mapping;

    public MappedRanges(MemorySegment mapping) {
        this.mapping = mapping;
    }

    @Override
    public MemorySegment bytes(long offset, long length) {
        return mapping.asSlice(offset, length);
    }

    @Override
    public MemorySegment bytesAtMost(long offset, long length) {
        return mapping.asSlice(offset, Math.min(length, mapping.byteSize() - offset));
    }

    @Override
    public void release(long offset) {
        // nothing held
    }

    @Override
    public boolean stable() {
        return false;
    }
}
