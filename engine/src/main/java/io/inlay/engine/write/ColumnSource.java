package io.inlay.engine.write;

/**
 * Produces a column's values a page at a time, for writing a file whose data the caller does not
 * hold (a generator, or a conversion from another format). The writer calls {@link #fill} for each
 * page of the column, in row order within a row group; a row group's columns are written one after
 * another, so the calls for one column all happen before those for the next.
 *
 * <p>The buffers passed to {@code fill} belong to the writer and are reused for the next page; a
 * source must not keep them. {@code fill} runs on the thread that called the writer.
 */
@FunctionalInterface
public interface ColumnSource {

    /**
     * Writes the values of rows {@code [firstRow, firstRow + out.rows())} of the file into
     * {@code out}: {@link PageBuffers#valueCount()} values in Arrow layout (see {@link PageBuffers}).
     *
     * @param firstRow the file-wide index of the first row (row groups do not restart it)
     * @param out the writer's buffers for this page
     * @throws RuntimeException to abort the file; the writer deletes its temporary file and
     *     reports the failure with the file, column and row group
     */
    void fill(long firstRow, PageBuffers out);

    /**
     * The typical number of value bytes per row, used to size pages of strings and binaries
     * before any page has been seen; {@code -1} (the default) when unknown.
     */
    default long estimatedBytesPerRow() {
        return -1;
    }
}
