package io.inlay.engine.internal.io.queue;

import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;

/**
 * Positional reads of open files with several in flight, so that the device sees a queue rather
 * than one request at a time. One implementation per submission mechanism: I/O threads calling
 * {@code pread(2)}, or {@code io_uring}.
 *
 * <p><b>Threads.</b> Confined to the thread that created it.
 *
 * <p><b>Memory.</b> {@code dst} is native memory the caller owns; the caller keeps it alive and
 * leaves it alone from {@link #submit} until {@link #await} has returned that read's tag (the
 * kernel or an I/O thread writes it meanwhile). For a file descriptor opened with
 * {@code O_DIRECT}, the address and size of {@code dst} and the file offset must be multiples of
 * the file's required alignment; the queue does not check this, the kernel refuses with
 * {@code -EINVAL}.
 *
 * <p><b>Results.</b> Reads complete in any order and are told apart by the caller's tag. A read may
 * return fewer bytes than asked for (always at end of file; rarely elsewhere): the caller submits
 * the rest. Errors are returned as {@code -errno}, never thrown. Nothing on the submit/await path
 * allocates on the Java heap.
 */
public interface ReadQueue extends AutoCloseable {

    /** The most reads that may be pending (submitted and not yet returned by {@link #await}) at once. */
    int depth();

    /** Reads submitted and not yet returned by {@link #await}. */
    int pending();

    /**
     * Starts reading {@code dst.byteSize()} bytes at {@code offset} of {@code fd} into {@code dst}.
     * May hand the read to the kernel at once or batch it until the next {@link #await}; never
     * blocks on I/O.
     *
     * @param tag the caller's name for this read, returned by {@link #await} when it completes
     * @throws IllegalStateException if {@link #depth()} reads are already pending, or the queue is closed
     */
    void submit(long tag, int fd, long offset, MemorySegment dst);

    /**
     * Waits until one pending read has completed and returns its tag; {@link #result()} then gives
     * its outcome.
     *
     * @throws IllegalStateException if no read is pending
     * @throws InterruptedIOException if the thread is interrupted while waiting (the read stays pending)
     */
    long await() throws InterruptedIOException;

    /** The outcome of the read {@link #await} returned last: bytes read (0 at end of file), or {@code -errno}. */
    long result();

    /** The mechanism, for notices and reports: {@code "io_uring"} or {@code "pread-threads"}. */
    String kind();

    /**
     * Waits for every pending read to finish (their memory may be written until then), then frees
     * the queue's resources. Idempotent.
     */
    @Override
    void close();
}
