package io.inlay.codec;

import java.lang.foreign.MemorySegment;

/**
 * Decompresses whole pages. An instance may keep native state (a zstd context, an
 * {@link java.util.zip.Inflater}) between calls, so it is confined to one thread at a time and
 * must be {@linkplain #close() closed}.
 *
 * <p>Both segments must be native (off-heap or file-mapped) memory; the caller owns them and
 * neither is retained after the call returns.
 */
public interface Decompressor extends AutoCloseable {

    /**
     * Decompresses all of {@code src} into all of {@code dst}, whose size is the page's declared
     * uncompressed size. Nothing is written outside {@code dst}.
     *
     * @throws CodecException if the input is corrupt, truncated, or does not produce exactly
     *     {@code dst.byteSize()} bytes
     */
    void decompress(MemorySegment src, MemorySegment dst) throws CodecException;

    /** Releases native state. Idempotent. */
    @Override
    void close();
}
