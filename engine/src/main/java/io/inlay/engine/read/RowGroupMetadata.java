package io.inlay.engine.read;

import java.util.List;

/**
 * One row group.
 *
 * @param index its position in the file
 * @param rows its row count
 * @param totalByteSize the uncompressed size its writer recorded
 * @param columns its column chunks, in leaf order
 */
public record RowGroupMetadata(int index, long rows, long totalByteSize, List<ColumnChunkMetadata> columns) {

    /** Bytes of the chunks as stored. */
    public long compressedSize() {
        long total = 0;
        for (ColumnChunkMetadata c : columns) {
            total += c.compressedSize();
        }
        return total;
    }
}
