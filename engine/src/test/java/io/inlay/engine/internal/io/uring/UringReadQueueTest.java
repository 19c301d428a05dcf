package io.inlay.engine.internal.io.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UringReadQueue}'s reads against the kernel: every read checked byte for byte against the
 * file's content as Java wrote it; errors as results; refusals of misuse; no heap allocation.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringReadQueueTest extends UringTestBase {
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
                UringReadQueue q = UringReadQueue.open(depth, readv ? RingSetup.DEFAULT.withReadv() : RingSetup.DEFAULT)) {
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

    /**
     * Measured in a JVM of its own ({@link UringAllocationProbe}): late in a full engine suite the
     * same loop once allocated 40 B per pair in every one of 10 rounds (passing alone), the JIT's
     * profiles there holding the segment types of every earlier test. The bound is the same: under
     * 4 KiB over 100,000 pairs.
     */
    @Test
    void submitAndAwait_allocateNothing() throws Exception {
        assumeUring();
        String jvm = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(jvm, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), UringAllocationProbe.class.getName(), file.toString(), "16")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, p.exitValue(), out);
        Assumptions.assumeFalse(out.contains("unsupported"), "the JVM does not count allocated bytes per thread");
        var m = java.util.regex.Pattern.compile("least=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long least = Long.parseLong(m.group(1));
        assertTrue(least < 4096, "100,000 submit/await pairs allocated " + least + " bytes on the heap");
    }
}
