package io.inlay.engine.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Small valid files for the corruption tests: written by DuckDB through JDBC at test time (several
 * codecs, PARQUET_VERSION V1 and V2 so that dictionary, delta and byte-stream-split encodings all
 * appear, a fixed-size float vector, strings, booleans, lists and nulls, a few row groups each), plus
 * small files of the shared corpus read in place (other writers, CRCs, v2 pages, legacy LZ4).
 */
public final class SmallFiles {
    private SmallFiles() {}

    /** DuckDB's table: every supported kind of column, with nulls. */
    private static final String TABLE = """
        CREATE TABLE t AS SELECT
          i::INTEGER AS i,
          CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 0.25 - 3)::FLOAT END AS f,
          (i * 1.5)::DOUBLE AS d,
          CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || (i % 13)::VARCHAR || repeat('x', (i % 4)::INTEGER) END AS s,
          CASE WHEN i % 6 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
          (i % 100 - 50)::TINYINT AS t,
          (i * 1000003)::BIGINT AS big,
          [i::FLOAT, (i + 1)::FLOAT, (i + 2)::FLOAT, (i + 3)::FLOAT]::FLOAT[4] AS vec,
          CASE WHEN i % 9 = 0 THEN NULL WHEN i % 11 = 0 THEN []::INTEGER[] ELSE [i, NULL, i * 2][1:(i % 3 + 1)] END AS li
        FROM range(0, 150) r(i)
        """;

    /** The DuckDB files: (name, COPY options). */
    private static final String[][] DUCKDB = {
        {"duck_v1_uncompressed", "COMPRESSION uncompressed, PARQUET_VERSION V1"},
        {"duck_v1_snappy", "COMPRESSION snappy, PARQUET_VERSION V1"},
        {"duck_v2_zstd", "COMPRESSION zstd, PARQUET_VERSION V2"},
        {"duck_v2_uncompressed", "COMPRESSION uncompressed, PARQUET_VERSION V2"},
        {"duck_v1_gzip", "COMPRESSION gzip, PARQUET_VERSION V1"},
        {"duck_v2_lz4", "COMPRESSION lz4, PARQUET_VERSION V2"},
    };

    /** Small corpus files, relative to the corpus root. */
    public static final List<String> CORPUS = List.of(
            "parquet-testing/data/alltypes_plain.parquet",
            "parquet-testing/data/alltypes_plain.snappy.parquet",
            "parquet-testing/data/datapage_v2.snappy.parquet",
            "parquet-testing/data/nulls.snappy.parquet",
            "parquet-testing/data/rle_boolean_encoding.parquet",
            "parquet-testing/data/plain-dict-uncompressed-checksum.parquet",
            "parquet-testing/data/rle-dict-snappy-checksum.parquet",
            "parquet-testing/data/datapage_v1-snappy-compressed-checksum.parquet",
            "parquet-testing/data/delta_length_byte_array.parquet",
            "parquet-testing/data/byte_stream_split.zstd.parquet",
            "parquet-testing/data/list_columns.parquet",
            "parquet-testing/data/null_list.parquet",
            "parquet-testing/data/float16_nonzeros_and_nans.parquet",
            "parquet-testing/data/old_list_structure.parquet",
            "parquet-testing/data/repeated_no_annotation.parquet",
            "parquet-testing/data/hadoop_lz4_compressed.parquet",
            "parquet-testing/data/lz4_raw_compressed.parquet",
            "parquet-testing/data/non_hadoop_lz4_compressed.parquet",
            "parquet-testing/data/concatenated_gzip_members.parquet",
            "parquet-testing/data/int32_with_null_pages.parquet",
            "parquet-testing/data/nation.dict-malformed.parquet",
            "gap/data/pa_single_row_v2_lz4.parquet",
            "gap/data/dlio_single_row_gzip.parquet",
            "gap/data/dlio_zero_rows_snappy.parquet");

    /** Writes the DuckDB files into {@code dir}. */
    public static List<Path> duckdb(Path dir) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
            for (String[] f : DUCKDB) {
                Path p = dir.resolve(f[0] + ".parquet");
                try (Statement s = c.createStatement()) {
                    s.execute("COPY t TO '" + p + "' (FORMAT parquet, " + f[1] + ", ROW_GROUP_SIZE 64)");
                }
                out.add(p);
            }
        }
        return out;
    }

    /** The small corpus files that are present (none when the corpus is absent). */
    public static List<Path> corpus(Path corpusDir) {
        List<Path> out = new ArrayList<>();
        for (String rel : CORPUS) {
            Path p = corpusDir.resolve(rel);
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** A file's bytes. */
    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
