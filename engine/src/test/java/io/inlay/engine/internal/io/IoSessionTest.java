package io.inlay.engine.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.internal.io.queue.ReadQueue;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.io.IoEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The session against the file's own bytes, for each engine: planned ranges come back as the file
 * holds them (odd offsets and lengths, a file size that is no multiple of 4 KiB, the last byte of
 * the file, ranges that wrap around the ring's end, a range larger than the ring), unplanned ranges
 * and skipped ones work, a file truncated under a read is reported as such, and O_DIRECT refused by
 * the file system falls back to pread with one notice.
 */
class IoSessionTest {
    private static final int SIZE = (5 << 20) + 4321;

    @TempDir
    Path dir;
    Path file;
    byte[] bytes;

    @BeforeEach
    void writeFile() throws Exception {
        assumeTrue(Posix.available(), "posix calls are not available here");
        file = dir.resolve("data.bin");
        bytes = new byte[SIZE];
        new Random(11).nextBytes(bytes);
        Files.write(file, bytes);
    }

    private IoFile open(Path p, IoEngine engine) throws Exception {
        IoFile io = IoFile.open(p);
        io.use(engine);
        return io;
    }

    private void assertRange(MemorySegment got, long offset, long length) {
        assertEquals(length, got.byteSize(), "length of the range at " + offset);
        for (long i = 0; i < length; i++) {
            if (got.get(ValueLayout.JAVA_BYTE, i) != bytes[(int) (offset + i)]) {
                throw new AssertionError("byte " + (offset + i) + " differs (range at " + offset + " of " + length + ")");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoEngine.class, names = {"MMAP", "PREAD", "DIRECT"})
    void plannedRanges_comeBackAsTheFileHoldsThem(IoEngine engine) throws Exception {
        IoFile io = open(file, engine);
        // small reads, a ring of 4 MiB: ranges wrap around its end more than once
        try (IoSession s = new IoSession(3, 4096 * 5, true, false)) {
            Random r = new Random(3);
            List<long[]> ranges = new ArrayList<>();
            long at = 17;
            while (at < SIZE - 1) {
                long len = 1 + r.nextInt(300_000);
                long end = Math.min(SIZE, at + len);
                ranges.add(new long[] {at, end});
                at = end + r.nextInt(200_000); // gaps, some coalesced, some not
            }
            ranges.add(new long[] {SIZE - 1, SIZE}); // the last byte of the file
            long[] flat = new long[2 * ranges.size()];
            for (int i = 0; i < ranges.size(); i++) {
                flat[2 * i] = ranges.get(i)[0];
                flat[2 * i + 1] = ranges.get(i)[1];
            }
            s.expect(io, flat, ranges.size());
            ByteRanges in = s.input(io);
            assertEquals(engine != IoEngine.MMAP, in.stable());
            for (long[] range : ranges) {
                // a peek first, then the range in pieces, released as it goes, as the page reader does
                long start = range[0];
                MemorySegment peek = in.bytesAtMost(start, 4096);
                assertTrue(peek.byteSize() >= 1 && peek.byteSize() <= 4096);
                assertRange(peek, start, peek.byteSize());
                long pos = start;
                while (pos < range[1]) {
                    long n = Math.min(range[1] - pos, 1 + r.nextInt(100_000));
                    in.release(pos);
                    assertRange(in.bytes(pos, n), pos, n);
                    pos += n;
                }
            }
            if (engine != IoEngine.MMAP) {
                long read = s.stats().bytesFromStorage();
                assertTrue(read >= sum(ranges) && read <= SIZE + 8192, "read " + read + " bytes for " + sum(ranges));
            }
        } finally {
            io.release();
        }
    }

    private static long sum(List<long[]> ranges) {
        return ranges.stream().mapToLong(x -> x[1] - x[0]).sum();
    }

    @ParameterizedTest
    @EnumSource(value = IoEngine.class, names = {"MMAP", "PREAD", "DIRECT"})
    void skippedUnplannedAndOversizedRanges(IoEngine engine) throws Exception {
        IoFile io = open(file, engine);
        try (IoSession s = new IoSession(2, 4096, true, false)) {
            s.expect(io, new long[] {100, 200_000, 300_000, 400_000, 1_000_000, 1_100_000}, 3);
            ByteRanges in = s.input(io);
            assertRange(in.bytes(100, 50), 100, 50);
            // skip the second range
            assertRange(in.bytes(1_000_000, 100_000), 1_000_000, 100_000);
            // nobody planned this one
            assertRange(in.bytes(2_000_001, 77_777), 2_000_001, 77_777);
            // larger than half the ring (4 MiB): read on its own
            assertRange(in.bytes(123, SIZE - 123), 123, SIZE - 123);
            // and the plan goes on after that
            s.expect(io, new long[] {5_000_000, 5_100_000}, 1);
            assertRange(in.bytes(5_000_000, 100_000), 5_000_000, 100_000);
        } finally {
            io.release();
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoEngine.class, names = {"PREAD", "DIRECT"})
    void aFileTruncatedUnderTheReads_isReportedAsSuch(IoEngine engine) throws Exception {
        IoFile io = open(file, engine);
        try (IoSession s = new IoSession(4, 64 << 10, true, false)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(1 << 20);
            }
            s.expect(io, new long[] {0, SIZE}, 1);
            ByteRanges in = s.input(io);
            assertRange(in.bytes(0, 1000), 0, 1000);
            ParquetCorruptionException e = assertThrows(ParquetCorruptionException.class, () -> in.bytes(3 << 20, 1000));
            assertTrue(e.getMessage().contains("truncated while being read") && e.getMessage().contains(file.toString()),
                    e.getMessage());
        } finally {
            io.release();
        }
    }

    /**
     * O_DIRECT refused at open (EINVAL): tmpfs refused it before Linux 6.6, but accepts it on this
     * machine's 6.18 (as ext4 does), so the refusal is simulated at the open call.
     */
    @Test
    void oDirectRefused_fallsBackToPread_withOneNotice() throws Exception {
        Path d = Files.createDirectories(dir.resolve("refusing"));
        List<String> notices = new CopyOnWriteArrayList<>();
        Notices.reset();
        Notices.sink(notices::add);
        IoFile.refuseDirectForTests = Posix.EINVAL;
        try {
            Path a = Files.write(d.resolve("a.bin"), bytes);
            Path b = Files.write(d.resolve("b.bin"), bytes);
            IoFile ia = open(a, IoEngine.DIRECT);
            IoFile ib = open(b, IoEngine.DIRECT);
            assertEquals(IoFile.Kind.PREAD, ia.kind());
            assertEquals(IoFile.Kind.PREAD, ib.kind());
            assertEquals(1, notices.size(), "one notice for the directory, not one per file: " + notices);
            assertTrue(notices.get(0).contains("O_DIRECT") && notices.get(0).contains("pread")
                    && notices.get(0).contains("Invalid argument") && !notices.get(0).contains("\n"), notices.get(0));
            assertEquals(IoEngine.DIRECT, ia.engine(), "asked for direct");
            try (IoSession s = new IoSession(4, 64 << 10, true, false)) {
                s.expect(ia, new long[] {10, 100_000}, 1);
                assertRange(s.input(ia).bytes(10, 99_990), 10, 99_990);
            }
            ia.release();
            ib.release();
        } finally {
            IoFile.refuseDirectForTests = 0;
            Notices.sink(null);
            Notices.reset();
        }
    }

    /**
     * An io_uring queue is confined to the thread that opened it: a session that moves to another
     * thread between reads leaves its idle queue to that thread and opens one of its own; closed from
     * another thread with reads in flight, it leaves everything those reads hold to their thread,
     * which closes it the next time it uses a queue; the file goes only then.
     */
    @Test
    void ioUringSessions_moveBetweenThreads() throws Exception {
        IoFile io = open(file, IoEngine.IO_URING);
        IoSession s = new IoSession(8, 64 << 10, true, true);
        java.util.function.LongConsumer readSome = at -> {
            try {
                s.expect(io, new long[] {at, at + 400_000}, 1);
                assertRange(s.input(io).bytes(at, 400_000), at, 400_000);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        readSome.accept(1000);
        String[] kind = new String[1];
        Thread other = Thread.ofPlatform().start(() -> {
            readSome.accept(2_000_000); // everything planned was consumed on the first thread: its queue is idle
            kind[0] = s.queueKind();
        });
        other.join();
        String expected;
        try (ReadQueue probe = ReadQueues.open(1, true)) {
            expected = probe.kind();
        }
        assertEquals(expected, kind[0], "a queue of the second thread's own");
        // reads in flight on this thread, closed from another
        s.expect(io, new long[] {0, SIZE}, 1);
        s.input(io).bytes(0, 10);
        Thread closer = Thread.ofPlatform().start(s::close);
        closer.join();
        io.release(); // the owner's reference: the session's is left with the reads
        assertTrue(!ioReleased(io), "the file stays while its reads may be in flight");
        ReadQueues.open(1, false).close(); // this thread uses a queue: what was left to it is closed
        assertTrue(ioReleased(io), "and then it goes");
    }

    private static boolean ioReleased(IoFile io) {
        try {
            io.retain();
            io.release();
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }

    @Test
    void closingWaitsForReadsInFlight_andReleasesTheFile() throws Exception {
        IoFile io = open(file, IoEngine.DIRECT);
        IoSession s = new IoSession(16, 64 << 10, true, true);
        s.expect(io, new long[] {0, SIZE}, 1);
        s.input(io).bytes(0, 10); // reads of the rest are now in flight
        s.close();
        // the session let go of the file: the owner's release is the last
        io.release();
        assertThrows(IllegalStateException.class, io::retain);
    }

    @ParameterizedTest
    @EnumSource(value = IoEngine.class, names = {"PREAD", "DIRECT"})
    void workersRing_isAdvisedForHugePages_shortLivedOnesNot(IoEngine engine) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/mm/transparent_hugepage")), "the kernel has no transparent huge pages");
        assumeTrue(!"false".equals(System.getProperty("inlay.io.hugeRing")), "turned off with -Dinlay.io.hugeRing=false");
        for (boolean longLived : new boolean[] {true, false}) {
            IoFile io = open(file, engine);
            try (IoSession s = new IoSession(4, 1 << 20, true, longLived)) {
                s.expect(io, new long[] {0, SIZE}, 1);
                ByteRanges in = s.input(io);
                assertRange(in.bytes(0, 4096), 0, 4096);
                long[] ring = s.ringForTest();
                assertTrue(ring[1] >= 4 << 20, "a ring of at least 4 MiB: " + ring[1]);
                if (longLived) {
                    assertEquals(0, ring[0] % (2 << 20), "a worker's ring starts on a 2 MiB boundary");
                }
                List<String> flags = vmFlags(ring[0], ring[0] + ring[1]);
                assertTrue(!flags.isEmpty(), "the ring's mappings are in /proc/self/smaps");
                for (String f : flags) {
                    // "hg": MADV_HUGEPAGE given for this mapping
                    assertEquals(longLived, List.of(f.split(" ")).contains("hg"), (longLived ? "worker" : "short-lived")
                            + " session's ring, VmFlags: " + f);
                }
            } finally {
                io.release();
            }
        }
    }

    /** The VmFlags of every mapping of this process overlapping [from, to). */
    private static List<String> vmFlags(long from, long to) throws Exception {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = start < to && end > from;
            } else if (inside && line.startsWith("VmFlags:")) {
                out.add(line.substring("VmFlags:".length()).trim());
            }
        }
        return out;
    }
}
