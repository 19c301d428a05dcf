package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.vector.JsonFormat;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Read-ahead across files ({@link ReadBuffers#readAhead}, {@link ParquetFile#open(Path, ReadOptions, ReadBuffers)}):
 * a worker announcing each next file reads exactly what it reads without announcing, in both modes
 * and every engine; the announced file's footer is read before it is opened; a file announced and
 * then not opened (or another opened instead) is let go, descriptors included; a broken next file is
 * reported by its open, not by the announcement.
 */
class ReadAheadTest {
    @TempDir
    Path dir;

    private List<Path> files(int n) throws Exception {
        List<Path> out = new ArrayList<>();
        try (DuckDb db = new DuckDb()) {
            for (int i = 0; i < n; i++) {
                Path f = dir.resolve("f" + i + ".parquet");
                db.execute("COPY (SELECT (r + " + i + " * 1000)::INTEGER AS id, [r::FLOAT, (r * 2)::FLOAT, " + i + "::FLOAT]::FLOAT[3] AS v,"
                        + " 'x' || r AS s FROM range(0, " + (5000 + 997 * i) + ") t(r)) TO " + DuckDb.literal(f)
                        + " (FORMAT parquet, COMPRESSION " + (i % 2 == 0 ? "zstd" : "uncompressed") + ", ROW_GROUP_SIZE 2048)");
                out.add(f);
            }
        }
        return out;
    }

    private static void render(StringBuilder sb, List<RowGroupData> groups, List<String> cols) {
        for (RowGroupData g : groups) {
            for (String c : cols) {
                for (long r = 0; r < g.rows(); r++) {
                    JsonFormat.appendValue(sb, g.column(c), r);
                    sb.append(',');
                }
            }
            sb.append('\n');
        }
    }

    private static String readAll(List<Path> files, ReadOptions o, List<String> cols, boolean ahead, boolean rowGroups)
            throws Exception {
        return readAll(files, o, cols, ahead ? 1 : 0, rowGroups);
    }

    /** Reads the files in order, announcing the next {@code window} before reading each. */
    private static String readAll(List<Path> files, ReadOptions o, List<String> cols, int window, boolean rowGroups)
            throws Exception {
        StringBuilder sb = new StringBuilder();
        try (ReadBuffers buffers = new ReadBuffers()) {
            for (int i = 0; i < files.size(); i++) {
                try (ParquetFile f = ParquetFile.open(files.get(i), o, buffers)) {
                    if (window > 0 && i + 1 < files.size()) {
                        buffers.readAhead(files.subList(i + 1, Math.min(files.size(), i + 1 + window)), o, cols);
                    }
                    if (rowGroups) {
                        List<RowGroupData> one = new ArrayList<>();
                        try (RowGroupReader r = f.rowGroups(cols, buffers)) {
                            while (r.hasNext()) {
                                one.clear();
                                one.add(r.next());
                                render(sb, one, cols);
                            }
                        }
                    } else {
                        render(sb, f.readAll(cols, buffers), cols);
                    }
                }
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(value = IoEngine.class, names = {"MMAP", "PREAD", "DIRECT", "AUTO"})
    void announcingEachNextFile_readsTheSameValues(IoEngine engine) throws Exception {
        List<Path> files = files(6);
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(engine).withIoDepth(4).withTransferSize(16 << 10);
        List<String> cols = List.of("v", "id");
        String want = readAll(files, ReadOptions.DEFAULT.withIoEngine(IoEngine.MMAP), cols, false, false);
        assertEquals(want, readAll(files, o, cols, true, false), "default mode");
        assertEquals(want, readAll(files, o, cols, true, true), "row_group mode");
        assertEquals(want, readAll(files, o, cols, 3, false), "three files ahead, default mode");
        assertEquals(want, readAll(files, o, cols, 4, true), "four files ahead, row_group mode");
    }

    @Test
    void theAnnouncedFile_isOpenedFromWhatWasReadAhead() throws Exception {
        List<Path> files = files(2);
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT);
        try (ReadBuffers buffers = new ReadBuffers()) {
            try (ParquetFile first = ParquetFile.open(files.get(0), o, buffers)) {
                buffers.readAhead(files.get(1), o, List.of("v"));
                first.readAll(List.of("v"), buffers);
            }
            IoStats before = buffers.ioStats();
            assertTrue(before.bytesFromStorage() > 0);
            try (ParquetFile second = ParquetFile.open(files.get(1), o, buffers)) {
                // its footer came through the worker's queue: the file's own count has it, and the open read nothing more
                assertTrue(second.ioStats().bytesFromStorage() > 0, second.ioStats().toString());
                assertEquals(IoEngine.DIRECT, second.ioEngine());
                List<RowGroupData> g = second.readAll(List.of("v"), buffers);
                assertEquals(second.rows(), g.stream().mapToLong(RowGroupData::rows).sum());
            }
        }
    }

    @Test
    void announcedButNotOpened_isLetGo_descriptorsIncluded() throws Exception {
        List<Path> files = files(3);
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT);
        long fdsBefore = openDescriptors();
        for (int round = 0; round < 20; round++) {
            try (ReadBuffers buffers = new ReadBuffers()) {
                try (ParquetFile f = ParquetFile.open(files.get(0), o, buffers)) {
                    buffers.readAhead(files.get(1), o, List.of("v"));
                    f.readAll(List.of("v"), buffers);
                }
                // another file is opened instead of the announced one
                try (ParquetFile f = ParquetFile.open(files.get(2), o, buffers)) {
                    buffers.readAhead(files.get(1), o, List.of("v"));
                    f.readAll(List.of("v"), buffers);
                }
                // and the last announcement is never taken
            }
        }
        assertEquals(fdsBefore, openDescriptors(), "no descriptor left open");
    }

    private static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void aBrokenNextFile_isReportedByItsOpen() throws Exception {
        List<Path> files = files(1);
        Path broken = Files.write(dir.resolve("broken.parquet"), new byte[] {'P', 'A', 'R', '1', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Path missing = dir.resolve("missing.parquet");
        ReadOptions o = ReadOptions.DEFAULT.withIoEngine(IoEngine.PREAD);
        try (ReadBuffers buffers = new ReadBuffers()) {
            try (ParquetFile f = ParquetFile.open(files.get(0), o, buffers)) {
                buffers.readAhead(broken, o, List.of("v"));
                f.readAll(List.of("v"), buffers);
            }
            ParquetCorruptionException e = assertThrows(ParquetCorruptionException.class, () -> ParquetFile.open(broken, o, buffers));
            assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
            try (ParquetFile f = ParquetFile.open(files.get(0), o, buffers)) {
                buffers.readAhead(missing, o, List.of("v"));
                f.readAll(List.of("v"), buffers);
            }
            assertThrows(java.nio.file.NoSuchFileException.class, () -> ParquetFile.open(missing, o, buffers));
            // and the buffers still read
            try (ParquetFile f = ParquetFile.open(files.get(0), o, buffers); Arena arena = Arena.ofConfined()) {
                assertEquals(f.rows(), f.readAll(List.of("id"), DecodeTarget.arena(arena)).stream().mapToLong(RowGroupData::rows).sum());
            }
        }
    }
}
