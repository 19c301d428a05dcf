package io.inlay.engine.internal.io.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the io_uring tests share: a file of random bytes under {@code target/} (not a multiple of
 * 4096 long), a descriptor open on it, and the refusal's line when the kernel refuses io_uring
 * here, which makes every test that needs the ring skip with it as the reason.
 */
abstract class UringTestBase {
    /** Not a multiple of 4096, so the last page and O_DIRECT's tail are partial. */
    static final int SIZE = (3 << 20) + 1234;
    static final byte MARK = (byte) 0xA5;
    static final int EBADF = 9;
    static final int EINVAL = 22;

    static String refusal;
    static Path dir;
    static Path file;
    static byte[] content;
    static int fd = -1;

    @BeforeAll
    static void setUp() throws IOException {
        try (UringReadQueue q = UringReadQueue.open(1)) {
            refusal = null;
        } catch (IOException e) {
            refusal = e.getMessage();
            System.out.println("io_uring tests skipped: " + refusal);
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

    static void assumeUring() {
        Assumptions.assumeTrue(refusal == null, () -> "io_uring refused on this machine: " + refusal);
    }

    static MemorySegment marked(Arena arena, long size, long align) {
        MemorySegment s = arena.allocate(size, align);
        s.fill(MARK);
        return s;
    }

    /** The bytes a read of {@code len} at {@code offset} must give, and that the rest of {@code dst} is untouched. */
    static void assertRead(long offset, long len, long result, MemorySegment dst) {
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

    /**
     * Reads in flight for a test: a buffer per slot, MARK-filled before each read, and what was
     * asked, found again from the tag (sequence number in the high bits, slot in the low 16).
     */
    static final class Slots {
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


    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
