package io.inlay.engine.internal.io.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inlay.engine.internal.os.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ReadQueue} must do, checked against the file's bytes read with
 * {@code Files.readAllBytes}: reads land where asked, tags come back once each, results are byte
 * counts or {@code -errno}, short at end of file, depth is enforced, close waits, and the hot path
 * allocates nothing.
 */
abstract class ReadQueueContract {
    private static final int SIZE = (3 << 20) + 1234; // not a multiple of any block size

    @TempDir
    Path dir;
    Path file;
    byte[] bytes;

    /** Opens the queue under test. */
    abstract ReadQueue open(int depth) throws Exception;

    /**
     * Where this implementation's allocation-free submit/await path is measured instead of here, or
     * null to measure it in this (shared, long-lived) test JVM.
     */
    String allocationMeasuredElsewhere() {
        return null;
    }

    @BeforeEach
    void writeFile() throws Exception {
        assumeTrue(Posix.available(), "posix calls are not available here");
        file = dir.resolve("data.bin");
        bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
    }

    private int openFd() {
        int fd = Posix.open(file.toString(), 0);
        assertTrue(fd >= 0, "open: " + fd);
        return fd;
    }

    private void assertBytes(MemorySegment dst, long offset, long n) {
        for (long i = 0; i < n; i++) {
            if (dst.get(ValueLayout.JAVA_BYTE, i) != bytes[(int) (offset + i)]) {
                throw new AssertionError("byte " + i + " of a read at " + offset + " differs");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 64})
    void manyReadsAtDepth_landWhereAsked_eachTagOnce(int depth) throws Exception {
        int fd = openFd();
        int reads = 400;
        int chunk = 7919; // odd sizes and offsets
        try (ReadQueue q = open(depth); Arena arena = Arena.ofConfined()) {
            assertEquals(depth, q.depth());
            MemorySegment[] buf = new MemorySegment[depth];
            long[] offsetOf = new long[depth];
            java.util.ArrayDeque<Integer> free = new java.util.ArrayDeque<>();
            for (int i = 0; i < depth; i++) {
                buf[i] = arena.allocate(chunk, 4096);
                free.add(i);
            }
            Set<Long> seen = new HashSet<>();
            int submitted = 0;
            int completed = 0;
            int mostPending = 0;
            Random r = new Random(depth);
            while (completed < reads) {
                while (submitted < reads && !free.isEmpty()) {
                    int slot = free.poll();
                    long off = r.nextInt(SIZE - chunk);
                    offsetOf[slot] = off;
                    q.submit(((long) submitted << 16) | slot, fd, off, buf[slot]);
                    submitted++;
                }
                mostPending = Math.max(mostPending, q.pending());
                long tag = q.await();
                assertTrue(seen.add(tag), "tag " + tag + " came back twice");
                int slot = (int) (tag & 0xffff);
                assertEquals(chunk, q.result());
                assertBytes(buf[slot], offsetOf[slot], chunk);
                free.add(slot);
                completed++;
            }
            assertEquals(0, q.pending());
            assertEquals(depth, mostPending, "the queue held depth reads at once");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void readPastTheEnd_isShort_thenZero() throws Exception {
        int fd = openFd();
        try (ReadQueue q = open(2); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(1 << 20, 4096);
            q.submit(1, fd, SIZE - 1000, dst);
            q.submit(2, fd, SIZE + 4096, dst.asSlice(0, 4096));
            long a = q.await();
            long ra = q.result();
            long b = q.await();
            long rb = q.result();
            long shortOne = a == 1 ? ra : rb;
            long beyond = a == 1 ? rb : ra;
            assertEquals(1000, shortOne);
            assertEquals(0, beyond);
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aBadDescriptor_givesMinusErrno_notAnException() throws Exception {
        try (ReadQueue q = open(1); Arena arena = Arena.ofConfined()) {
            q.submit(5, 987654, 0, arena.allocate(4096, 4096));
            assertEquals(5, q.await());
            assertEquals(-9, q.result(), "EBADF");
        }
    }

    @Test
    void depthIsEnforced_andAwaitNeedsAPendingRead() throws Exception {
        int fd = openFd();
        try (ReadQueue q = open(2); Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalStateException.class, q::await);
            MemorySegment dst = arena.allocate(3 * 4096, 4096);
            q.submit(1, fd, 0, dst.asSlice(0, 4096));
            q.submit(2, fd, 4096, dst.asSlice(4096, 4096));
            assertEquals(2, q.pending());
            assertThrows(IllegalStateException.class, () -> q.submit(3, fd, 8192, dst.asSlice(8192, 4096)));
            q.await();
            q.await();
            assertEquals(0, q.pending());
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void close_waitsForPendingReads_andIsIdempotent() throws Exception {
        int fd = openFd();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SIZE, 4096);
            ReadQueue q = open(8);
            for (int i = 0; i < 8; i++) {
                long part = SIZE / 8;
                q.submit(i, fd, i * part, dst.asSlice(i * part, part));
            }
            q.close();
            q.close();
            // every read finished before close returned: the memory holds the file
            assertBytes(dst, 0, (SIZE / 8) * 8);
            assertThrows(IllegalStateException.class, () -> q.submit(9, fd, 0, dst.asSlice(0, 16)));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void submitAndAwait_allocateNothing() throws Exception {
        String elsewhere = allocationMeasuredElsewhere();
        assumeTrue(elsewhere == null, () -> "measured in a JVM of its own by " + elsewhere);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int fd = openFd();
        try (ReadQueue q = open(4); Arena arena = Arena.ofConfined()) {
            MemorySegment[] dst = new MemorySegment[4];
            for (int i = 0; i < 4; i++) {
                dst[i] = arena.allocate(4096, 4096);
            }
            Runnable round = () -> {
                try {
                    for (int i = 0; i < 4; i++) {
                        q.submit(i, fd, i * 4096L, dst[i]);
                    }
                    for (int i = 0; i < 4; i++) {
                        q.await();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            for (int i = 0; i < 20_000; i++) {
                round.run(); // warm up: compile the path
            }
            // late in a long suite the JIT may still be recompiling this path (profiles shared with
            // earlier tests): warm up further, window by window, until one window is quiet (at most
            // 40 more), then measure a fresh window against the same bound
            for (int w = 0; w < 40; w++) {
                long t = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 5_000; i++) {
                    round.run();
                }
                if (threads.getCurrentThreadAllocatedBytes() - t < 64 * 1024) {
                    break;
                }
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5_000; i++) {
                round.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 64 * 1024, "20,000 reads allocated " + allocated + " bytes on the caller's thread");
        } finally {
            Posix.close(fd);
        }
    }
}
