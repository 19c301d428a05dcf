package io.inlay.engine.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;

/** The independent readers used in tests load and agree on a corpus file's row count. */
class PeerSmokeTest {
    static Path file(String name) {
        Path dir = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
        Path f = dir.resolve("parquet-testing/data").resolve(name);
        assumeTrue(Files.exists(f), "corpus file not found: " + f.toAbsolutePath() + " (set -Dcorpus.dir)");
        return f;
    }

    @Test
    void parquetJavaAndDuckDb_readTheSameRowCount() throws Exception {
        Path f = file("alltypes_plain.snappy.parquet");
        long parquetJavaRows;
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
            parquetJavaRows = r.getRecordCount();
            assertEquals(parquetJavaRows, r.readNextRowGroup().getRowCount());
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + f.toAbsolutePath() + "')")) {
            rs.next();
            assertEquals(parquetJavaRows, rs.getLong(1));
        }
    }
}
