package io.inlay.engine.read;

import java.util.List;
import java.util.Map;

/**
 * What a file's footer says, validated. Immutable.
 *
 * @param size the file size in bytes
 * @param footerLength the Thrift footer's length
 * @param version the format version the writer recorded
 * @param createdBy the writer, or null
 * @param footerRows the row count in the footer (some writers get it wrong; {@link #rows()} is what is read)
 * @param keyValue the key-value metadata, in file order
 * @param rowGroups the row groups
 */
public record FileMetadata(long size, long footerLength, int version, String createdBy, long footerRows,
        Map<String, String> keyValue, List<RowGroupMetadata> rowGroups) {

    /** Rows over all row groups. */
    public long rows() {
        long total = 0;
        for (RowGroupMetadata g : rowGroups) {
            total += g.rows();
        }
        return total;
    }
}
