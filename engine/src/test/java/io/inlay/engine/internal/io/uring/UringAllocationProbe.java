package io.inlay.engine.internal.io.uring;

import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@code UringReadQueueTest.submitAndAwait_allocateNothing}: heap bytes
 * this thread allocates over 100,000 submit/await pairs of one page each (queue kept full), the least
 * of up to 10 rounds after a warm-up, printed as {@code least=<bytes>}. A fresh JVM holds only this
 * path's type profiles: late in a long suite, profiles polluted by other tests' segment types can keep
 * C2 from scalar-replacing a temporary, which says nothing about this queue.
 *
 * <p>Arguments: the file to read (at least 4 KiB), the queue depth.
 */
public final class UringAllocationProbe {
    private UringAllocationProbe() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int depth = Integer.parseInt(args[1]);
        int len = 4096;
        long pages = Files.size(file) / len;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            System.out.println("unsupported");
            return;
        }
        int fd = Fds.openOrThrow(file, Fds.O_RDONLY);
        try (Arena arena = Arena.ofConfined(); UringReadQueue q = UringReadQueue.open(depth)) {
            MemorySegment[] buffers = new MemorySegment[depth];
            for (int i = 0; i < depth; i++) {
                buffers[i] = arena.allocate(len, 4096);
            }
            runOps(q, fd, buffers, pages, 50_000); // warm-up: interpreted and C1 code allocates where C2 does not
            // the JIT may still be compiling the path under load: the best of a few rounds
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 10 && least >= 4096; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                long sum = runOps(q, fd, buffers, pages, 100_000);
                least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
                if (sum != 100_000L * len) {
                    throw new AssertionError("read " + sum + " bytes, not " + 100_000L * len);
                }
            }
            System.out.println("least=" + least);
        } finally {
            Fds.close(fd);
        }
    }

    /** {@code ops} reads of one page each (the tag is the buffer's index), queue kept full; returns the bytes read. */
    private static long runOps(UringReadQueue q, int fd, MemorySegment[] buffers, long pages, int ops)
            throws InterruptedIOException {
        int depth = buffers.length;
        long sum = 0;
        int submitted = 0;
        for (; submitted < depth; submitted++) {
            q.submit(submitted, fd, (submitted * 7919L % pages) * 4096, buffers[submitted]);
        }
        for (int done = 0; done < ops; done++) {
            int slot = (int) q.await();
            sum += q.result();
            if (submitted < ops) {
                q.submit(slot, fd, (submitted * 7919L % pages) * 4096, buffers[slot]);
                submitted++;
            }
        }
        return sum;
    }
}
