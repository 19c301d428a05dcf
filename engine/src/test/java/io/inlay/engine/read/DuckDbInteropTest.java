package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.JsonFormat;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files written by DuckDB (every codec, PARQUET_VERSION V1 and V2, lists with nulls and empty
 * lists) read back by Inlay give exactly the values DuckDB itself reads from them.
 */
class DuckDbInteropTest {
    static final String[] COLUMNS = {"i", "f32", "f64", "s", "b", "flag", "i8", "i16", "i32", "i64", "lf", "ld", "ls", "arr"};
    static final int ROWS = 5000;

    @TempDir
    static Path dir;
    static Connection duck;

    @BeforeAll
    static void table() throws Exception {
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("""
                CREATE TABLE t AS SELECT
                  i::INTEGER AS i,
                  CASE WHEN i % 7 = 0 THEN NULL ELSE (((hash(i) % 2000000)::BIGINT)::DOUBLE / 1000 - 1000)::FLOAT END AS f32,
                  CASE WHEN i % 9 = 0 THEN NULL WHEN i % 97 = 0 THEN 'NaN'::DOUBLE
                       ELSE ((hash(i + 1) % 100000000)::BIGINT)::DOUBLE / 7 END AS f64,
                  CASE WHEN i % 5 = 0 THEN NULL ELSE 'str-' || (hash(i) % 1000)::VARCHAR || repeat('x', (i % 17)::INTEGER) END AS s,
                  CASE WHEN i % 6 = 0 THEN NULL ELSE ('\\x' || lpad(to_hex(i % 256), 2, '0'))::BLOB END AS b,
                  CASE WHEN i % 4 = 0 THEN NULL ELSE (hash(i) % 2 = 0) END AS flag,
                  CASE WHEN i % 8 = 0 THEN NULL ELSE (i % 256 - 128)::TINYINT END AS i8,
                  (i * 7 % 65536 - 32768)::SMALLINT AS i16,
                  CASE WHEN i % 10 = 0 THEN NULL ELSE ((hash(i) % 4000000000)::BIGINT - 2000000000)::INTEGER END AS i32,
                  (hash(i) % 9000000000000000000)::BIGINT - 4500000000000000000 AS i64,
                  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN []::FLOAT[]
                       ELSE [(i % 5)::FLOAT, NULL, (i * 1.5)::FLOAT, -0.0::FLOAT][1:(i % 4 + 1)] END AS lf,
                  CASE WHEN i % 17 = 0 THEN NULL ELSE [i::DOUBLE / 3, NULL] END AS ld,
                  CASE WHEN i % 19 = 0 THEN NULL WHEN i % 23 = 0 THEN []::VARCHAR[]
                       ELSE ['a' || i::VARCHAR, NULL, ''] END AS ls,
                  [i::FLOAT, (i + 1)::FLOAT, (i + 2)::FLOAT, (i + 3)::FLOAT]::FLOAT[4] AS arr
                FROM range(0, ROWS) r(i)
                """.replace("ROWS", String.valueOf(ROWS)));
        }
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
    }

    static Path write(String codec, String version) throws Exception {
        Path f = dir.resolve("duck_" + codec + "_" + version + ".parquet");
        try (Statement s = duck.createStatement()) {
            s.execute("COPY t TO '" + f + "' (FORMAT parquet, COMPRESSION " + codec + ", PARQUET_VERSION " + version
                    + ", ROW_GROUP_SIZE 1500)");
        }
        return f;
    }

    /** DuckDB's own values for a file, as JSON lines in the corpus format. */
    static List<String> duckRows(Path f) throws Exception {
        List<String> rows = new ArrayList<>(ROWS);
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + f + "')")) {
            while (rs.next()) {
                StringBuilder sb = new StringBuilder("{");
                for (int c = 0; c < COLUMNS.length; c++) {
                    if (c > 0) {
                        sb.append(',');
                    }
                    sb.append('"').append(COLUMNS[c]).append("\":");
                    appendJdbc(sb, rs.getObject(c + 1));
                }
                rows.add(sb.append('}').toString());
            }
        }
        return rows;
    }

    static void appendJdbc(StringBuilder sb, Object v) throws Exception {
        switch (v) {
            case null -> sb.append("null");
            case Float f -> JsonFormat.appendFloat(sb, f);
            case Double d -> JsonFormat.appendDouble(sb, d);
            case String s -> JsonFormat.appendString(sb, s);
            case Boolean b -> sb.append(b);
            case byte[] bytes -> sb.append('"').append(HexFormat.of().formatHex(bytes)).append('"');
            case java.sql.Blob blob -> sb.append('"').append(HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length())))
                    .append('"');
            case Number n -> sb.append(n.longValue());
            case Array a -> {
                Object[] items = (Object[]) a.getArray();
                sb.append('[');
                for (int i = 0; i < items.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    appendJdbc(sb, items[i]);
                }
                sb.append(']');
            }
            default -> throw new IllegalStateException("unexpected JDBC value " + v.getClass());
        }
    }

    static List<String> inlayRows(Path f, boolean rowGroupMode) throws Exception {
        List<String> rows = new ArrayList<>(ROWS);
        try (ParquetFile pf = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
            List<RowGroupData> groups = new ArrayList<>();
            RowGroupReader reader = null;
            if (rowGroupMode) {
                reader = pf.rowGroups(List.of(COLUMNS));
            } else {
                groups = pf.readAll(List.of(COLUMNS), DecodeTarget.arena(arena));
            }
            try {
                for (int g = 0; g < pf.rowGroupCount(); g++) {
                    RowGroupData data = rowGroupMode ? reader.read(g) : groups.get(g);
                    for (long r = 0; r < data.rows(); r++) {
                        StringBuilder sb = new StringBuilder("{");
                        for (int c = 0; c < COLUMNS.length; c++) {
                            if (c > 0) {
                                sb.append(',');
                            }
                            sb.append('"').append(COLUMNS[c]).append("\":");
                            ColumnVector v = data.column(COLUMNS[c]);
                            JsonFormat.appendValue(sb, v, r);
                        }
                        rows.add(sb.append('}').toString());
                    }
                }
            } finally {
                if (reader != null) {
                    reader.close();
                }
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "uncompressed, V1", "snappy, V1", "gzip, V1", "zstd, V1", "lz4, V1",
        "uncompressed, V2", "snappy, V2", "gzip, V2", "zstd, V2", "lz4, V2"})
    void duckDbFile_readsAsDuckDbReadsIt(String codec, String version) throws Exception {
        Path f = write(codec, version);
        List<String> want = duckRows(f);
        assertEquals(ROWS, want.size());
        List<String> got = inlayRows(f, false);
        assertEquals(want.size(), got.size(), "rows");
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), got.get(i), codec + " " + version + " row " + i);
        }
        assertEquals(got, inlayRows(f, true), "row_group mode");
        try (ParquetFile pf = ParquetFile.open(f)) {
            var chunk = pf.metadata().rowGroups().get(0).columns().get(1);
            CompressionCodec expected = switch (codec) {
                case "uncompressed" -> CompressionCodec.UNCOMPRESSED;
                case "lz4" -> CompressionCodec.LZ4_RAW;
                default -> CompressionCodec.valueOf(codec.toUpperCase(java.util.Locale.ROOT));
            };
            assertEquals(expected, chunk.codec(), "the file uses the codec under test");
            if (version.equals("V2")) {
                assertTrue(pf.metadata().rowGroups().get(0).columns().stream()
                        .anyMatch(c -> c.encodings().contains("BYTE_STREAM_SPLIT") || c.encodings().contains("DELTA_BINARY_PACKED")),
                        "V2 files exercise BYTE_STREAM_SPLIT or DELTA encodings");
            }
            pf.verify();
        }
    }

    @Test
    void brotliFile_columnsRefusedAsUnsupportedCodec() throws Exception {
        Path f = write("brotli", "V1");
        try (ParquetFile pf = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
            UnsupportedParquetException e = assertThrows(UnsupportedParquetException.class,
                    () -> pf.readAll(List.of("f32"), DecodeTarget.arena(arena)));
            assertTrue(e.getMessage().contains("BROTLI") && e.getMessage().contains("f32"), e.getMessage());
        }
    }
}
