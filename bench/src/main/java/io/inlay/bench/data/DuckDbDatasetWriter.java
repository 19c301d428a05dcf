package io.inlay.bench.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Writes benchmark files with DuckDB's Parquet writer (select it with
 * {@code -Dinlay.bench.writer=duckdb}). DuckDB cannot take the values from Java at speed, so it
 * makes its own inside the query: value {@code k} (row-major position in the file) is
 * {@code (hash(k + seed) >> 41) / 2^23}, like {@link FloatSource} a float in [0, 1) with 23 random
 * mantissa bits (so sums stay exact), but not the same floats: these files have their own id.
 *
 * <p>DuckDB writes the vector column as a 3-level LIST with an optional element, PLAIN floats
 * without dictionary for data this random, v1 data pages, and for {@code lz4} the LZ4_RAW codec.
 * It puts a whole column chunk in one data page up to 100 MB (it has no page size setting): a
 * 64 MiB row group is one 64 MiB page, unlike pyarrow's and parquet-java's 1 MiB pages.
 */
public final class DuckDbDatasetWriter implements DatasetWriter {

    @Override
    public String id() {
        return "duckdb1";
    }

    @Override
    public void write(DatasetSpec spec, FloatSource values, Path target) throws SQLException {
        String value = "((hash(%s + " + spec.seed() + ") >> 41)::DOUBLE / 8388608.0)::FLOAT";
        String select = switch (spec.shape()) {
            case VECTOR -> "SELECT list_transform(range(" + Shape.VECTOR_LENGTH + "), lambda j: "
                    + value.formatted("i * " + Shape.VECTOR_LENGTH + " + j") + ") AS " + spec.shape().column()
                    + " FROM range(" + spec.rows() + ") t(i)";
            case FLAT -> "SELECT " + value.formatted("i") + " AS " + spec.shape().column()
                    + " FROM range(" + spec.rows() + ") t(i)";
        };
        String copy = "COPY (" + select + ") TO '" + sqlString(target) + "' (FORMAT parquet, COMPRESSION "
                + duckCodec(spec.codec()) + ", ROW_GROUP_SIZE " + spec.rowGroupRows() + ")";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET preserve_insertion_order = true");
            s.execute(copy);
        }
    }

    private static String duckCodec(String codec) {
        return switch (codec.toLowerCase(Locale.ROOT)) {
            case "none" -> "uncompressed";
            case "snappy", "gzip", "zstd" -> codec;
            case "lz4" -> "lz4_raw";
            default -> throw new IllegalArgumentException("codec '" + codec + "' is not one of none, snappy, gzip, zstd, lz4");
        };
    }

    static String sqlString(Path path) {
        return path.toAbsolutePath().toString().replace("'", "''");
    }
}
