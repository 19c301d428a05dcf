package io.inlay.engine.schema;

import io.inlay.engine.vector.ColumnType;
import java.util.Objects;

/**
 * One column of a workload: {@code dataset.parquet.columns[]} in a DLIO config.
 *
 * @param name the column name (a top-level field of the file)
 * @param dtype its data type
 * @param size the vector length per row for numeric, string and bool dtypes (1 is a scalar),
 *     the vector length of a {@code list}, or the byte length of each {@code binary} value
 * @param read whether readers load this column ({@code read: false} columns are skipped)
 */
public record ColumnSpec(String name, DType dtype, int size, boolean read) {

    /** The largest vector length or binary size accepted (a 4 GiB row would not fit a page). */
    public static final int MAX_SIZE = 1 << 26;

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name is empty");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("column '" + name + "': size " + size + " is outside 1.." + MAX_SIZE);
        }
    }

    /** A column read by readers. */
    public ColumnSpec(String name, DType dtype, int size) {
        this(name, dtype, size, true);
    }

    /** Whether each row holds a fixed-length vector (a Parquet LIST) rather than one value. */
    public boolean isVector() {
        return dtype == DType.LIST || (dtype != DType.BINARY && size > 1);
    }

    /** The type Inlay writes, and expects to read, for this column. */
    public ColumnType columnType() {
        return new ColumnType(elementType().valueType(), isVector());
    }

    /** The type of each value, or of each vector element. */
    public DType elementType() {
        return dtype.elementType();
    }

    /** Values per row: the vector length, or 1 for scalars (binary counts as one value). */
    public int valuesPerRow() {
        return isVector() ? size : 1;
    }
}
