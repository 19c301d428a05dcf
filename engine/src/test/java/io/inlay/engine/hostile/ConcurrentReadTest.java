package io.inlay.engine.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.read.DecodeTarget;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.MappedValues;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads reading the same files (shared {@link ParquetFile}s) and different ones at once, in
 * every mode — the default mode into per-thread arenas, the row_group mode into per-thread
 * {@link ReadBuffers} reused from file to file, zero-copy slices — each result checked against
 * checksums computed once on one thread. And owners closed while other threads still use what they
 * handed out (a file and its mapping, a caller's arena, a row-group reader, read buffers), many times
 * over with random timing: the other thread's access must fail with {@link IllegalStateException}
 * (the arena's lifetime check) or complete, never crash or fail otherwise.
 */
@Tag("hostile")
class ConcurrentReadTest {
    private static final int THREADS = 8;

    @TempDir
    static Path dir;
    static final List<Path> files = new ArrayList<>();
    /** Files with large compressed pages, so that a close often lands while a decompressor runs. */
    static final List<Path> bigPages = new ArrayList<>();
    static final Map<Path, Map<String, Long>> digests = new LinkedHashMap<>();
    static final Map<Path, Map<String, Long>> mappedDigests = new LinkedHashMap<>();
    static ExecutorService pool;

    @BeforeAll
    static void files() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("""
                CREATE TABLE t AS SELECT (i * 0.37)::FLOAT AS f,
                  [i::FLOAT, (i + 1)::FLOAT, (i * 2)::FLOAT, (i * 3)::FLOAT]::FLOAT[4] AS vec,
                  CASE WHEN i % 5 = 0 THEN NULL ELSE 'row ' || i::VARCHAR END AS s,
                  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 7 = 0 END AS b,
                  (i * 7919)::BIGINT AS big
                FROM range(0, 25000) r(i)""");
            for (String[] v : new String[][] {{"uncompressed", "V1"}, {"snappy", "V1"}, {"zstd", "V2"}, {"gzip", "V1"}}) {
                Path f = dir.resolve("conc_" + v[0] + "_" + v[1] + ".parquet");
                s.execute("COPY t TO '" + f + "' (FORMAT parquet, COMPRESSION " + v[0] + ", PARQUET_VERSION " + v[1]
                        + ", ROW_GROUP_SIZE 10240)");
                files.add(f);
            }
            s.execute("CREATE TABLE big AS SELECT 'text ' || (i % 1000)::VARCHAR || repeat('y', (i % 50)::INTEGER) AS s,"
                    + " (i * 0.5)::DOUBLE AS d FROM range(0, 200000) r(i)");
            for (String codec : new String[] {"snappy", "zstd", "gzip", "lz4"}) {
                Path f = dir.resolve("bigpages_" + codec + ".parquet");
                s.execute("COPY big TO '" + f + "' (FORMAT parquet, COMPRESSION " + codec + ", DICTIONARY_SIZE_LIMIT 1)");
                bigPages.add(f);
            }
        }
        Path corpus = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
        for (String rel : List.of("gap/data/dlio_vectors_zstd.parquet", "gap/data/pj_v1_plain_uncompressed_crc.parquet",
                "gap/data/pa_nullable_v2_plain_gzip.parquet", "gap/data/duck_v2_lz4raw.parquet",
                "gap/data/pj_lz4_v1_dict_crc.parquet")) {
            if (Files.exists(corpus.resolve(rel))) {
                files.add(corpus.resolve(rel));
            }
        }
        for (Path f : files) {
            try (ParquetFile pf = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
                digests.put(f, digest(pf, pf.readAll(pf.supportedColumns(), DecodeTarget.arena(arena))));
                mappedDigests.put(f, mapped(pf));
            }
        }
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static Map<String, Long> digest(ParquetFile pf, List<RowGroupData> groups) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (RowGroupData g : groups) {
            add(pf, g, out);
        }
        return out;
    }

    static void add(ParquetFile pf, RowGroupData g, Map<String, Long> out) {
        for (String c : pf.supportedColumns()) {
            out.put(c, VectorCheck.digest(g.column(c), out.getOrDefault(c, VectorCheck.start())));
        }
    }

    /** FNV-1a over the zero-copy slices of every column that has them. */
    static Map<String, Long> mapped(ParquetFile pf) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String c : pf.supportedColumns()) {
            for (int g = 0; g < pf.rowGroupCount(); g++) {
                MappedValues m;
                try {
                    m = pf.mappedValues(c, g);
                } catch (UnsupportedParquetException notPlain) {
                    continue;
                }
                long h = out.getOrDefault(c, VectorCheck.start());
                for (MemorySegment page : m.pages()) {
                    for (long i = 0; i < page.byteSize(); i++) {
                        h = (h ^ (page.get(ValueLayout.JAVA_BYTE, i) & 0xff)) * 0x100000001b3L;
                    }
                }
                out.put(c, h);
            }
        }
        return out;
    }

    @Test
    void manyThreads_sameAndDifferentFiles_everyModeGivesTheChecksums() throws Exception {
        Map<Path, ParquetFile> shared = new LinkedHashMap<>();
        for (Path f : files) {
            shared.put(f, ParquetFile.open(f));
        }
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Integer>> done = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int reads = 0;
                    start.await();
                    try (ReadBuffers buffers = new ReadBuffers()) {
                        for (int round = 0; round < 40; round++) {
                            Path f = files.get(r.nextInt(files.size()));
                            int mode = r.nextInt(4);
                            String what = f.getFileName() + " mode " + mode;
                            try {
                                Map<String, Long> got = read(mode, f, shared.get(f), buffers);
                                Map<String, Long> want = mode == 3 ? mappedDigests.get(f) : digests.get(f);
                                if (!want.equals(got)) {
                                    problems.add(what + ": checksums differ: " + got + " != " + want);
                                }
                            } catch (Throwable e) {
                                problems.add(what + ": " + e);
                            }
                            reads++;
                        }
                    }
                    return reads;
                }));
            }
            int reads = 0;
            for (Future<Integer> f : done) {
                reads += f.get(5, TimeUnit.MINUTES);
            }
            System.out.println("[hostile] concurrent reads: " + reads + " reads by " + THREADS + " threads of " + files.size()
                    + " files, " + problems.size() + " problems");
        } finally {
            shared.values().forEach(ParquetFile::close);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Mode 0: default mode on the shared file; 1: own file, default mode; 2: row_group mode, thread's buffers; 3: zero-copy. */
    private static Map<String, Long> read(int mode, Path f, ParquetFile shared, ReadBuffers buffers) throws Exception {
        switch (mode) {
            case 0 -> {
                try (Arena arena = Arena.ofConfined()) {
                    return digest(shared, shared.readAll(shared.supportedColumns(), DecodeTarget.arena(arena)));
                }
            }
            case 1 -> {
                try (ParquetFile own = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
                    return digest(own, own.readAll(own.supportedColumns(), DecodeTarget.arena(arena)));
                }
            }
            case 2 -> {
                Map<String, Long> out = new LinkedHashMap<>();
                try (RowGroupReader r = shared.rowGroups(shared.supportedColumns(), buffers)) {
                    while (r.hasNext()) {
                        add(shared, r.next(), out);
                    }
                }
                return out;
            }
            default -> {
                return mapped(shared);
            }
        }
    }

    // ---- closing an owner while another thread uses what it handed out ----

    /** What a racing thread ended with: null when it finished, else what it threw. */
    private static Throwable race(Runnable closer, ThrowingRunnable user, SplittableRandom r) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Future<?> f = pool.submit(() -> {
            started.countDown();
            try {
                for (int i = 0; i < 1000; i++) {
                    user.run();
                }
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        started.await();
        if (r.nextBoolean()) {
            Thread.sleep(0, r.nextInt(1_000_000));
        } else {
            Thread.onSpinWait();
        }
        closer.run();
        f.get(2, TimeUnit.MINUTES);
        return thrown.get();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void requireCleanEnd(Throwable t, String what, List<String> problems) {
        if (t != null && !(t instanceof IllegalStateException)) {
            java.io.StringWriter sw = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(sw));
            problems.add(what + ": " + sw.toString().lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse(""));
        }
    }

    private static long readAllValues(ColumnVector v) {
        return VectorCheck.digest(v, VectorCheck.start());
    }

    @Test
    void closingAFileWhileOtherThreadsDecodeIt_failsWithIllegalState() throws Exception {
        List<Path> all = new ArrayList<>(bigPages);
        all.addAll(files);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        SplittableRandom r = new SplittableRandom(42);
        int races = 0;
        for (int i = 0; i < 160; i++) {
            Path f = all.get(i % all.size());
            ParquetFile pf = ParquetFile.open(f);
            List<Future<?>> readers = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(2);
            for (int k = 0; k < 2; k++) {
                int mode = r.nextInt(4);
                String what = f.getFileName() + " mode " + mode + " (race " + i + ")";
                readers.add(pool.submit(() -> {
                    started.countDown();
                    try {
                        for (int round = 0; round < 20; round++) {
                            decodeSome(pf, mode);
                        }
                    } catch (Throwable t) {
                        requireCleanEnd(t, what, problems);
                    }
                }));
            }
            started.await();
            Thread.sleep(java.time.Duration.ofNanos(r.nextLong(5_000_000)));
            pf.close();
            for (Future<?> reader : readers) {
                reader.get(2, TimeUnit.MINUTES);
            }
            races++;
            // the file is closed for everyone, and unmapped
            assertThrows(IllegalStateException.class, () -> decodeSome(pf, 0), "a read after close");
        }
        System.out.println("[hostile] file closed while decoding: " + races + " races, " + problems.size() + " problems");
        assertTrue(problems.isEmpty(), String.join("\n\n", problems));
    }

    /** Mode 0: default read mode; 1: row_group mode; 2: verify; 3: zero-copy slices read. */
    private static void decodeSome(ParquetFile pf, int mode) throws Exception {
        switch (mode) {
            case 0 -> {
                try (Arena arena = Arena.ofConfined()) {
                    pf.readAll(pf.supportedColumns(), DecodeTarget.arena(arena));
                }
            }
            case 1 -> {
                try (RowGroupReader reader = pf.rowGroups(pf.supportedColumns())) {
                    while (reader.hasNext()) {
                        reader.next();
                    }
                }
            }
            case 2 -> pf.verify();
            default -> mapped(pf);
        }
    }

    @Test
    void closingWhatHandedOutBuffersWhileAnotherThreadReadsThem_failsWithIllegalState() throws Exception {
        List<String> problems = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        Path f = files.get(1);
        int races = 0;
        for (int i = 0; i < 200; i++) {
            int owner = i % 4;
            Throwable t;
            try (ParquetFile pf = ParquetFile.open(f)) {
                String column = owner == 3 ? "f" : pf.supportedColumns().get(i % pf.supportedColumns().size());
                switch (owner) {
                    case 0 -> {
                        Arena arena = Arena.ofShared();
                        ColumnVector v = pf.readAll(List.of(column), DecodeTarget.arena(arena)).get(0).column(column);
                        t = race(arena::close, () -> readAllValues(v), r);
                        assertThrows(IllegalStateException.class, () -> readAllValues(v), "a vector of a closed arena");
                    }
                    case 1 -> {
                        RowGroupReader reader = pf.rowGroups(List.of(column));
                        ColumnVector v = reader.next().column(column);
                        t = race(reader::close, () -> readAllValues(v), r);
                        assertThrows(IllegalStateException.class, () -> readAllValues(v), "a vector of a closed reader");
                    }
                    case 2 -> {
                        ReadBuffers buffers = new ReadBuffers();
                        RowGroupReader reader = pf.rowGroups(List.of(column), buffers);
                        ColumnVector v = reader.next().column(column);
                        t = race(buffers::close, () -> readAllValues(v), r);
                        reader.close();
                        assertThrows(IllegalStateException.class, () -> readAllValues(v), "a vector of closed buffers");
                    }
                    default -> {
                        ParquetFile own = ParquetFile.open(files.get(0));
                        MemorySegment page = own.mappedValues(column, 0).pages().get(0);
                        t = race(own::close, () -> {
                            long s = 0;
                            for (long k = 0; k < page.byteSize(); k += 4) {
                                s += page.get(ValueLayout.JAVA_INT_UNALIGNED, k);
                            }
                            if (s == 42) {
                                Thread.yield();
                            }
                        }, r);
                        assertThrows(IllegalStateException.class, () -> page.get(ValueLayout.JAVA_BYTE, 0),
                                "a slice of a closed file");
                    }
                }
            }
            races++;
            requireCleanEnd(t, "owner " + owner + " (race " + i + ")", problems);
        }
        System.out.println("[hostile] owners closed while their buffers are read: " + races + " races, " + problems.size()
                + " problems");
        assertEquals(List.of(), problems);
    }
}
