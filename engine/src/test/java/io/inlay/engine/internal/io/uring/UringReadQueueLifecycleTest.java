package io.inlay.engine.internal.io.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link UringReadQueue}'s lifecycle: interrupts, close with reads in flight (device reads, reads
 * that would wait forever, more completions than the CQ holds), use from another thread, and
 * {@code open} refused by the kernel.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringReadQueueLifecycleTest extends UringTestBase {
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
            // read (and clear) the status before joining the interrupter: get() on a future that has
            // not yet completed would itself throw on the interrupt status left set by await
            boolean stillInterrupted = Thread.interrupted();
            interrupter.get();
            assertTrue(stillInterrupted, "the interrupt status stays set");
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
            UringReadQueue q = UringReadQueue.open(depth, RingSetup.DEFAULT.withCqEntries(depth));
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
                () -> UringReadQueue.open(4, RingSetup.DEFAULT.withFlags(1 << 31, 0)));
        String m = setup.getMessage();
        assertFalse(m.contains("\n"), m);
        if (refusal == null) {
            assertTrue(m.startsWith("io_uring is not available: io_uring_setup failed with "), m);
            assertTrue(m.contains("(EINVAL: the kernel rejected the ring's parameters)"), m);
        } else {
            assertTrue(m.startsWith("io_uring is not available: "), m);
        }
        // a feature no kernel has: the ring is set up and mapped, then refused and torn down
        IOException feature = assertThrows(IOException.class, () -> UringReadQueue.open(4, RingSetup.DEFAULT.withRequiredFeatures(1 << 30)));
        if (refusal == null) {
            assertEquals("io_uring is not available: the kernel lacks feature bit 30", feature.getMessage());
        }
        assertEquals(fds, Fds.openCount(), "no file descriptor left open");
    }
}
