package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.internal.io.uring.UringReadQueue;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker reading file after file with {@code io_engine=io_uring} (and {@code auto} on files not
 * in the page cache) submits every queue read through io_uring: the footers of the files read
 * ahead included, which are read before their file's engine is chosen. Counted by the worker's
 * {@link IoStats#uringReads()} against {@link IoStats#readRequests()}. (The footer of a file opened
 * without being announced is one synchronous {@code pread} at open, outside the worker's queue, and
 * is not in these counts.) Skipped where the kernel refuses io_uring.
 */
class UringReadsTest {
    @TempDir
    static Path dir;

    static List<Path> files;

    @BeforeAll
    static void setUp() throws Exception {
        try (UringReadQueue q = UringReadQueue.open(1)) {
            // io_uring works here
        } catch (IOException e) {
            Assumptions.abort("io_uring refused here: " + e.getMessage());
        }
        files = new ArrayList<>();
        try (DuckDb db = new DuckDb()) {
            // random floats: larger than the 64 KiB tail read with each footer even with zstd, so
            // auto sees them out of the page cache after eviction
            for (int i = 0; i < 8; i++) {
                Path f = dir.resolve("f" + i + ".parquet");
                db.execute("COPY (SELECT (r + " + i + " * 1000)::INTEGER AS id, [random()::FLOAT, random()::FLOAT, " + i
                        + "::FLOAT]::FLOAT[3] AS v FROM range(0, " + (20_000 + 997 * i) + ") t(r)) TO " + DuckDb.literal(f)
                        + " (FORMAT parquet, COMPRESSION " + (i % 2 == 0 ? "zstd" : "uncompressed") + ", ROW_GROUP_SIZE 4096)");
                files.add(f);
            }
        }
    }

    /** The engines the files of the last {@link #readAll} were read with. */
    private static final List<IoEngine> engines = new ArrayList<>();

    /** Reads every file in order, announcing the next {@code window} after opening each; the worker's counts. */
    private static IoStats readAll(ReadOptions o, int window, boolean rowGroups, boolean evict) throws Exception {
        List<String> cols = List.of("v", "id");
        try (ReadBuffers buffers = new ReadBuffers()) {
            long rows = 0;
            long want = 0;
            engines.clear();
            for (int i = 0; i < files.size(); i++) {
                if (evict) {
                    for (int j = i; j < Math.min(files.size(), i + 1 + window); j++) {
                        PageCache.evict(files.get(j));
                    }
                }
                try (ParquetFile f = ParquetFile.open(files.get(i), o, buffers)) {
                    want += f.rows();
                    engines.add(f.ioEngine());
                    if (window > 0 && i + 1 < files.size()) {
                        buffers.readAhead(files.subList(i + 1, Math.min(files.size(), i + 1 + window)), o, cols);
                    }
                    if (rowGroups) {
                        try (RowGroupReader r = f.rowGroups(cols, buffers)) {
                            while (r.hasNext()) {
                                rows += r.next().rows();
                            }
                        }
                    } else {
                        for (RowGroupData g : f.readAll(cols, buffers)) {
                            rows += g.rows();
                        }
                    }
                }
            }
            assertEquals(want, rows);
            return buffers.ioStats();
        }
    }

    @ParameterizedTest(name = "window {0}, row groups {1}, depth {2}")
    @CsvSource({"1, false, 4", "1, true, 4", "3, false, 16", "4, true, 2", "0, true, 8"})
    void ioUring_everyQueueReadGoesThroughIoUring(int window, boolean rowGroups, int depth) throws Exception {
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(IoEngine.IO_URING).withIoDepth(depth).withTransferSize(16 << 10);
        IoStats s = readAll(o, window, rowGroups, false);
        assertTrue(s.readRequests() > files.size(), s.toString());
        assertEquals(s.readRequests(), s.uringReads(), "reads not through io_uring: " + s + ", engines " + engines);
    }

    @ParameterizedTest(name = "window {0}, row groups {1}")
    @CsvSource({"1, false", "2, true"})
    void auto_onFilesNotInThePageCache_readsThroughIoUringToo(int window, boolean rowGroups) throws Exception {
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(IoEngine.AUTO).withIoDepth(8).withTransferSize(16 << 10);
        IoStats s = readAll(o, window, rowGroups, true);
        assertTrue(s.readRequests() > files.size(), s.toString());
        assertEquals(s.readRequests(), s.uringReads(), "reads not through io_uring: " + s + ", engines " + engines);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DIRECT", "PREAD"})
    void otherQueueEngines_readThroughThreads(IoEngine engine) throws Exception {
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(engine).withIoDepth(4).withTransferSize(16 << 10);
        IoStats s = readAll(o, 2, true, false);
        assertTrue(s.readRequests() > files.size(), s.toString());
        assertEquals(0, s.uringReads(), s.toString());
    }
}
