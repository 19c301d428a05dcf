package io.inlay.engine.vector;

import io.inlay.engine.vector.ValueHasher;
import java.util.Objects;

/**
 * Checksums of one column's values, computed by the writer from the values it encodes, so that a
 * test (or a user) can compare them with what an independent reader gets back.
 *
 * <p>{@code sum} depends on the element type: the sum of the values for float32, float64, float16
 * (and the elements of vectors of these); the sum of the values for int8; the number of
 * {@code true} values for bool; the total byte length for string and binary. Floating-point sums
 * are accumulated in double precision in an unspecified order, so compare them with a tolerance;
 * {@code hash} is exact and order-sensitive: see {@link ValueHasher} for its definition.
 *
 * @param column the column name
 * @param values non-null values (list elements for vector columns)
 * @param nulls entries that hold no value: null rows, and null elements of lists
 * @param sum as described above
 * @param hash {@link ValueHasher} over the non-null values in file order
 */
public record ColumnChecksum(String column, long values, long nulls, double sum, long hash) {

    public ColumnChecksum {
        Objects.requireNonNull(column, "column");
    }
}
