package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.JsonFormat;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read mode decodes the same rows into either {@link DecodeTarget}: an arena's fresh memory
 * or reused {@link ReadBuffers}; a row-group reader into an arena leaves every row group's vectors
 * valid while it decodes the next. The values are checked against DuckDB, which wrote the file.
 */
class DecodeTargetTest {
    private static final List<String> COLUMNS = List.of("id", "v", "s");

    @TempDir
    static Path dir;

    private static Path file;
    private static List<String> expected;

    @BeforeAll
    static void write() throws Exception {
        file = dir.resolve("three-row-groups.parquet");
        expected = new ArrayList<>();
        try (DuckDb db = new DuckDb()) {
            String rows = "SELECT r::INTEGER AS id, [r::FLOAT, (r * 2)::FLOAT]::FLOAT[2] AS v,"
                    + " CASE WHEN r % 7 = 0 THEN NULL ELSE 'x' || r END AS s FROM range(0, 5000) t(r)";
            db.execute("COPY (" + rows + ") TO " + DuckDb.literal(file)
                    + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)");
            for (Object[] row : db.query("SELECT id, v[1], v[2], s FROM read_parquet(" + DuckDb.literal(file) + ") ORDER BY id")) {
                expected.add(row[0] + "|[" + ((Number) row[1]).floatValue() + "," + ((Number) row[2]).floatValue() + "]|"
                        + (row[3] == null ? "null" : "\"" + row[3] + "\"") + "|");
            }
        }
    }

    private static List<String> render(RowGroupData g) {
        List<String> out = new ArrayList<>();
        for (long r = 0; r < g.rows(); r++) {
            StringBuilder sb = new StringBuilder();
            for (String c : COLUMNS) {
                ColumnVector v = g.column(c);
                JsonFormat.appendValue(sb, v, r);
                sb.append('|');
            }
            out.add(sb.toString().replace(", ", ","));
        }
        return out;
    }

    private static List<String> render(List<RowGroupData> groups) {
        List<String> out = new ArrayList<>();
        groups.forEach(g -> out.addAll(render(g)));
        return out;
    }

    @Test
    void everyModeIntoEitherTarget_decodesDuckDbsRows() throws Exception {
        try (ParquetFile pf = ParquetFile.open(file); Arena arena = Arena.ofConfined(); ReadBuffers buffers = new ReadBuffers()) {
            assertEquals(3, pf.rowGroupCount());
            // the rendering matches DuckDB's own reading of the file (checked once, then modes compare to it)
            List<String> fresh = render(pf.readAll(COLUMNS, DecodeTarget.arena(arena)));
            assertEquals(expected, fresh);
            assertEquals(fresh, render(pf.readAll(COLUMNS, buffers)), "readAll into ReadBuffers");
            for (DecodeTarget target : List.of(DecodeTarget.arena(arena), buffers)) {
                List<String> byGroup = new ArrayList<>();
                for (int g = 0; g < pf.rowGroupCount(); g++) {
                    byGroup.addAll(render(pf.readRowGroup(g, COLUMNS, target)));
                }
                assertEquals(fresh, byGroup, "readRowGroup into " + target);
                List<String> read = new ArrayList<>();
                try (RowGroupReader reader = pf.rowGroups(COLUMNS, target)) {
                    while (reader.hasNext()) {
                        read.addAll(render(reader.next()));
                    }
                }
                assertEquals(fresh, read, "rowGroups into " + target);
            }
            List<String> own = new ArrayList<>();
            try (RowGroupReader reader = pf.rowGroups(COLUMNS)) {
                while (reader.hasNext()) {
                    own.addAll(render(reader.next()));
                }
            }
            assertEquals(fresh, own, "rowGroups into the reader's own buffers");
        }
    }

    @Test
    void rowGroupReaderIntoArena_keepsEveryRowGroupsVectors() throws Exception {
        try (ParquetFile pf = ParquetFile.open(file); Arena arena = Arena.ofConfined()) {
            List<RowGroupData> kept = new ArrayList<>();
            try (RowGroupReader reader = pf.rowGroups(COLUMNS, DecodeTarget.arena(arena))) {
                while (reader.hasNext()) {
                    kept.add(reader.next());
                }
            }
            // read after the reader decoded (and closed) the later row groups: the arena still holds them
            assertEquals(expected, render(kept));
        }
    }

    @Test
    void noTarget_isRefusedByName() throws Exception {
        try (ParquetFile pf = ParquetFile.open(file)) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> pf.readAll(COLUMNS, null));
            assertTrue(e.getMessage().contains("target"), e.getMessage());
            assertThrows(NullPointerException.class, () -> pf.readRowGroup(0, COLUMNS, null));
            assertThrows(NullPointerException.class, () -> pf.rowGroups(COLUMNS, null));
            assertThrows(NullPointerException.class, () -> DecodeTarget.arena(null));
        }
    }
}
