package io.inlay.codec;

import java.lang.foreign.MemorySegment;

/**
 * Compresses whole pages. Confined to one thread at a time; {@linkplain #close() close} it to
 * release native state. Both segments must be native memory owned by the caller.
 */
public interface Compressor extends AutoCloseable {

    /** The largest output {@link #compress} can produce for an input of the given size. */
    long maxCompressedLength(long uncompressedLength);

    /**
     * Compresses all of {@code src} into the start of {@code dst}, which must hold at least
     * {@link #maxCompressedLength(long) maxCompressedLength(src.byteSize())} bytes.
     *
     * @return the number of bytes written to {@code dst}
     * @throws CodecException if the codec fails
     */
    long compress(MemorySegment src, MemorySegment dst) throws CodecException;

    /** Releases native state. Idempotent. */
    @Override
    void close();
}
