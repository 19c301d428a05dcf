package io.inlay.engine.internal.io.queue;

import io.inlay.engine.internal.os.Posix;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link ReadQueue} served by I/O threads that each call {@code pread(2)} (through
 * {@code java.lang.foreign}): one thread per slot, so {@link #depth()} reads are in the kernel at
 * once and the device sees a queue, as fio's {@code psync} engine with that many jobs.
 *
 * <p>The threads come from a pool shared by every queue of the JVM: opening a queue borrows
 * {@code depth} idle ones (starting threads only when the pool has too few), closing returns them.
 * Idle threads end after {@value #IDLE_SECONDS} s unused. Daemon threads named {@code inlay-io-N}.
 *
 * <p>Nothing on {@link #submit}/{@link #await} allocates: the caller fills a slot and unparks its
 * thread; the thread writes the result and unparks the caller, who finds completed slots by
 * scanning (at most {@code depth} of them).
 */
public final class ThreadReadQueue implements ReadQueue {
    private static final int FREE = 0;
    private static final int SUBMITTED = 1;
    private static final int DONE = 2;
    private static final long IDLE_SECONDS = 30;

    /** One read in flight: filled by the caller, served by its worker. Fields other than state are published by it. */
    static final class Slot {
        volatile int state;
        long tag;
        int fd;
        long offset;
        long address;
        long length;
        long result;
        final ThreadReadQueue queue;
        Worker worker;

        Slot(ThreadReadQueue queue) {
            this.queue = queue;
        }
    }

    private final Slot[] slots;
    private int pending;
    private int scan;
    private long lastResult;
    private boolean closed;
    /** The thread waiting in {@link #await}, for the workers to wake. */
    private volatile Thread waiter;

    private ThreadReadQueue(int depth) {
        slots = new Slot[depth];
        for (int i = 0; i < depth; i++) {
            slots[i] = new Slot(this);
        }
        Pool.bind(slots);
    }

    /**
     * Opens a queue of {@code depth} reads in flight.
     *
     * @throws IllegalArgumentException if depth is not in [1, 1024]
     */
    public static ThreadReadQueue open(int depth) {
        if (depth < 1 || depth > 1024) {
            throw new IllegalArgumentException("depth must be in [1, 1024], not " + depth);
        }
        return new ThreadReadQueue(depth);
    }

    @Override
    public int depth() {
        return slots.length;
    }

    @Override
    public int pending() {
        return pending;
    }

    @Override
    public void submit(long tag, int fd, long offset, MemorySegment dst) {
        if (closed) {
            throw new IllegalStateException("the read queue is closed");
        }
        if (pending == slots.length) {
            throw new IllegalStateException("the read queue already has " + pending + " reads pending");
        }
        for (Slot s : slots) {
            if (s.state == FREE) {
                s.tag = tag;
                s.fd = fd;
                s.offset = offset;
                s.address = dst.address();
                s.length = dst.byteSize();
                s.state = SUBMITTED;
                pending++;
                LockSupport.unpark(s.worker.thread);
                return;
            }
        }
        throw new IllegalStateException("no free slot although " + pending + " of " + slots.length + " are pending");
    }

    @Override
    public long await() throws InterruptedIOException {
        if (pending == 0) {
            throw new IllegalStateException("no read is pending");
        }
        Thread me = Thread.currentThread();
        for (;;) {
            Slot done = findDone();
            if (done != null) {
                return take(done);
            }
            waiter = me;
            done = findDone();
            if (done != null) {
                waiter = null;
                return take(done);
            }
            if (me.isInterrupted()) {
                waiter = null;
                throw new InterruptedIOException("interrupted while waiting for a read");
            }
            LockSupport.park(this);
            waiter = null;
        }
    }

    private Slot findDone() {
        int n = slots.length;
        for (int i = 0; i < n; i++) {
            int k = scan + i;
            if (k >= n) {
                k -= n;
            }
            Slot s = slots[k];
            if (s.state == DONE) {
                scan = k + 1 == n ? 0 : k + 1;
                return s;
            }
        }
        return null;
    }

    private long take(Slot s) {
        lastResult = s.result;
        long tag = s.tag;
        s.state = FREE;
        pending--;
        return tag;
    }

    @Override
    public long result() {
        return lastResult;
    }

    @Override
    public String kind() {
        return "pread-threads";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        while (pending > 0) {
            try {
                await();
            } catch (InterruptedIOException e) {
                // the memory may be written until every read is back: wait on, restore the flag after
                interrupted = true;
                Thread.interrupted();
            }
        }
        Pool.unbind(slots);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The result of a slot's read; runs on its worker. */
    private void complete(Slot s, long result) {
        s.result = result;
        s.state = DONE;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** An I/O thread: serves the slot it is bound to, or waits in the pool. */
    static final class Worker implements Runnable {
        final Thread thread;
        volatile Slot slot;
        private boolean retired;

        Worker(int index) {
            thread = Thread.ofPlatform().name("inlay-io-" + index).daemon().unstarted(this);
        }

        @Override
        public void run() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Posix.newCallState(arena);
                long idleSince = System.nanoTime();
                for (;;) {
                    Slot s = slot;
                    if (s == null) {
                        if (System.nanoTime() - idleSince > IDLE_SECONDS * 1_000_000_000L && Pool.retire(this)) {
                            return;
                        }
                        LockSupport.parkNanos(this, IDLE_SECONDS * 1_000_000_000L);
                        continue;
                    }
                    if (s.state == SUBMITTED) {
                        long r = Posix.pread(state, s.fd, s.address, s.length, s.offset);
                        s.queue.complete(s, r);
                        continue;
                    }
                    LockSupport.park(this);
                    if (slot == null) {
                        idleSince = System.nanoTime();
                    }
                }
            }
        }
    }

    /** The shared idle workers. */
    static final class Pool {
        private static final ArrayDeque<Worker> IDLE = new ArrayDeque<>();
        private static int started;

        private Pool() {}

        static void bind(Slot[] slots) {
            synchronized (IDLE) {
                for (Slot s : slots) {
                    Worker w = IDLE.pollFirst();
                    if (w == null) {
                        w = new Worker(started++);
                        w.slot = s;
                        s.worker = w;
                        w.thread.start();
                    } else {
                        s.worker = w;
                        w.slot = s;
                        LockSupport.unpark(w.thread);
                    }
                }
            }
        }

        static void unbind(Slot[] slots) {
            synchronized (IDLE) {
                for (Slot s : slots) {
                    Worker w = s.worker;
                    w.slot = null;
                    s.worker = null;
                    IDLE.addFirst(w);
                    LockSupport.unpark(w.thread);
                }
            }
        }

        /** Removes an idle worker that timed out; false if it was bound meanwhile. */
        static boolean retire(Worker w) {
            synchronized (IDLE) {
                if (w.slot != null || w.retired) {
                    return false;
                }
                w.retired = IDLE.remove(w);
                return w.retired;
            }
        }

        /** Idle workers (for tests). */
        static int idleCount() {
            synchronized (IDLE) {
                return IDLE.size();
            }
        }
    }
}
