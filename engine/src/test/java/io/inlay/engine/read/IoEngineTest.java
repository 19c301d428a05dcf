package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.vector.JsonFormat;
import io.inlay.engine.vector.MappedValues;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage engines on the edges O_DIRECT has: file sizes that are no multiple of 4 KiB (every
 * length from a few hundred bytes to several MiB, so the last aligned block runs past the end of
 * the file by every amount), chunks that start and end between alignment boundaries, a file that
 * holds only its footer, depth 1 and 64, a transfer size of one block. Every engine must give the
 * values mmap gives, in both read modes, and direct reads count what they read.
 */
class IoEngineTest {
    private static final List<ReadOptions> OTHERS = List.of(
            ReadOptions.DEFAULT.withIoEngine(IoEngine.PREAD),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT).withIoDepth(1).withTransferSize(4096),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT).withIoDepth(64),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.IO_URING).withTransferSize(8192),
            ReadOptions.DEFAULT.withIoEngine(IoEngine.AUTO));

    @TempDir
    Path dir;

    /** Every value of every supported column, both read modes, as text. */
    private static String render(Path file, ReadOptions options) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (ParquetFile pf = ParquetFile.open(file, options); Arena arena = Arena.ofConfined()) {
            List<String> cols = pf.supportedColumns();
            List<RowGroupData> all = pf.readAll(cols, DecodeTarget.arena(arena));
            for (RowGroupData g : all) {
                for (String c : cols) {
                    for (long r = 0; r < g.rows(); r++) {
                        JsonFormat.appendValue(sb, g.column(c), r);
                        sb.append(',');
                    }
                    sb.append('\n');
                }
            }
            StringBuilder rg = new StringBuilder();
            try (ReadBuffers buffers = new ReadBuffers(); RowGroupReader reader = pf.rowGroups(cols, buffers)) {
                while (reader.hasNext()) {
                    RowGroupData g = reader.next();
                    for (String c : cols) {
                        for (long r = 0; r < g.rows(); r++) {
                            JsonFormat.appendValue(rg, g.column(c), r);
                            rg.append(',');
                        }
                        rg.append('\n');
                    }
                }
            }
            assertEquals(sb.toString(), rg.toString(), file + ": the two read modes differ under " + options.ioEngine());
        }
        return sb.toString();
    }

    private List<Path> files() throws Exception {
        List<Path> out = new ArrayList<>();
        try (DuckDb db = new DuckDb()) {
            int[] rows = {1, 3, 17, 100, 513, 1000, 4099, 20_000, 100_003};
            String[] codecs = {"uncompressed", "zstd", "snappy"};
            for (int i = 0; i < rows.length; i++) {
                String codec = codecs[i % codecs.length];
                Path f = dir.resolve("t" + rows[i] + "_" + codec + ".parquet");
                db.execute("COPY (SELECT i::INTEGER AS id, (i * 0.25)::FLOAT AS f, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END AS s,"
                        + " [i::FLOAT, (i + 1)::FLOAT]::FLOAT[2] AS vec FROM range(0, " + rows[i] + ") r(i)) TO " + DuckDb.literal(f)
                        + " (FORMAT parquet, COMPRESSION " + codec + ", ROW_GROUP_SIZE " + Math.max(1, rows[i] / 3) + ")");
                out.add(f);
            }
            // a file that holds only its footer: no rows, no pages
            Path empty = dir.resolve("empty.parquet");
            db.execute("COPY (SELECT 1::INTEGER AS id, 1.5::FLOAT AS f WHERE false) TO " + DuckDb.literal(empty) + " (FORMAT parquet)");
            out.add(empty);
        }
        return out;
    }

    @Test
    void everyEngine_givesMmapsValues_onFilesOfEverySizeAndAFooterOnlyFile() throws Exception {
        for (Path f : files()) {
            String want = render(f, ReadOptions.DEFAULT.withIoEngine(IoEngine.MMAP));
            for (ReadOptions o : OTHERS) {
                assertEquals(want, render(f, o), f + " (" + Files.size(f) + " bytes) under " + o.ioEngine() + ", depth "
                        + o.ioDepth() + ", " + o.transferSize() + " B reads");
            }
        }
    }

    @Test
    void aFooterOnlyFile_readsNoPages() throws Exception {
        Path empty = files().getLast();
        try (ParquetFile pf = ParquetFile.open(empty, ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT));
                ReadBuffers buffers = new ReadBuffers()) {
            assertEquals(0, pf.rows());
            long groups = pf.readAll(pf.supportedColumns(), buffers).stream().mapToLong(RowGroupData::rows).sum();
            assertEquals(0, groups);
            assertEquals(0, buffers.ioStats().bytesFromStorage(), "no page was read");
            assertTrue(pf.ioStats().bytesFromStorage() > 0 && pf.ioStats().bytesFromStorage() <= Files.size(empty),
                    "the footer was: " + pf.ioStats());
        }
    }

    @Test
    void directReads_countWhatTheyRead_aligned() throws Exception {
        Path f = files().get(7);
        ReadOptions direct = ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT);
        try (ParquetFile pf = ParquetFile.open(f, direct); ReadBuffers buffers = new ReadBuffers()) {
            assertEquals(IoEngine.DIRECT, pf.ioEngine());
            long projected = pf.projectedBytes(List.of("f"));
            pf.readAll(List.of("f"), buffers);
            IoStats s = buffers.ioStats();
            assertTrue(s.bytesFromStorage() >= projected, s + " for " + projected + " projected bytes");
            // the chunk's range, widened to 4 KiB at both ends
            assertTrue(s.bytesFromStorage() <= projected + pf.rowGroupCount() * (2 * 4096L + 256), s + " for " + projected);
            assertTrue(s.readRequests() >= pf.rowGroupCount() || s.readRequests() >= 1, s.toString());
        }
    }

    @Test
    void zeroCopy_worksUnderEveryEngine_fromAMappingMadeForIt() throws Exception {
        Path f = files().get(6); // uncompressed
        try (ParquetFile pf = ParquetFile.open(f, ReadOptions.DEFAULT.withIoEngine(IoEngine.DIRECT))) {
            MappedValues m = pf.mappedValues("id", 0);
            assertEquals(pf.rowGroupRows(0), m.valueCount());
        }
    }

    @Test
    void unknownEngineNames_oneLineListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoEngine.parse("odirect"));
        assertEquals("unknown I/O engine 'odirect'; valid: auto, mmap, pread, direct, io_uring", e.getMessage());
        assertEquals(IoEngine.IO_URING, IoEngine.parse("io-uring"));
        assertEquals(IoEngine.DIRECT, IoEngine.parse(" Direct "));
    }
}
