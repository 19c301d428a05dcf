package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.vector.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A thread reading every k-th row group of a file through {@link RowGroupReader#read(int)} (its
 * share when k threads split the file) fetches its own row groups from storage, not the others' it
 * reads past: with the direct engines nothing is shared through the page cache, so reading ahead in
 * file order made each of two threads fetch nearly the whole file. Values as mmap gives them.
 */
class StridedReadTest {
    @TempDir
    static Path dir;

    static Path wide;
    /** One column: its chunks lie back to back, so a plan in file order is one extent. */
    static Path narrow;
    static final int GROUPS = 16;

    @BeforeAll
    static void write() throws Exception {
        wide = dir.resolve("strided.parquet");
        narrow = dir.resolve("narrow.parquet");
        StringBuilder cols = new StringBuilder("i::INTEGER AS id");
        for (int c = 0; c < 16; c++) {
            cols.append(", random()::FLOAT AS c").append(c);
        }
        try (DuckDb db = new DuckDb()) {
            db.execute("COPY (SELECT " + cols + " FROM range(0, " + GROUPS * 4096 + ") r(i)) TO " + DuckDb.literal(wide)
                    + " (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 4096)");
            db.execute("COPY (SELECT random()::FLOAT AS c0 FROM range(0, " + GROUPS * 16384 + ") r(i)) TO "
                    + DuckDb.literal(narrow) + " (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 16384)");
        }
    }

    private static String render(RowGroupData g, List<String> cols) {
        StringBuilder sb = new StringBuilder();
        for (String c : cols) {
            for (long r = 0; r < g.rows(); r++) {
                JsonFormat.appendValue(sb, g.column(c), r);
                sb.append(',');
            }
        }
        return sb.toString();
    }

    /** Row groups first, first + step, ... through one reader; their values, and the reads' counts in {@code stats}. */
    private static List<String> read(Path file, ReadOptions o, int first, int step, List<String> cols, IoStats[] stats)
            throws Exception {
        List<String> out = new ArrayList<>();
        try (ReadBuffers buffers = new ReadBuffers(); ParquetFile f = ParquetFile.open(file, o, buffers)) {
            assertEquals(GROUPS, f.rowGroupCount());
            try (RowGroupReader r = f.rowGroups(cols, buffers)) {
                for (int g = first; g < f.rowGroupCount(); g += step) {
                    out.add(render(r.read(g), cols));
                }
            }
            stats[0] = buffers.ioStats();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, every {1}th from {2}, one column {3}")
    @CsvSource({"DIRECT, 2, 0, false", "DIRECT, 2, 1, false", "IO_URING, 2, 1, false", "DIRECT, 3, 2, false",
            "PREAD, 4, 0, false", "DIRECT, 2, 0, true", "IO_URING, 2, 1, true", "DIRECT, 3, 1, true", "MMAP, 2, 1, true"})
    void everyKthRowGroup_fetchesAboutItsShare(IoEngine engine, int step, int first, boolean oneColumn) throws Exception {
        Path file = oneColumn ? narrow : wide;
        List<String> cols = oneColumn ? List.of("c0") : List.of("id", "c3", "c15");
        // one row group (three columns: 48 KiB) ahead at most: 4 reads of 16 KiB
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(engine).withIoDepth(4).withTransferSize(16 << 10);
        IoStats[] stats = new IoStats[1];
        if (engine == IoEngine.MMAP) {
            PageCache.evict(file); // mmap counts what was not in the page cache
        }
        List<String> got = read(file, o, first, step, cols, stats);
        List<String> want = read(file, ReadOptions.DEFAULT.withIoEngine(IoEngine.MMAP), first, step, cols, new IoStats[1]);
        assertEquals(want, got);
        long projected = 0;
        try (ReadBuffers buffers = new ReadBuffers(); ParquetFile f = ParquetFile.open(file, ReadOptions.DEFAULT, buffers);
                RowGroupReader r = f.rowGroups(cols, buffers)) {
            while (r.hasNext()) {
                projected += r.next().storedBytes();
            }
        }
        long share = projected * got.size() / GROUPS;
        long perGroup = projected / GROUPS;
        // its share, O_DIRECT's widening to 4 KiB at both ends of each chunk (and the chunk slack), and
        // one row group of slack; in file order it was about the whole file
        long chunks = (long) got.size() * cols.size();
        assertTrue(stats[0].bytesFromStorage() < share + chunks * 8192 + perGroup,
                "fetched " + stats[0].bytesFromStorage() + " bytes for a share of " + share + " (" + perGroup
                        + " per row group, " + projected + " projected in the file): " + stats[0]);
        assertTrue(Files.size(file) >= projected);
    }
}
