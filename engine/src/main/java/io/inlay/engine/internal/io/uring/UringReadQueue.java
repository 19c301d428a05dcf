package io.inlay.engine.internal.io.uring;

import static io.inlay.engine.internal.io.uring.Abi.*;

import io.inlay.engine.internal.io.queue.ReadQueue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link ReadQueue} on io_uring, through the raw system calls ({@code io_uring_setup},
 * {@code io_uring_enter}, {@code io_uring_register}) and the rings mapped into the process: no
 * native library. Each read is one {@code IORING_OP_READ} ({@code IORING_OP_READV} of one iovec
 * where the kernel's probe lacks READ) handed to the kernel at once by {@link #submit}; {@link #await}
 * waits in {@code io_uring_enter(GETEVENTS)}.
 *
 * <p><b>Where it works.</b> Linux 5.11 or later on x86-64 or arm64 (it relies on
 * {@code IORING_FEAT_NODROP} and on {@code IORING_FEAT_EXT_ARG} for waits with a timeout, which
 * keep {@link #await} interruptible), and asks for {@code IORING_SETUP_COOP_TASKRUN} where the
 * kernel has it (5.19; why in {@code RingSetup.DEFAULT}). {@link #open} refuses with an
 * {@link IOException} whose message is one line in words where the kernel, seccomp,
 * {@code kernel.io_uring_disabled} or resource limits say no; callers fall back to another
 * {@link ReadQueue} and print that line.
 *
 * <p><b>Threads.</b> Confined to the thread that opened it, {@link #close()} included: the rings
 * live in a confined arena, so another thread's call fails with {@link WrongThreadException}. Use
 * from a platform thread: a virtual thread is pinned to its carrier while it waits.
 *
 * <p><b>Memory.</b> The queue owns the ring's mappings and a few hundred bytes of scratch; the
 * caller owns every {@code dst} and keeps it alive and untouched until {@link #await} has returned
 * its tag, or {@link #close()} has returned. Nothing on {@link #submit}/{@link #await} allocates
 * on the Java heap (the exception paths aside).
 *
 * <p><b>Why the CQ does not overflow.</b> At most {@link #depth()} reads are pending, the SQ has at
 * least that many entries and the CQ twice as many: room for every read's completion and, in
 * {@link #close()}, one cancellation's each. Should the kernel still park completions in its
 * overflow list ({@code IORING_FEAT_NODROP}, required), the next wait in
 * {@code io_uring_enter(GETEVENTS)} flushes them into the CQ before looking at it; nothing is lost.
 */
public final class UringReadQueue implements ReadQueue {
    /** The most reads in flight one queue accepts. */
    static final int MAX_DEPTH = 4096;
    /** The user data of cancellations {@link #close()} submits; a read's is its slot, 0..depth-1. */
    private static final long CANCEL = -1L;
    private static final long IOVEC_SIZE = 16;

    private final Ring ring;
    private final int depth;
    private final boolean readv;
    /** One iovec per slot, for READV; null with READ. */
    private final MemorySegment iovecs;
    private final long[] tags;
    private final boolean[] busy;
    private final int[] freeSlots;
    private int free;
    private int pending;
    private long result;
    private boolean closed;

    private UringReadQueue(Ring ring, int depth, boolean readv, MemorySegment iovecs) {
        this.ring = ring;
        this.depth = depth;
        this.readv = readv;
        this.iovecs = iovecs;
        this.tags = new long[depth];
        this.busy = new boolean[depth];
        this.freeSlots = new int[depth];
        for (int i = 0; i < depth; i++) {
            freeSlots[i] = depth - 1 - i;
        }
        this.free = depth;
    }

    /**
     * Opens a queue for up to {@code depth} reads in flight; the ring has the next power of two of
     * entries (as the kernel rounds).
     *
     * @param depth 1 to 4096
     * @throws IOException where io_uring cannot be used: one line naming the reason, e.g. "io_uring
     *     is not available: io_uring_setup failed with Operation not permitted (EPERM: blocked by
     *     seccomp or kernel.io_uring_disabled)"
     * @throws IllegalArgumentException if {@code depth} is out of range
     */
    public static UringReadQueue open(int depth) throws IOException {
        return open(depth, RingSetup.DEFAULT);
    }

    /**
     * {@link #open(int)} with the kernel-facing choices made by the caller: tests use it to make the
     * kernel refuse, to run the READV path on a kernel that has READ, or to shrink the CQ until
     * {@link #close()}'s cancellations overflow it.
     */
    static UringReadQueue open(int depth, RingSetup setup) throws IOException {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("io_uring queue depth must be 1 to " + MAX_DEPTH + ", not " + depth);
        }
        Ring ring = Ring.open(depth, setup);
        boolean ok = false;
        try {
            boolean readv = setup.forceReadv() || !ring.readSupported();
            MemorySegment iovecs = null;
            if (readv) {
                iovecs = ring.scratch(IOVEC_SIZE * depth);
            }
            UringReadQueue queue = new UringReadQueue(ring, depth, readv, iovecs);
            ok = true;
            return queue;
        } finally {
            if (!ok) {
                ring.close();
            }
        }
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public int pending() {
        return pending;
    }

    /** Whether reads go out as READV (the kernel's probe lacks READ), for tests and reports. */
    boolean usesReadv() {
        return readv;
    }

    Ring ring() {
        return ring;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads longer than the kernel's single-read limit (2 GiB less a page) come back short, as
     * from {@code pread(2)}.
     *
     * @throws IllegalArgumentException if {@code dst} is not writable native memory or {@code offset} is negative
     */
    @Override
    public void submit(long tag, int fd, long offset, MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (closed) {
            throw new IllegalStateException("the io_uring read queue is closed");
        }
        if (pending == depth) {
            throw new IllegalStateException("io_uring read queue is full: " + depth + " reads already pending");
        }
        if (!dst.isNative() || dst.isReadOnly()) {
            throw new IllegalArgumentException("dst must be writable native memory");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative file offset " + offset);
        }
        if (!dst.scope().isAlive()) {
            throw new IllegalStateException("dst is already freed");
        }
        if (ring.unsubmitted() >= ring.sqEntries()) {
            // cannot happen: at most depth reads pending, the SQ has at least depth entries
            throw new IllegalStateException("io_uring submission queue full");
        }
        int slot = freeSlots[--free];
        tags[slot] = tag;
        busy[slot] = true;
        pending++;
        int len = (int) Math.min(dst.byteSize(), MAX_RW_COUNT);
        if (readv) {
            long iov = IOVEC_SIZE * slot;
            iovecs.set(ValueLayout.JAVA_LONG, iov, dst.address());
            iovecs.set(ValueLayout.JAVA_LONG, iov + 8, len);
            ring.push(IORING_OP_READV, fd, offset, iovecs.address() + iov, 1, slot);
        } else {
            ring.push(IORING_OP_READ, fd, offset, dst.address(), len, slot);
        }
        flush();
    }

    /**
     * Hands the kernel what the SQ holds. Refusals that mean "later" (EAGAIN: out of resources,
     * EBUSY: completions to reap first, EINTR) leave the SQEs in the ring for the next
     * {@link #await}, which submits them with its wait.
     */
    private void flush() {
        int n = ring.unsubmitted();
        if (n == 0) {
            return;
        }
        int r = ring.enter(n, 0, false);
        if (r < 0 && r != -Linux.EAGAIN && r != -Linux.EBUSY && r != -Linux.EINTR) {
            throw broken(r);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The interrupt status is looked at before each wait in the kernel and every 10 ms during
     * one; it stays set when {@link InterruptedIOException} is thrown (clear it with
     * {@link Thread#interrupted()} before waiting again).
     */
    @Override
    public long await() throws InterruptedIOException {
        if (closed) {
            throw new IllegalStateException("the io_uring read queue is closed");
        }
        if (pending == 0) {
            throw new IllegalStateException("no read is pending on the io_uring read queue");
        }
        while (true) {
            if (ring.cqReady()) {
                long tag = reap();
                if (tag != CANCEL) {
                    return tag;
                }
                continue;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for an io_uring read ("
                        + pending + " pending; they stay pending)");
            }
            waitOnce();
        }
    }

    /**
     * One wait in the kernel for at least one completion, submitting what the SQ holds on the way.
     * Returns after a completion, a signal, the wait slice, or a refusal to retry.
     */
    private void waitOnce() {
        int r = ring.enter(ring.unsubmitted(), 1, true);
        if (r >= 0 || r == -Linux.ETIME || r == -Linux.EINTR) {
            return;
        }
        if (r == -Linux.EAGAIN || r == -Linux.EBUSY) {
            if (ring.cqReady()) {
                return;
            }
            int inKernel = pending - ring.unsubmitted();
            if (inKernel > 0 || ring.cqOverflowed()) {
                // the submission must wait for completions: wait for one without submitting
                r = ring.enter(0, 1, true);
                if (r >= 0 || r == -Linux.ETIME || r == -Linux.EINTR || r == -Linux.EAGAIN || r == -Linux.EBUSY) {
                    return;
                }
                throw broken(r);
            }
            // nothing of ours is in the kernel and it has no resources to take more: back off
            LockSupport.parkNanos(100_000L);
            return;
        }
        throw broken(r);
    }

    /** Retires the CQE at the head: a read's tag (its result kept for {@link #result()}), or {@link #CANCEL}. */
    private long reap() {
        long userData = ring.cqeUserData();
        int res = ring.cqeRes();
        ring.cqAdvance();
        if (userData == CANCEL) {
            return CANCEL;
        }
        int slot = (int) userData;
        if (userData < 0 || userData >= depth || !busy[slot]) {
            throw new IllegalStateException("io_uring completion for unknown read " + userData);
        }
        busy[slot] = false;
        freeSlots[free++] = slot;
        pending--;
        result = res;
        return tags[slot];
    }

    @Override
    public long result() {
        return result;
    }

    @Override
    public String kind() {
        return "io_uring";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads still pending are first asked to stop ({@code IORING_OP_ASYNC_CANCEL}: a read
     * waiting on a pipe ends at once; one the device is already doing runs to its end). Waits
     * ignore interrupts here, as the memory must not be handed back while the kernel may still write it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (pending > 0) {
                cancelPending();
                while (pending > 0) {
                    if (ring.cqReady()) {
                        reap();
                    } else {
                        waitOnce();
                    }
                }
            }
        } finally {
            ring.close();
        }
    }

    private void cancelPending() {
        for (int slot = 0; slot < depth; slot++) {
            if (busy[slot] && ring.unsubmitted() < ring.sqEntries()) {
                ring.push(IORING_OP_ASYNC_CANCEL, -1, 0, slot, 0, CANCEL);
            }
        }
        flush();
    }

    private static IllegalStateException broken(int r) {
        return new IllegalStateException("io_uring_enter failed with " + Linux.describe(-r) + " (" + Linux.name(-r) + ")");
    }
}
