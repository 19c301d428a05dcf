package io.inlay.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceSessionTest {
    static final TraceKind OUTER = TraceKind.of("outer", "test", List.of("file"), List.of("index"));
    static final TraceKind INNER = TraceKind.of("inner", "test", List.of("file", "codec"), List.of("offset", "bytes", "c", "d"));
    static final TraceKind PLAIN = TraceKind.of("plain", "test");
    static final TraceKind IN_FLIGHT = TraceKind.ofAsync("in_flight", "test", List.of("engine"), List.of("offset", "bytes"));

    @TempDir
    Path dir;

    @AfterEach
    void noSessionLeft() throws Exception {
        if (Trace.session != null) {
            Trace.session.close();
        }
    }

    @Test
    void off_recordsNothingAndStartIsZero() {
        assertFalse(Trace.on());
        assertEquals(0, Trace.start());
        Trace.end(PLAIN, 0); // no session: must not throw
        Trace.complete(PLAIN, 1, 2, null, null, 0, 0, 0, 0);
    }

    @Test
    void nestedEventsOnSeveralThreads_parseNestAndCarryTheirArguments() throws Exception {
        Path f = dir.resolve("trace-0-of-1.pfw");
        int threads = 3;
        int perThread = 2000;
        try (TraceSession s = TraceSession.open(f, false, 5, "rank 5 of 8", 64, System.nanoTime(), 1_764_000_000_000_000L)) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().name("worker-" + t).start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long a = Trace.start();
                        long b = Trace.start();
                        Trace.end(INNER, b, Path.of("/d/x " + id + "\"q\".parquet"), "zstd", i * 4096L, 4096, -1, Long.MIN_VALUE);
                        Trace.end(OUTER, a, "f\u00e9\n" + id, null, i, 0, 0, 0);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            s.flush();
            assertTrue(s.eventsWritten() >= threads * perThread * 2L, "flush writes everything recorded so far");
        }
        List<PfwCheck.Event> events = PfwCheck.read(f);
        List<PfwCheck.Event> inner = events.stream().filter(e -> e.name().equals("inner")).toList();
        List<PfwCheck.Event> outer = events.stream().filter(e -> e.name().equals("outer")).toList();
        assertEquals(threads * perThread, inner.size(), "no event dropped although rings of 64 records filled many times");
        assertEquals(threads * perThread, outer.size());
        assertTrue(events.stream().allMatch(e -> e.pid() == 5), "pid is the number given");
        PfwCheck.Event e = inner.get(0);
        assertEquals("test", e.cat());
        assertEquals("zstd", e.args().get("codec").asText());
        assertTrue(e.args().get("file").asText().startsWith("/d/x "), "a Path argument is rendered as its text");
        assertTrue(e.args().get("file").asText().endsWith("\"q\".parquet"), "quotes survive escaping");
        assertEquals(4096, e.args().get("bytes").asLong());
        assertEquals(-1, e.args().get("c").asLong());
        assertEquals(Long.MIN_VALUE, e.args().get("d").asLong());
        assertTrue(outer.stream().anyMatch(o -> o.args().get("file").asText().startsWith("f\u00e9\n")), "non-ASCII and newlines");
        assertTrue(outer.get(0).args().get("index").isIntegralNumber());
        assertTrue(events.stream().anyMatch(x -> x.name().equals("process_name") && x.args().get("name").asText().equals("rank 5 of 8")));
        assertTrue(events.stream().anyMatch(x -> x.name().equals("thread_name") && x.args().get("name").asText().equals("worker-1")));
        assertTrue(events.stream().anyMatch(x -> x.name().equals("flush") && x.cat().equals("trace")),
                "a thread whose ring filled says so with a trace/flush event");
    }

    @Test
    void timestampsAreMicrosecondsOnTheGivenOrigin() throws Exception {
        Path f = dir.resolve("t.pfw");
        long origin = System.nanoTime();
        long micros = 1_764_000_000_000_000L;
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 16, origin, micros)) {
            Trace.complete(PLAIN, origin + 2_500_999, origin + 3_501_000, null, null, 0, 0, 0, 0);
        }
        PfwCheck.Event e = PfwCheck.read(f).stream().filter(x -> x.name().equals("plain")).findFirst().orElseThrow();
        assertEquals(micros + 2500, e.ts());
        assertEquals(1001, e.dur(), "both ends rounded down: 3501 - 2500");
    }

    @Test
    void numbersOfEveryLength_andEscapedNames() throws Exception {
        Path f = dir.resolve("n.pfw");
        List<Long> values = new ArrayList<>(List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE + 1, -7L));
        for (long p = 1; p > 0 && p <= 1_000_000_000_000_000_000L; p *= 10) {
            values.add(p - 1);
            values.add(p);
            values.add(p + 1);
        }
        try (TraceSession s = TraceSession.open(f, false, 0, "p")) {
            for (long v : values) {
                long t = Trace.start();
                Trace.end(INNER, t, "a\\b\u0001", null, v, -v, 0, 0);
            }
        }
        List<PfwCheck.Event> inner = PfwCheck.read(f).stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(values.size(), inner.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals((long) values.get(i), inner.get(i).args().get("offset").asLong());
            assertEquals(-values.get(i), inner.get(i).args().get("bytes").asLong());
            assertEquals("a\\b\u0001", inner.get(i).args().get("file").asText());
            assertTrue(inner.get(i).args().get("codec").isNull());
        }
    }

    @Test
    void asyncEvents_overlapAsBeginEndPairs() throws Exception {
        Path f = dir.resolve("a.pfw");
        long origin = System.nanoTime();
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 16, origin, 1_764_000_000_000_000L)) {
            // three reads in flight at once, completing out of order, around a complete event on the same thread
            Trace.complete(PLAIN, origin + 1_000, origin + 9_000, null, null, 0, 0, 0, 0);
            Trace.complete(IN_FLIGHT, origin + 2_000, origin + 20_000, "io_uring", null, 0, 4096, 0, 0);
            Trace.complete(IN_FLIGHT, origin + 3_000, origin + 8_000, "io_uring", null, 4096, 4096, 0, 0);
            Trace.complete(IN_FLIGHT, origin + 4_000, origin + 30_000, "io_uring", null, 8192, 4096, 0, 0);
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.stream().filter(l -> l.contains("\"ph\":\"b\"")).count());
        assertEquals(3, lines.stream().filter(l -> l.contains("\"ph\":\"e\"")).count());
        PfwCheck.read(f); // pairs match, ends after begins; the complete event still nests on its own
    }

    @Test
    void gzip_givesTheSameEvents() throws Exception {
        Path f = dir.resolve("t.pfw.gz");
        try (TraceSession s = TraceSession.open(f, true, 1, "p")) {
            for (int i = 0; i < 100; i++) {
                Trace.end(PLAIN, Trace.start());
            }
        }
        assertEquals(0x1f, Files.readAllBytes(f)[0] & 0xff, "gzip magic");
        assertEquals(100, PfwCheck.read(f).stream().filter(x -> x.name().equals("plain")).count());
    }

    @Test
    void oneSessionAtATime_andRecordingStopsAtClose() throws Exception {
        Path f = dir.resolve("a.pfw");
        TraceSession s = TraceSession.open(f, false, 0, "p");
        assertTrue(Trace.on());
        assertThrows(IllegalStateException.class, () -> TraceSession.open(dir.resolve("b.pfw"), false, 0, "p"));
        long t = Trace.start();
        s.close();
        assertFalse(Trace.on());
        Trace.end(PLAIN, t); // began before close, ends after: dropped, no failure
        s.close(); // twice is harmless
        assertEquals(0, PfwCheck.read(f).stream().filter(x -> x.name().equals("plain")).count());
    }

    @Test
    void writerThreadEmptiesRingsBeforeTheyFill() throws Exception {
        Path f = dir.resolve("w.pfw");
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 1024, System.nanoTime(), 1_764_000_000_000_000L)) {
            Thread t = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 800; i++) {
                    Trace.end(PLAIN, Trace.start()); // past 3/4 of 1024: the writer is woken
                }
            });
            t.join();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.eventsCollected() < 768 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(s.eventsCollected() >= 768, "the writer emptied the ring once it was 3/4 full");
            assertEquals(0, s.eventsWritten(), "under the stash's budget, nothing is written before close");
            while (s.eventsCollected() < 801 && System.nanoTime() < deadline) { // its own trace/collect event follows its work
                Thread.sleep(5);
                s.collect();
            }
        }
        List<PfwCheck.Event> events = PfwCheck.read(f);
        assertEquals(800, events.stream().filter(x -> x.name().equals("plain")).count());
        assertTrue(events.stream().anyMatch(x -> x.name().equals("collect") && x.cat().equals("trace")),
                "the writer's own work is on the timeline");
    }

    @Test
    void stashedArguments_areNumberedOncePerDistinctValue_andRenderedAsTheirText() throws Exception {
        Path f = dir.resolve("n.pfw");
        int files = 50;
        int perFile = 40;
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 256, System.nanoTime(), 1_764_000_000_000_000L)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int i = 0; i < files * perFile; i++) {
                    // a new object every event, as a run's names are (each file's path and column names parsed anew)
                    String file = new String("/d/f" + (i / perFile) + ".parquet");
                    Path path = Path.of("/d/p" + (i % 3));
                    long t0 = Trace.start();
                    Trace.end(INNER, t0, i % 2 == 0 ? file : path, i % 5 == 0 ? null : new String("codec" + (i % 4)), i, epoch, 0, 0);
                }
                Trace.collect();
            }
            int distinct = files + 3 + 4;
            assertTrue(s.stashSymbols() >= distinct && s.stashSymbols() < 3 * distinct,
                    "the stash numbers distinct arguments (each at most about once an epoch), not each event's: " + s.stashSymbols());
        }
        List<PfwCheck.Event> inner = PfwCheck.read(f).stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(3 * files * perFile, inner.size());
        for (PfwCheck.Event e : inner) {
            int i = (int) e.args().get("offset").asLong();
            String file = i % 2 == 0 ? "/d/f" + (i / perFile) + ".parquet" : "/d/p" + (i % 3);
            assertEquals(file, e.args().get("file").asText(), "event " + i);
            if (i % 5 == 0) {
                assertTrue(e.args().get("codec").isNull(), "a null argument stays null");
            } else {
                assertEquals("codec" + (i % 4), e.args().get("codec").asText());
            }
        }
    }

    @Test
    void stashOverItsBudget_isWrittenOutByTheWriterDuringTheRun() throws Exception {
        Path f = dir.resolve("s.pfw");
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 64, 100, System.nanoTime(), 1_764_000_000_000_000L)) {
            for (int i = 0; i < 1000; i++) {
                long t0 = Trace.start();
                Trace.end(INNER, t0, "/d/f" + (i % 7) + ".parquet", "zstd", i, 1, 2, 3);
            }
            Trace.collect();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.eventsWritten() < 900 && System.nanoTime() < deadline) {
                Thread.sleep(5);
                Trace.collect();
            }
            assertTrue(s.eventsWritten() >= 900, "a stash of 100 records is written out as it fills: " + s.eventsWritten());
        }
        List<PfwCheck.Event> inner = PfwCheck.read(f).stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(1000, inner.size(), "every event, whether written during the run or at close");
        assertTrue(PfwCheck.read(f).stream().anyMatch(e -> e.name().equals("spool") && e.cat().equals("trace")),
                "the writer's own write-out during the run is an event");
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, inner.get(i).args().get("offset").asLong(), "one thread's events stay in order");
            assertEquals("/d/f" + (i % 7) + ".parquet", inner.get(i).args().get("file").asText());
        }
    }

    @Test
    void spooledDuringTheRun_formattedOnlyAtFlushAndClose_inOrder_withTheirTexts() throws Exception {
        Path f = dir.resolve("trace-0-of-1.pfw");
        Path spool;
        int perRound = 3000;
        try (TraceSession s = TraceSession.open(f, false, 3, "p", 64, 200, System.nanoTime(), 1_764_000_000_000_000L)) {
            spool = s.spoolFile();
            assertEquals(dir.resolve("trace-0-of-1.pfw.spool"), spool);
            assertFalse(Files.exists(spool), "no spool until a stash passes its budget");
            long linesAtOpen = Files.readAllLines(f).size();
            for (int round = 0; round < 2; round++) {
                Thread t = Thread.ofPlatform().name("w\u00fcrker " + round).start(recordRound(round * perRound, perRound));
                t.join();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (s.eventsWritten() < (round + 1) * perRound - 400 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    Trace.collect();
                }
                assertTrue(Files.size(spool) > 0, "the writer wrote full stashes to the spool");
                if (round == 0) {
                    assertEquals(linesAtOpen, Files.readAllLines(f).size(), "nothing is formatted into the file during the run");
                    s.flush(); // the spool, then the stash, formatted now; the spool emptied and used again
                    assertEquals(0, Files.size(spool));
                    assertEquals(perRound, PfwCheck.readUnfinished(f).stream().filter(e -> e.name().equals("inner")).count());
                }
            }
        }
        assertFalse(Files.exists(spool), "the spool is deleted at close");
        List<PfwCheck.Event> events = PfwCheck.read(f);
        List<PfwCheck.Event> inner = events.stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(2 * perRound, inner.size(), "every event, spooled or not");
        assertEquals(2 * perRound, events.stream().filter(e -> e.name().equals("in_flight") && e.ph().equals("b")).count());
        for (int i = 0; i < inner.size(); i++) {
            PfwCheck.Event e = inner.get(i);
            assertEquals(i, e.args().get("offset").asLong(), "one thread's events stay in order, spool before stash");
            assertEquals("/d/\u00e9t\u00e9 \"" + (i % 13) + "\".parquet", e.args().get("file").asText(), "texts round-trip");
            assertEquals(i % 2 == 0 ? "zstd" : "null", e.args().get("codec").isNull() ? "null" : e.args().get("codec").asText());
            assertEquals(-i, e.args().get("c").asLong());
            assertEquals(Long.MAX_VALUE - i, e.args().get("d").asLong());
            assertEquals(3, e.pid());
        }
        assertEquals(2, events.stream().filter(e -> e.name().equals("thread_name")).map(e -> e.args().get("name").asText())
                .filter(n -> n.startsWith("w\u00fcrker ")).distinct().count(), "each thread named once, its name intact");
    }

    private static Runnable recordRound(int from, int n) {
        return () -> {
            for (int i = from; i < from + n; i++) {
                long t0 = Trace.start();
                long a = Trace.start();
                Trace.end(IN_FLIGHT, a, "pread", null, i, 1, 0, 0);
                Trace.end(INNER, t0, "/d/\u00e9t\u00e9 \"" + (i % 13) + "\".parquet", i % 2 == 0 ? "zstd" : null, i, 1, -i,
                        Long.MAX_VALUE - i);
            }
        };
    }

    @Test
    void damagedSpool_failsTheCloseWithTheSpoolsName_andLeavesNoFinishedFile() throws Exception {
        Path f = dir.resolve("d.pfw");
        TraceSession s = TraceSession.open(f, false, 0, "p", 64, 100, System.nanoTime(), 1_764_000_000_000_000L);
        Path spool = s.spoolFile();
        Thread t = Thread.ofPlatform().start(recordRound(0, 1000));
        t.join();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (s.eventsWritten() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            Trace.collect();
        }
        try (Held held = Held.by(s.fileLock)) { // no write-out while the spool is damaged
            try (var ch = java.nio.channels.FileChannel.open(spool, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 0);
            }
        }
        java.io.IOException e = assertThrows(java.io.IOException.class, s::close);
        assertTrue(e.getMessage().contains(spool.toString()) && e.getMessage().contains("damaged"), e.getMessage());
        assertFalse(Files.readString(f).endsWith("]\n"), "the trace is not left looking finished");
        assertFalse(Files.exists(spool));
    }

    @Test
    void collect_whileTheWriterHoldsTheSession_returnsAtOnceAndLosesNothing() throws Exception {
        Path f = dir.resolve("busy.pfw");
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 1024, System.nanoTime(), 1_764_000_000_000_000L)) {
            for (int i = 0; i < 10; i++) {
                long t0 = Trace.start();
                Trace.end(INNER, t0, "/d/f.parquet", "zstd", i, 1, 2, 3);
            }
            try (Held held = Held.by(s.lock)) { // as the writer thread does while it drains or swaps
                long taken = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                        () -> Trace.collect(), "collect must not wait for the session's holder");
                assertEquals(0, taken, "nothing taken while the session is held");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.eventsCollected() < 10 && System.nanoTime() < deadline) { // the woken writer or this collect takes them
                s.collect();
                Thread.sleep(1);
            }
            assertTrue(s.eventsCollected() >= 10, "taken once the session is free: " + s.eventsCollected());
        }
        List<PfwCheck.Event> inner = PfwCheck.read(f).stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(10, inner.size(), "every event written");
        for (int i = 0; i < 10; i++) {
            assertEquals(i, inner.get(i).args().get("offset").asLong());
        }
    }

    @Test
    void fullRing_whileTheWriterWritesAStashOut_isDrainedWithoutWaiting() throws Exception {
        Path f = dir.resolve("swap.pfw");
        int ring = 64;
        // the stash's budget above what is recorded: the ring overflows ten times, the stash never needs a swap
        try (TraceSession s = TraceSession.open(f, false, 0, "p", ring, 100 * ring, System.nanoTime(), 1_764_000_000_000_000L)) {
            try (Held held = Held.by(s.fileLock)) { // as the writer thread does while it writes a full stash out
                // 10 rings' worth: the ring fills again and again; nothing may wait for the file
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
                    for (int i = 0; i < 10 * ring; i++) {
                        long t0 = Trace.start();
                        Trace.end(INNER, t0, "/d/f" + (i % 3) + ".parquet", "zstd", i, 1, 2, 3);
                    }
                    Trace.collect();
                }, "a recording thread must not wait for a write-out");
                assertEquals(0, s.eventsWrittenUnlocked(), "nothing written while the file is held");
            }
        }
        List<PfwCheck.Event> inner = PfwCheck.read(f).stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(10 * ring, inner.size(), "every event written, once");
        for (int i = 0; i < 10 * ring; i++) {
            assertEquals(i, inner.get(i).args().get("offset").asLong(), "one thread's events stay in order");
            assertEquals("/d/f" + (i % 3) + ".parquet", inner.get(i).args().get("file").asText());
        }
    }

    @Test
    void recordingFasterThanTheFile_losesNothing_andKeepsTheStashBounded() throws Exception {
        Path f = dir.resolve("race.pfw");
        int threads = 3;
        int perThread = 40_000;
        int budget = 200;
        java.util.concurrent.atomic.AtomicLong largest = new java.util.concurrent.atomic.AtomicLong();
        try (TraceSession s = TraceSession.open(f, false, 0, "p", 64, budget, System.nanoTime(), 1_764_000_000_000_000L)) {
            List<Thread> ts = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().name("rec-" + t).start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long t0 = Trace.start();
                        Trace.end(INNER, t0, "/d/t" + id + "-" + (i % 50) + ".parquet", "zstd", i, id, 0, 0);
                        if (i % 1000 == 0) {
                            Trace.collect();
                            largest.accumulateAndGet(s.stashSize(), Math::max);
                        }
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        // the filling stash may pass its budget by OVERDRAFT while the other is written out, plus what one drain brings
        assertTrue(largest.get() <= TraceSession.OVERDRAFT * budget + 64 * threads, "the stash stayed bounded: " + largest.get());
        List<PfwCheck.Event> inner = PfwCheck.read(f).stream().filter(e -> e.name().equals("inner")).toList();
        assertEquals(threads * perThread, inner.size(), "every event written, once");
        long[] next = new long[threads];
        for (PfwCheck.Event e : inner) {
            int t = (int) e.args().get("bytes").asLong();
            assertEquals(next[t]++, e.args().get("offset").asLong(), "thread " + t + "'s events stay in order");
        }
    }

    @Test
    void collectAndFlush_afterClose_areHarmless() throws Exception {
        Path f = dir.resolve("c.pfw");
        TraceSession s = TraceSession.open(f, false, 0, "p");
        Trace.end(PLAIN, Trace.start());
        s.close();
        assertEquals(0, Trace.collect());
        assertEquals(0, s.collect());
        s.flush();
        assertEquals(1, PfwCheck.read(f).stream().filter(x -> x.name().equals("plain")).count());
    }

    @Test
    void recordingAllocatesNothingPerEvent() throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        try (TraceSession s = TraceSession.open(dir.resolve("alloc.pfw"), false, 0, "p", 1 << 16, System.nanoTime(),
                1_764_000_000_000_000L)) {
            String file = "/d/f.parquet";
            for (int i = 0; i < 20_000; i++) { // warm up: JIT, the ring
                long t0 = Trace.start();
                Trace.end(INNER, t0, file, "zstd", i, 1, 2, 3);
            }
            s.flush();
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 40_000; i++) {
                long t0 = Trace.start();
                Trace.end(INNER, t0, file, "zstd", i, 1, 2, 3);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertTrue(allocated < 4096, "40,000 events allocated " + allocated + " bytes on the recording thread");
        }
    }

    /** A lock held by another thread from {@link #by} until {@link #close} (which waits for that thread to let go). */
    private record Held(Thread holder, java.util.concurrent.CountDownLatch release) implements AutoCloseable {
        static Held by(java.util.concurrent.locks.Lock lock) throws InterruptedException {
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread t = Thread.ofPlatform().start(() -> {
                lock.lock();
                try {
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            });
            held.await();
            return new Held(t, release);
        }

        @Override
        public void close() throws InterruptedException {
            release.countDown();
            holder.join();
        }
    }
}
