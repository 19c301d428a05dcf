package io.inlay.engine.io;

/**
 * What reading cost in storage terms, counted by the I/O engine (per reading thread's
 * {@link io.inlay.engine.read.ReadBuffers}, or per {@link io.inlay.engine.read.ParquetFile}).
 *
 * @param bytesFromStorage bytes read from storage: what pread/direct/io_uring reads returned
 *     (aligned ranges, coalescing gaps and the footer included); for mmap, the bytes of the ranges
 *     asked for that were not in the page cache at that moment ({@code cachestat(2)}; 0 where the
 *     kernel has no cachestat)
 * @param readRequests reads submitted (mmap: ranges asked for with {@code MADV_WILLNEED})
 * @param storageWaitNanos time the reading thread waited for storage: for reads still in flight,
 *     or in {@code MADV_POPULATE_READ} faulting mapped pages in (mmap)
 * @param uringReads of {@code readRequests}, those submitted through io_uring (the rest went
 *     through pread I/O threads, were a footer's {@code pread} at open, or were mmap advice)
 */
public record IoStats(long bytesFromStorage, long readRequests, long storageWaitNanos, long uringReads) {
    /** Nothing read. */
    public static final IoStats ZERO = new IoStats(0, 0, 0, 0);

    /** Counts with no read through io_uring. */
    public IoStats(long bytesFromStorage, long readRequests, long storageWaitNanos) {
        this(bytesFromStorage, readRequests, storageWaitNanos, 0);
    }

    /** What was counted since {@code earlier}. */
    public IoStats minus(IoStats earlier) {
        return new IoStats(bytesFromStorage - earlier.bytesFromStorage, readRequests - earlier.readRequests,
                storageWaitNanos - earlier.storageWaitNanos, uringReads - earlier.uringReads);
    }

    public IoStats plus(IoStats other) {
        return new IoStats(bytesFromStorage + other.bytesFromStorage, readRequests + other.readRequests,
                storageWaitNanos + other.storageWaitNanos, uringReads + other.uringReads);
    }
}
