package io.inlay.bench.read;

import io.inlay.bench.data.Shape;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB JDBC 2.0.0.1 computing the sum inside DuckDB: {@code sum(f::DOUBLE)} over
 * {@code unnest(features)} for the vector column (faster than {@code sum(list_sum(features))}),
 * {@code sum(x::DOUBLE)} for the flat one, from {@code read_parquet}. One in-memory connection
 * per contender with {@code SET threads = n}; DuckDB's external file cache is switched off so
 * that every query reads the file. An operation is one query.
 */
public final class DuckDbContender implements Contender {

    /** Registers {@code duckdb}. */
    public static final class Factory implements ContenderFactory {
        @Override
        public String name() {
            return "duckdb";
        }

        @Override
        public Contender open(ReadTarget target) throws SQLException {
            return new DuckDbContender(target);
        }
    }

    private final Connection connection;
    private final String query;

    private DuckDbContender(ReadTarget target) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
        boolean ok = false;
        try (Statement s = connection.createStatement()) {
            s.execute("SET threads = " + target.threads());
            s.execute("SET enable_external_file_cache = false");
            ok = true;
        } finally {
            if (!ok) {
                connection.close();
            }
        }
        String file = "read_parquet('" + target.file().toAbsolutePath().toString().replace("'", "''") + "')";
        String column = target.shape().column();
        this.query = target.shape() == Shape.VECTOR
                ? "SELECT sum(f::DOUBLE) FROM (SELECT unnest(" + column + ") AS f FROM " + file + ")"
                : "SELECT sum(" + column + "::DOUBLE) FROM " + file;
    }

    @Override
    public double sum() throws SQLException {
        // a fresh statement each time: DuckDB closes a statement whose query failed
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query)) {
            if (!r.next()) {
                throw new SQLException("DuckDB returned no row for " + query);
            }
            return r.getDouble(1);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing the DuckDB connection failed", e);
        }
    }
}
