package io.inlay.engine.internal.io;

/**
 * Opens the {@link ReadQueue} an engine submits through: {@code io_uring} where it is asked for
 * and the kernel allows it, else {@code pread(2)} on I/O threads ({@link ThreadReadQueue}), with a
 * one-line notice saying why.
 */
public final class ReadQueues {
    private ReadQueues() {}

    /**
     * @param depth reads in flight at most
     * @param uring whether to try io_uring first
     */
    public static ReadQueue open(int depth, boolean uring) {
        if (uring) {
            Notices.once("io_uring", "io_uring is not available in this build; reading with pread on I/O threads");
        }
        return ThreadReadQueue.open(depth);
    }
}
