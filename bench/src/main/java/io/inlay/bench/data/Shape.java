package io.inlay.bench.data;

import java.util.Locale;

/**
 * The two column shapes the read benchmarks use, each the only column of its file.
 *
 * <ul>
 *   <li>{@link #VECTOR}: {@code features}, a list of exactly {@value #VECTOR_LENGTH} float32 per
 *       row, stored as a 3-level LIST ({@code optional group features (LIST) { repeated group list
 *       { optional float element } }}), as the DLIO workloads and pyarrow/DuckDB write it.</li>
 *   <li>{@link #FLAT}: {@code x}, one float32 per row.</li>
 * </ul>
 */
public enum Shape {
    VECTOR("features", 1024, 16_384),
    FLAT("x", 1, 16_384 * 1024);

    /** Floats per row of the vector column, as the workloads use. */
    public static final int VECTOR_LENGTH = 1024;

    private final String column;
    private final int floatsPerRow;
    private final int defaultRowGroupRows;

    Shape(String column, int floatsPerRow, int defaultRowGroupRows) {
        this.column = column;
        this.floatsPerRow = floatsPerRow;
        this.defaultRowGroupRows = defaultRowGroupRows;
    }

    /** The top-level column name. */
    public String column() {
        return column;
    }

    /** Floats per row: {@value #VECTOR_LENGTH} or 1. */
    public int floatsPerRow() {
        return floatsPerRow;
    }

    /**
     * Rows per row group unless a spec says otherwise: 16,384 for the vector column, as the
     * baseline file has (64 MiB of floats), and the same 64 MiB of floats for the flat column.
     */
    public int defaultRowGroupRows() {
        return defaultRowGroupRows;
    }

    /** The name used in parameters and file names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The shape for a parameter value, case-insensitively. */
    public static Shape of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
