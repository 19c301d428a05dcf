package io.inlay.engine.write;

import java.lang.foreign.MemorySegment;

/**
 * Produces the samples of a {@code blob} column (one sample's bytes per row, any length up to
 * 2 GiB - 1) a chunk at a time, so that a writer never holds more than a page of them: the writer
 * asks for each row's length, cuts the sample into chunks of {@link io.inlay.engine.schema.ColumnSpec#BLOB_CHUNK}
 * bytes and asks for each chunk's bytes as it fills a page. Calls come in row order, and within a
 * row in offset order, on the writer's thread; {@link #length} may be called more than once per row
 * and must answer the same each time.
 *
 * <p>The segments passed to {@link #bytes} belong to the writer and are valid only during the call.
 */
public interface BlobSource extends ColumnSource {

    /**
     * The length of row {@code row}'s sample, 0 to {@link io.inlay.engine.schema.ColumnSpec#MAX_BLOB_SIZE}.
     *
     * @param row the file-wide index of the row (row groups do not restart it)
     */
    long length(long row);

    /** Writes bytes {@code [offset, offset + out.byteSize())} of row {@code row}'s sample into {@code out}. */
    void bytes(long row, long offset, MemorySegment out);

    /** Not used for blobs: the writer calls {@link #length} and {@link #bytes}. */
    @Override
    default void fill(long firstRow, PageBuffers out) {
        throw new IllegalStateException("a blob source is read chunk by chunk through length() and bytes()");
    }
}
