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

    static Path file;
    static final int GROUPS = 16;

    @BeforeAll
    static void write() throws Exception {
        file = dir.resolve("strided.parquet");
        StringBuilder cols = new StringBuilder("i::INTEGER AS id");
        for (int c = 0; c < 16; c++) {
            cols.append(", random()::FLOAT AS c").append(c);
        }
        try (DuckDb db = new DuckDb()) {
            db.execute("COPY (SELECT " + cols + " FROM range(0, " + GROUPS * 4096 + ") r(i)) TO " + DuckDb.literal(file)
                    + " (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 4096)");
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
    private static List<String> read(ReadOptions o, int first, int step, List<String> cols, IoStats[] stats) throws Exception {
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

    @ParameterizedTest(name = "{0}, every {1}th from {2}")
    @CsvSource({"DIRECT, 2, 0", "DIRECT, 2, 1", "IO_URING, 2, 1", "DIRECT, 3, 2", "PREAD, 4, 0"})
    void everyKthRowGroup_fetchesAboutItsShare(IoEngine engine, int step, int first) throws Exception {
        List<String> cols = List.of("id", "c3", "c15");
        // one row group (three columns: 48 KiB) ahead at most: 4 reads of 16 KiB
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(engine).withIoDepth(4).withTransferSize(16 << 10);
        IoStats[] stats = new IoStats[1];
        List<String> got = read(o, first, step, cols, stats);
        List<String> want = read(ReadOptions.DEFAULT.withIoEngine(IoEngine.MMAP), first, step, cols, new IoStats[1]);
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
        // its share, one row group read ahead before the step is known, alignment and the footer
        assertTrue(stats[0].bytesFromStorage() < share + 2 * perGroup + (256 << 10),
                "fetched " + stats[0].bytesFromStorage() + " bytes for a share of " + share + " (" + perGroup
                        + " per row group, " + projected + " projected in the file): " + stats[0]);
        assertTrue(Files.size(file) > 4 * projected / 2);
    }
}
