package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.vector.JsonFormat;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only the projected columns' chunks are touched: garbage in another chunk does not disturb them. */
class ProjectionTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"uncompressed", "zstd"})
    void corruptUnprojectedChunk_doesNotDisturbProjectedColumns(String codec) throws Exception {
        Path f = dir.resolve("p_" + codec + ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT i::INTEGER AS a, 'value-' || i::VARCHAR AS victim, [i::FLOAT, 1.5::FLOAT] AS c"
                    + " FROM range(0, 3000) r(i)) TO '" + f + "' (FORMAT parquet, COMPRESSION " + codec + ", ROW_GROUP_SIZE 1000)");
        }
        List<String> before = render(f, List.of("a", "c"));

        long[] starts;
        long[] lengths;
        try (ParquetFile pf = ParquetFile.open(f)) {
            int groups = pf.rowGroupCount();
            starts = new long[groups];
            lengths = new long[groups];
            for (int g = 0; g < groups; g++) {
                ColumnChunkMetadata victim = pf.metadata().rowGroups().get(g).columns().get(1);
                assertEquals("victim", victim.path());
                starts[g] = victim.startOffset();
                lengths[g] = victim.compressedSize();
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            for (int g = 0; g < starts.length; g++) {
                byte[] garbage = new byte[(int) lengths[g]];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = (byte) random.nextInt();
                }
                ch.write(ByteBuffer.wrap(garbage), starts[g]);
            }
        }

        assertEquals(before, render(f, List.of("a", "c")), "the projected columns read as before");
        try (ParquetFile pf = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
            ParquetCorruptionException e = assertThrows(ParquetCorruptionException.class,
                    () -> pf.readAll(List.of("victim"), DecodeTarget.arena(arena)));
            assertTrue(e.getMessage().contains("'victim'") && e.getMessage().contains(f.toString()), e.getMessage());
        }
    }

    private static List<String> render(Path f, List<String> columns) throws Exception {
        List<String> out = new ArrayList<>();
        try (ParquetFile pf = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
            for (RowGroupData g : pf.readAll(columns, DecodeTarget.arena(arena))) {
                for (long r = 0; r < g.rows(); r++) {
                    StringBuilder sb = new StringBuilder();
                    for (String c : columns) {
                        JsonFormat.appendValue(sb, g.column(c), r);
                        sb.append('|');
                    }
                    out.add(sb.toString());
                }
            }
        }
        assertEquals(3000, out.size());
        return out;
    }
}
