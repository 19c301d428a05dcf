package io.inlay.engine.internal.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * What the decoders consume: byte ranges of one file as memory, wherever they came from (a mapping,
 * or buffers that reads filled). Offsets are the file's; the segments handed out are the range
 * alone (offset 0 of a segment is {@code offset} of the file).
 *
 * <p><b>Validity.</b> A segment stays valid until {@link #release} passes its start, or until the
 * next call to {@link #bytes} (whichever comes first; mappings stay valid longer, but callers may
 * not count on it). Confined to the thread that reads.
 */
public interface ByteRanges {

    /**
     * The bytes {@code [offset, offset + length)} of the file, waiting for storage if they are not
     * there yet.
     *
     * @throws io.inlay.engine.error.ParquetCorruptionException if the file turned out shorter (it was
     *     truncated while being read)
     * @throws io.inlay.engine.error.StorageException on an I/O error or an interrupt
     */
    MemorySegment bytes(long offset, long length) throws IOException;

    /**
     * At least one and at most {@code length} bytes from {@code offset}: as many as are planned to be
     * read there without reading more (for peeking at a page header).
     */
    MemorySegment bytesAtMost(long offset, long length) throws IOException;

    /** The bytes before {@code offset} are no longer needed. */
    void release(long offset);

    /**
     * Whether bytes handed out can never change or vanish (read into memory of ours), rather than
     * being a mapping of the file that a truncation on disk turns into SIGBUS. Native code (codecs,
     * the CRC-32 intrinsic) may read only stable bytes.
     */
    boolean stable();
}
