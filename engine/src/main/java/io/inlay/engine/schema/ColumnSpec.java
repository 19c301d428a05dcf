package io.inlay.engine.schema;

import io.inlay.engine.vector.ColumnType;
import java.util.Objects;

/**
 * One column of a workload: {@code dataset.parquet.columns[]} in a DLIO config.
 *
 * @param name the column name (a top-level field of the file)
 * @param dtype its data type
 * @param size the vector length per row for numeric, string and bool dtypes (1 is a scalar),
 *     the vector length of a {@code list}, the byte length of each {@code binary} value, or the
 *     nominal byte length of a {@code blob} sample (up to {@link #MAX_BLOB_SIZE})
 * @param read whether readers load this column ({@code read: false} columns are skipped)
 */
public record ColumnSpec(String name, DType dtype, int size, boolean read) {

    /** The largest vector length or binary size accepted (a 4 GiB row would not fit a page). */
    public static final int MAX_SIZE = 1 << 26;
    /** The largest blob sample: 2 GiB - 1 bytes, what int32 Arrow offsets can hold for one row. */
    public static final int MAX_BLOB_SIZE = Integer.MAX_VALUE;
    /** The bytes of each chunk of a blob sample (the last chunk of a sample holds the rest). */
    public static final int BLOB_CHUNK = 1 << 20;

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name is empty");
        }
        int max = dtype == DType.BLOB ? MAX_BLOB_SIZE : MAX_SIZE;
        if (size < 1 || size > max) {
            throw new IllegalArgumentException("column '" + name + "': size " + size + " is outside 1.." + max);
        }
    }

    /** A column read by readers. */
    public ColumnSpec(String name, DType dtype, int size) {
        this(name, dtype, size, true);
    }

    /** Whether each row holds a fixed-length vector (a Parquet LIST) rather than one value. */
    public boolean isVector() {
        return dtype == DType.LIST || (dtype != DType.BINARY && dtype != DType.BLOB && size > 1);
    }

    /** Whether rows are stored as Parquet LISTs: fixed-length vectors, and blobs (lists of chunks). */
    public boolean isList() {
        return isVector() || dtype == DType.BLOB;
    }

    /** Whether this is a blob column: one sample's bytes per row, in chunks. */
    public boolean isBlob() {
        return dtype == DType.BLOB;
    }

    /** The type Inlay writes, and expects to read, for this column. */
    public ColumnType columnType() {
        return new ColumnType(elementType().valueType(), isList());
    }

    /** The type of each value, or of each vector element. */
    public DType elementType() {
        return dtype.elementType();
    }

    /** Values per row: the vector length, or 1 for scalars (a binary or a blob sample counts as one value). */
    public int valuesPerRow() {
        return isVector() ? size : 1;
    }
}
