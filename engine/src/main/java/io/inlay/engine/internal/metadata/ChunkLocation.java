package io.inlay.engine.internal.metadata;

import io.inlay.codec.CompressionCodec;
import org.apache.parquet.format.ColumnMetaData;

/**
 * Where a column chunk's pages are, validated against the file: they start at {@code start} and
 * are declared to span {@code length} bytes; no page may extend past {@code dataEnd} (where the
 * footer begins).
 *
 * @param rowGroup the row group index
 * @param leaf the leaf column index
 * @param start the offset of the first page (the dictionary page, when there is one)
 * @param length the chunk's declared compressed size
 * @param dataEnd the end of the file's page data (the footer's start)
 * @param numValues the chunk's level count (values including nulls)
 * @param rows the row group's row count
 * @param codec the chunk's codec
 * @param meta the chunk's Thrift metadata
 */
public record ChunkLocation(int rowGroup, int leaf, long start, long length, long dataEnd, long numValues, long rows,
        CompressionCodec codec, ColumnMetaData meta) {

    /** The declared end of the chunk (some writers understate it; pages may run to {@link #dataEnd}). */
    public long declaredEnd() {
        return start + length;
    }
}
