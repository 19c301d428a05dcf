package io.inlay.engine.internal.io;

import io.inlay.engine.internal.io.queue.ReadQueue;
import io.inlay.engine.internal.io.queue.ThreadReadQueue;
import io.inlay.engine.internal.io.uring.UringReadQueue;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Opens the {@link ReadQueue} an engine submits through: {@code io_uring} where it is asked for
 * and the kernel allows it ({@link UringReadQueue}), else {@code pread(2)} on I/O threads
 * ({@link ThreadReadQueue}), after a one-line notice saying why io_uring could not be used.
 *
 * <p>An io_uring queue is confined to the thread that opened it, its close included. A queue whose
 * user moved to another thread is handed back to its own thread here ({@link #orphan}) and closed
 * the next time that thread opens or uses a queue through this class ({@link #closeOrphansOfThisThread}).
 */
public final class ReadQueues {
    private ReadQueues() {}

    private record Orphan(Thread owner, Runnable close) {}

    private static final ConcurrentLinkedQueue<Orphan> ORPHANS = new ConcurrentLinkedQueue<>();

    /**
     * @param depth reads in flight at most
     * @param uring whether to try io_uring first
     */
    public static ReadQueue open(int depth, boolean uring) {
        closeOrphansOfThisThread();
        if (uring) {
            try {
                return UringReadQueue.open(depth);
            } catch (IOException e) {
                Notices.once("io_uring", e.getMessage() + "; reading with pread on I/O threads instead");
            }
        }
        return ThreadReadQueue.open(depth);
    }

    /** Whether {@code q} may only be used by the thread that opened it. */
    static boolean confined(ReadQueue q) {
        return q instanceof UringReadQueue;
    }

    /** Leaves {@code close} (of a confined queue and what its reads write into) to {@code owner}. */
    static void orphan(Thread owner, Runnable close) {
        ORPHANS.add(new Orphan(owner, close));
    }

    /** Closes what other threads left to this one. */
    static void closeOrphansOfThisThread() {
        if (ORPHANS.isEmpty()) {
            return;
        }
        Thread me = Thread.currentThread();
        for (var it = ORPHANS.iterator(); it.hasNext(); ) {
            Orphan o = it.next();
            if (o.owner == me) {
                it.remove();
                o.close.run();
            } else if (!o.owner.isAlive()) {
                // its thread is gone, and with it the only way to close it: the kernel frees it at exit
                it.remove();
            }
        }
    }
}
