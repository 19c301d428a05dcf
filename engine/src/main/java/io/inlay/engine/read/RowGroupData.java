package io.inlay.engine.read;

import io.inlay.engine.vector.ColumnVector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded projected columns of one row group. Owns no memory: the vectors live as long as the
 * arena they were decoded into (default mode) or until the {@link RowGroupReader} that produced
 * them decodes its next row group or is closed (row-group mode).
 *
 * @param rowGroup the row group index
 * @param rows its row count
 * @param columns the vectors by column name, in projection order
 * @param storedBytes bytes of the projected column chunks as stored in the file (the footer's sizes, not a count of bytes read)
 */
public record RowGroupData(int rowGroup, long rows, Map<String, ColumnVector> columns, long storedBytes) {

    public RowGroupData {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * The vector of a projected column.
     *
     * @throws IllegalArgumentException if the column was not projected
     */
    public ColumnVector column(String name) {
        ColumnVector v = columns.get(name);
        if (v == null) {
            throw new IllegalArgumentException("column '" + name + "' was not projected; projected: " + columns.keySet());
        }
        return v;
    }
}
