package io.inlay.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.dataset.FileResult;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.vector.ColumnChecksum;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a generated file with the independent readers: parquet-java (values, row groups, CRCs,
 * statistics, exact checksums) and DuckDB (row count, sums, counts, exact float32 sums).
 */
public final class GeneratedFiles {
    private GeneratedFiles() {}

    /**
     * @param stored the columns stored in the file, in order
     * @param all every column of the spec (the partition column too), matching {@code f.checksums()}
     */
    public static void verify(FileResult f, List<ColumnSpec> stored, List<ColumnSpec> all, long rowGroupSize, DuckDb db)
            throws Exception {
        Path file = f.path();
        ParquetJava.Content read = ParquetJava.read(file);
        assertEquals(f.rows(), read.rows(), file + ": rows");
        List<Long> groups = new ArrayList<>();
        for (long left = f.rows(); left > 0; left -= rowGroupSize) {
            groups.add(Math.min(left, rowGroupSize));
        }
        assertEquals(groups, read.rowGroupRows(), file + ": row group sizes");
        assertEquals(stored.stream().map(ColumnSpec::name).toList(), List.copyOf(read.columns().keySet()), file + ": columns");
        PageWalk.assertCrcs(file);
        StatsCheck.assertMatch(read.footer(), stored, read.columns(), (int) rowGroupSize);
        assertEquals(all.size(), f.checksums().size(), file + ": a checksum per column");
        for (ColumnSpec c : stored) {
            ColumnChecksum ours = f.checksums().get(all.indexOf(c));
            ColumnChecksum theirs = ParquetJava.checksum(c.name(), c.dtype(), read.columns().get(c.name()));
            assertEquals(c.name(), ours.column());
            assertEquals(f.rows() * c.valuesPerRow(), ours.values(), file + " " + c.name() + ": values");
            assertEquals(theirs.values(), ours.values(), file + " " + c.name() + ": values read");
            assertEquals(0, ours.nulls(), file + " " + c.name() + ": nulls");
            assertEquals(theirs.hash(), ours.hash(), file + " " + c.name() + ": hash");
            assertEquals(theirs.sum(), ours.sum(), 1e-9 * Math.max(1, Math.abs(ours.sum())), file + " " + c.name() + ": sum");
            duckDbAgrees(db, file, c, ours);
        }
    }

    /** DuckDB's count and sum of a column equal the generator's checksum. */
    public static void duckDbAgrees(DuckDb db, Path file, ColumnSpec c, ColumnChecksum ours) throws Exception {
        String src = "read_parquet(" + DuckDb.literal(file) + ")";
        String e = c.isList() ? "e" : c.name();
        String from = c.isList() ? "(SELECT unnest(" + c.name() + ") AS e FROM " + src + ")" : src;
        String sum = switch (c.elementType()) {
            case STRING -> "sum(octet_length(" + e + "::BLOB))";
            case BINARY -> "sum(octet_length(" + e + "))";
            case BOOL -> "sum(" + e + "::INTEGER)";
            default -> "sum(" + e + "::DOUBLE)";
        };
        Object[] row = db.query("SELECT count(" + e + "), " + sum + " FROM " + from).get(0);
        assertEquals(ours.values(), ((Number) row[0]).longValue(), file + " " + c.name() + ": DuckDB count");
        assertEquals(ours.sum(), ((Number) row[1]).doubleValue(), 1e-9 * Math.max(1, Math.abs(ours.sum())),
                file + " " + c.name() + ": DuckDB sum");
        if (c.elementType() == DType.FLOAT32 || c.elementType() == DType.LIST) {
            // generated float32 values are multiples of 2^-24: scaled, the sum is an exact integer
            Object exact = db.scalar("SELECT sum((" + e + " * 16777216)::BIGINT) FROM " + from);
            assertEquals(Math.round(ours.sum() * 16777216.0), ((Number) exact).longValue(), file + " " + c.name() + ": exact sum");
            Object[] range = db.query("SELECT min(" + e + "), max(" + e + "), avg(" + e + ") FROM " + from).get(0);
            assertTrue(((Number) range[0]).doubleValue() >= 0 && ((Number) range[1]).doubleValue() < 1, "floats in [0, 1)");
            if (ours.values() > 10_000) {
                assertEquals(0.5, ((Number) range[2]).doubleValue(), 0.02, "uniform floats average 1/2");
            }
        }
    }

    /** The key-value metadata parquet-java sees. */
    public static Map<String, String> keyValue(Path file) throws Exception {
        return ParquetJava.read(file).footer().getFileMetaData().getKeyValueMetaData();
    }
}
