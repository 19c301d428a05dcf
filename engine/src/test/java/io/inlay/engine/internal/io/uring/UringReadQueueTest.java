package io.inlay.engine.internal.io.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UringReadQueue} against the kernel: every read checked byte for byte against the file's
 * content as Java wrote it. Where the kernel refuses io_uring (seccomp, {@code
 * kernel.io_uring_disabled}, an old kernel), every test is skipped with the refusal's line as the
 * reason, except the refusal test itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringReadQueueTest {
    /** Not a multiple of 4096, so the last page and O_DIRECT's tail are partial. */
    private static final int SIZE = (3 << 20) + 1234;
    private static final byte MARK = (byte) 0xA5;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;

    private static String refusal;
    private static Path dir;
    private static Path file;
    private static byte[] content;
    private static int fd = -1;

    @BeforeAll
    static void setUp() throws IOException {
        try (UringReadQueue q = UringReadQueue.open(1)) {
            refusal = null;
        } catch (IOException e) {
            refusal = e.getMessage();
            System.out.println("UringReadQueueTest: io_uring tests skipped: " + refusal);
        }
        // under target/ rather than /tmp: a tmpfs /tmp would not hold O_DIRECT to its rules
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        dir = Files.createTempDirectory(target, "uring-test-");
        file = dir.resolve("data.bin");
        content = new byte[SIZE];
        new SplittableRandom(13).nextBytes(content);
        Files.write(file, content);
        fd = Fds.openOrThrow(file, Fds.O_RDONLY);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (fd >= 0) {
            Fds.close(fd);
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void assumeUring() {
        Assumptions.assumeTrue(refusal == null, () -> "io_uring refused on this machine: " + refusal);
    }

    private static MemorySegment marked(Arena arena, long size, long align) {
        MemorySegment s = arena.allocate(size, align);
        s.fill(MARK);
        return s;
    }

    /** The bytes a read of {@code len} at {@code offset} must give, and that the rest of {@code dst} is untouched. */
    private static void assertRead(long offset, long len, long result, MemorySegment dst) {
        long expected = Math.max(0, Math.min(len, SIZE - offset));
        assertEquals(expected, result, () -> "bytes read at " + offset + " of " + len);
        byte[] got = dst.asSlice(0, expected).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(Arrays.copyOfRange(content, (int) Math.min(offset, SIZE), (int) (Math.min(offset, SIZE) + expected)),
                got, () -> "content at " + offset);
        for (long i = expected; i < dst.byteSize(); i++) {
            if (dst.get(ValueLayout.JAVA_BYTE, i) != MARK) {
                fail("read at " + offset + " wrote past its " + expected + " bytes, at " + i);
            }
        }
    }

    @Test
    void kindAndDepth() throws IOException {
        assumeUring();
        try (UringReadQueue q = UringReadQueue.open(5)) {
            assertEquals("io_uring", q.kind());
            assertEquals(5, q.depth());
            assertEquals(0, q.pending());
            assertEquals(8, q.ring().sqEntries(), "the ring is rounded up to a power of two");
        }
    }

    @Test
    void randomOffsetsAndLengths_matchTheFile() throws IOException {
        assumeUring();
        randomReads(false);
    }

    @Test
    void readvPath_matchesTheFile() throws IOException {
        assumeUring();
        randomReads(true);
    }

    private static void randomReads(boolean readv) throws IOException {
        int depth = 16;
        int maxLen = 256 << 10;
        SplittableRandom rnd = new SplittableRandom(readv ? 2 : 1);
        try (Arena arena = Arena.ofConfined();
                UringReadQueue q = UringReadQueue.open(depth, 0, 0, UringReadQueue.REQUIRED_FEATURES, readv)) {
            assertEquals(readv, q.usesReadv());
            Slots slots = new Slots(arena, depth, maxLen);
            int reads = 3000;
            int submitted = 0;
            int done = 0;
            while (done < reads) {
                while (submitted < reads && q.pending() < depth) {
                    // offsets run past the end of the file too; lengths from 1 byte to 256 KiB
                    slots.submit(q, submitted++, fd, rnd.nextInt(SIZE + 8192), 1 + rnd.nextInt(maxLen));
                }
                slots.complete(q.await(), q.result());
                done++;
            }
            assertEquals(0, q.pending());
        }
    }

    /**
     * Reads in flight for a test: a buffer per slot, MARK-filled before each read, and what was
     * asked, found again from the tag (sequence number in the high bits, slot in the low 16).
     */
    private static final class Slots {
        final MemorySegment[] buffers;
        final long[] offsets;
        final long[] lengths;
        final long[] sequence;
        final int[] free;
        int nFree;

        Slots(Arena arena, int depth, long maxLen) {
            buffers = new MemorySegment[depth];
            offsets = new long[depth];
            lengths = new long[depth];
            sequence = new long[depth];
            free = new int[depth];
            for (int i = 0; i < depth; i++) {
                buffers[i] = arena.allocate(maxLen);
                free[nFree++] = i;
            }
        }

        void submit(UringReadQueue q, long seq, int fd, long offset, long len) {
            int slot = free[--nFree];
            offsets[slot] = offset;
            lengths[slot] = len;
            sequence[slot] = seq;
            buffers[slot].fill(MARK);
            q.submit(seq << 16 | slot, fd, offset, buffers[slot].asSlice(0, len));
        }

        /** Checks the read named by {@code tag} and frees its slot; returns the slot. */
        int complete(long tag, long result) {
            int slot = (int) (tag & 0xffff);
            assertTrue(slot < buffers.length, "tag " + tag);
            assertEquals(sequence[slot], tag >>> 16, "tag " + tag + " is not the one submitted for its slot");
            assertRead(offsets[slot], lengths[slot], result, buffers[slot]);
            free[nFree++] = slot;
            return slot;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 64})
    void wholeFile_queueKeptFull(int depth) throws IOException {
        assumeUring();
        int len = 48 << 10;
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(depth)) {
            Slots slots = new Slots(arena, depth, len);
            long next = 0;
            long seq = 0;
            int maxPending = 0;
            long bytes = 0;
            do {
                while (next < SIZE && q.pending() < depth) {
                    slots.submit(q, seq++, fd, next, len);
                    next += len;
                }
                maxPending = Math.max(maxPending, q.pending());
                slots.complete(q.await(), q.result());
                bytes += q.result();
            } while (next < SIZE || q.pending() > 0);
            assertEquals(Math.min(depth, (SIZE + len - 1) / len), maxPending);
            assertEquals(SIZE, bytes);
        }
    }
    @Test
    void shortReadAtEndOfFile_andZeroPastIt() throws IOException {
        assumeUring();
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(4)) {
            MemorySegment a = marked(arena, 8192, 8);
            MemorySegment b = marked(arena, 8192, 8);
            MemorySegment c = marked(arena, 8192, 8);
            q.submit(1, fd, SIZE - 100, a);
            q.submit(2, fd, SIZE, b);
            q.submit(3, fd, SIZE + 10_000, c);
            long[] results = new long[4];
            for (int i = 0; i < 3; i++) {
                long tag = q.await();
                results[(int) tag] = q.result();
            }
            assertEquals(100, results[1]);
            assertEquals(0, results[2]);
            assertEquals(0, results[3]);
            assertRead(SIZE - 100, 8192, 100, a);
            assertRead(SIZE, 8192, 0, b);
            assertRead(SIZE + 10_000, 8192, 0, c);
        }
    }

    @Test
    void badFd_givesMinusEbadf() throws IOException {
        assumeUring();
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(2)) {
            MemorySegment dst = marked(arena, 4096, 8);
            q.submit(7, -1, 0, dst);
            assertEquals(7, q.await());
            assertEquals(-EBADF, q.result());
            q.submit(6, Integer.MAX_VALUE, 0, dst);
            assertEquals(6, q.await());
            assertEquals(-EBADF, q.result());
            // a descriptor just closed (opened after the ring, so its number is not the ring's)
            int closed = Fds.openOrThrow(file, Fds.O_RDONLY);
            Fds.close(closed);
            q.submit(8, closed, 0, dst);
            assertEquals(8, q.await());
            assertEquals(-EBADF, q.result());
            assertRead(0, 0, 0, dst);
            // the queue goes on after errors
            q.submit(9, fd, 0, dst);
            assertEquals(9, q.await());
            assertRead(0, 4096, q.result(), dst);
        }
    }

    @Test
    void oDirect_alignedReads_andEinvalWhenMisaligned() throws IOException {
        assumeUring();
        int direct = Fds.open(file, Fds.O_RDONLY | Fds.O_DIRECT);
        Assumptions.assumeTrue(direct >= 0, () -> "the filesystem under " + file + " refuses O_DIRECT (errno " + -direct + ")");
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(8)) {
            MemorySegment whole = marked(arena, 1 << 20, 4096);
            long lastPage = (SIZE / 4096) * 4096;
            MemorySegment tail = marked(arena, 8192, 4096);
            q.submit(1, direct, 3 * 4096, whole);
            q.submit(2, direct, lastPage, tail);
            long[] results = new long[3];
            for (int i = 0; i < 2; i++) {
                long tag = q.await();
                results[(int) tag] = q.result();
            }
            assertRead(3 * 4096, 1 << 20, results[1], whole);
            assertEquals(SIZE - lastPage, results[2], "an aligned read across the end of file is short");
            assertRead(lastPage, 4096, results[2], tail.asSlice(0, results[2]));
            // past the result O_DIRECT may write dst anyway (ext4 zero-fills what lies beyond the end
            // of file), but only with zeros
            for (long i = results[2]; i < tail.byteSize(); i++) {
                byte b = tail.get(ValueLayout.JAVA_BYTE, i);
                assertTrue(b == MARK || b == 0, "byte " + i + " past the end of file is " + b);
            }

            MemorySegment base = marked(arena, 2 * 4096, 4096);
            q.submit(3, direct, 0, base.asSlice(1, 4096));
            q.submit(4, direct, 1, base.asSlice(0, 4096));
            q.submit(5, direct, 0, base.asSlice(0, 100));
            for (int i = 0; i < 3; i++) {
                long tag = q.await();
                assertEquals(-EINVAL, q.result(), "misaligned O_DIRECT read " + tag);
            }
        } finally {
            Fds.close(direct);
        }
    }

    @Test
    void submitBeyondDepth_isRefused_andTheQueueGoesOn() throws IOException {
        assumeUring();
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(3)) {
            MemorySegment dst = arena.allocate(3 * 4096L);
            for (int i = 0; i < 3; i++) {
                q.submit(i, fd, 4096L * i, dst.asSlice(4096L * i, 4096));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> q.submit(99, fd, 0, arena.allocate(16)));
            assertTrue(e.getMessage().contains("3 reads already pending"), e.getMessage());
            assertEquals(3, q.pending());
            boolean[] seen = new boolean[3];
            for (int i = 0; i < 3; i++) {
                long tag = q.await();
                assertFalse(seen[(int) tag], "tag " + tag + " returned twice");
                seen[(int) tag] = true;
                assertEquals(4096, q.result());
            }
            assertArrayEquals(Arrays.copyOf(content, 3 * 4096), dst.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void awaitWithNothingPending_isRefused() throws IOException {
        assumeUring();
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(2)) {
            assertThrows(IllegalStateException.class, q::await);
            q.submit(1, fd, 0, arena.allocate(10));
            assertEquals(1, q.await());
            assertThrows(IllegalStateException.class, q::await);
        }
    }

    @Test
    void badArguments_areRefused() throws IOException {
        assumeUring();
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(2)) {
            assertThrows(IllegalArgumentException.class, () -> q.submit(1, fd, 0, MemorySegment.ofArray(new byte[10])));
            assertThrows(IllegalArgumentException.class, () -> q.submit(1, fd, 0, arena.allocate(10).asReadOnly()));
            assertThrows(IllegalArgumentException.class, () -> q.submit(1, fd, -1, arena.allocate(10)));
            MemorySegment freed;
            try (Arena other = Arena.ofConfined()) {
                freed = other.allocate(10);
            }
            MemorySegment gone = freed;
            assertThrows(IllegalStateException.class, () -> q.submit(1, fd, 0, gone));
            assertEquals(0, q.pending(), "a refused submit leaves nothing pending");
        }
        assertThrows(IllegalArgumentException.class, () -> UringReadQueue.open(0));
        assertThrows(IllegalArgumentException.class, () -> UringReadQueue.open(UringReadQueue.MAX_DEPTH + 1));
        UringReadQueue.open(UringReadQueue.MAX_DEPTH).close();
    }

    @Test
    void interruptWhileWaiting_throwsAndTheReadCompletesLater() throws Exception {
        assumeUring();
        int[] pipe = Fds.pipe();
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(2)) {
            MemorySegment dst = marked(arena, 64, 8);
            q.submit(42, pipe[0], 0, dst);
            Thread waiter = Thread.currentThread();
            CompletableFuture<Void> interrupter = CompletableFuture.runAsync(() -> {
                sleep(100);
                waiter.interrupt();
            });
            long start = System.nanoTime();
            InterruptedIOException e = assertThrows(InterruptedIOException.class, q::await);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            interrupter.get();
            assertTrue(Thread.interrupted(), "the interrupt status stays set");
            assertTrue(waitedMs >= 90 && waitedMs < 5_000, "waited " + waitedMs + " ms");
            assertTrue(e.getMessage().contains("1 pending"), e.getMessage());
            assertEquals(1, q.pending(), "the read stays pending");

            // interrupted before waiting: refused at once, the read still pending
            Thread.currentThread().interrupt();
            assertThrows(InterruptedIOException.class, q::await);
            assertTrue(Thread.interrupted());

            byte[] hello = "hello, ring".getBytes(StandardCharsets.US_ASCII);
            assertEquals(hello.length, Fds.write(pipe[1], hello));
            assertEquals(42, q.await());
            assertEquals(hello.length, q.result());
            assertArrayEquals(hello, dst.asSlice(0, hello.length).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(MARK, dst.get(ValueLayout.JAVA_BYTE, hello.length));
        } finally {
            Thread.interrupted();
            Fds.close(pipe[0]);
            Fds.close(pipe[1]);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void close_waitsForReadsInFlight() throws IOException {
        assumeUring();
        int direct = Fds.open(file, Fds.O_RDONLY | Fds.O_DIRECT);
        int readFd = direct >= 0 ? direct : fd;
        int depth = 16;
        long len = 192 << 10;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] buffers = new MemorySegment[depth];
            UringReadQueue q = UringReadQueue.open(depth);
            for (int i = 0; i < depth; i++) {
                buffers[i] = marked(arena, len, 4096);
                q.submit(i, readFd, len * i, buffers[i]);
            }
            q.close();
            q.close(); // idempotent
            byte[][] after = new byte[depth][];
            for (int i = 0; i < depth; i++) {
                after[i] = buffers[i].toArray(ValueLayout.JAVA_BYTE);
            }
            sleep(50);
            for (int i = 0; i < depth; i++) {
                byte[] now = buffers[i].toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(after[i], now, "buffer " + i + " written after close returned");
                // each read either ran (all its bytes) or was cancelled before it started (none)
                boolean untouched = true;
                for (byte b : now) {
                    untouched &= b == MARK;
                }
                if (!untouched) {
                    assertArrayEquals(Arrays.copyOfRange(content, (int) (len * i), (int) (len * (i + 1))), now,
                            "buffer " + i);
                }
            }
            assertThrows(IllegalStateException.class, () -> q.submit(1, fd, 0, buffers[0]));
            assertThrows(IllegalStateException.class, q::await);
        } finally {
            if (direct >= 0) {
                Fds.close(direct);
            }
        }
    }

    @Test
    void close_cancelsAReadThatWouldWaitForever() throws Exception {
        assumeUring();
        int[] pipe = Fds.pipe();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = marked(arena, 64, 8);
            UringReadQueue q = UringReadQueue.open(1);
            q.submit(1, pipe[0], 0, dst);
            long start = System.nanoTime();
            q.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "close returned promptly");
            Fds.write(pipe[1], new byte[] {1, 2, 3});
            sleep(20);
            for (long i = 0; i < dst.byteSize(); i++) {
                assertEquals(MARK, dst.get(ValueLayout.JAVA_BYTE, i), "the cancelled read wrote nothing");
            }
        } finally {
            Fds.close(pipe[0]);
            Fds.close(pipe[1]);
        }
    }

    @Test
    void close_withMoreCompletionsThanTheCqHolds() throws Exception {
        assumeUring();
        int depth = 4;
        int[][] pipes = new int[depth][];
        try (Arena arena = Arena.ofConfined()) {
            // a CQ of 4 for 4 reads that wait forever: close's 4 cancellations and the 4 cancelled reads
            // make 8 completions, so half go to the kernel's overflow list and come back from there
            UringReadQueue q = UringReadQueue.open(depth, depth, 0, UringReadQueue.REQUIRED_FEATURES, false);
            assertEquals(depth, q.ring().cqEntries());
            MemorySegment dst = marked(arena, 64L * depth, 8);
            for (int i = 0; i < depth; i++) {
                pipes[i] = Fds.pipe();
                q.submit(i, pipes[i][0], 0, dst.asSlice(64L * i, 64));
            }
            q.close();
            assertEquals(0, q.pending());
            for (int[] p : pipes) {
                Fds.write(p[1], new byte[] {1});
            }
            sleep(20);
            for (long i = 0; i < dst.byteSize(); i++) {
                assertEquals(MARK, dst.get(ValueLayout.JAVA_BYTE, i), "a cancelled read wrote");
            }
        } finally {
            for (int[] p : pipes) {
                if (p != null) {
                    Fds.close(p[0]);
                    Fds.close(p[1]);
                }
            }
        }
    }

    @Test
    void anotherThread_isRefused() throws Exception {
        assumeUring();
        try (Arena arena = Arena.ofShared(); UringReadQueue q = UringReadQueue.open(2)) {
            MemorySegment dst = arena.allocate(4096);
            Throwable t = CompletableFuture.supplyAsync(() -> {
                try {
                    q.submit(1, fd, 0, dst);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }).get();
            assertTrue(t instanceof WrongThreadException, String.valueOf(t));
            assertEquals(0, q.pending());
        }
    }

    @Test
    void open_refusedByTheKernel_failsCleanlyInOneLine() throws IOException {
        long fds = Fds.openCount();
        // a setup flag no kernel knows: io_uring_setup itself says EINVAL
        IOException setup = assertThrows(IOException.class,
                () -> UringReadQueue.open(4, 0, 1 << 31, UringReadQueue.REQUIRED_FEATURES, false));
        String m = setup.getMessage();
        assertFalse(m.contains("\n"), m);
        if (refusal == null) {
            assertTrue(m.startsWith("io_uring is not available: io_uring_setup failed with "), m);
            assertTrue(m.contains("(EINVAL: the kernel rejected the ring's parameters)"), m);
        } else {
            assertTrue(m.startsWith("io_uring is not available: "), m);
        }
        // a feature no kernel has: the ring is set up and mapped, then refused and torn down
        IOException feature = assertThrows(IOException.class, () -> UringReadQueue.open(4, 0, 0, 1 << 30, false));
        if (refusal == null) {
            assertEquals("io_uring is not available: the kernel lacks feature bit 30", feature.getMessage());
        }
        assertEquals(fds, Fds.openCount(), "no file descriptor left open");
    }

    @Test
    void submitAndAwait_allocateNothing() throws IOException {
        assumeUring();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "the JVM does not count allocated bytes per thread");
        int depth = 16;
        int len = 4096;
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(depth)) {
            MemorySegment[] buffers = new MemorySegment[depth];
            for (int i = 0; i < depth; i++) {
                buffers[i] = arena.allocate(len, 4096);
            }
            long pages = SIZE / len;
            runOps(q, buffers, pages, 50_000); // warm-up: interpreted and C1 code allocates where C2 does not
            // steady state: the JIT may still be compiling the path under load, so take the best of a few rounds
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 10 && least >= 4096; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                long sum = runOps(q, buffers, pages, 100_000);
                least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
                assertEquals(100_000L * len, sum);
            }
            assertTrue(least < 4096, "100,000 submit/await pairs allocated " + least + " bytes on the heap");
        }
    }

    /** {@code ops} reads of one page each (the tag is the buffer's index), queue kept full; returns the bytes read. */
    private static long runOps(UringReadQueue q, MemorySegment[] buffers, long pages, int ops) {
        int depth = buffers.length;
        long sum = 0;
        int submitted = 0;
        for (; submitted < depth; submitted++) {
            q.submit(submitted, fd, (submitted * 7919L % pages) * 4096, buffers[submitted]);
        }
        for (int done = 0; done < ops; done++) {
            int slot = (int) awaitUnchecked(q);
            sum += q.result();
            if (submitted < ops) {
                q.submit(slot, fd, (submitted * 7919L % pages) * 4096, buffers[slot]);
                submitted++;
            }
        }
        return sum;
    }

    private static long awaitUnchecked(UringReadQueue q) {
        try {
            return q.await();
        } catch (InterruptedIOException e) {
            throw new AssertionError(e);
        }
    }
}
