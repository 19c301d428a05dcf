/**
 * The contract of positional reads with several in flight ({@link
 * io.inlay.engine.internal.io.queue.ReadQueue}: submit, await by tag, {@code -errno} results) and
 * its portable implementation, {@code pread(2)} on a small pool of I/O threads
 * ({@link io.inlay.engine.internal.io.queue.ThreadReadQueue}). The io_uring implementation
 * ({@code internal.io.uring}) builds on this contract, and the I/O layer ({@code internal.io})
 * chooses between the two; neither is imported here.
 */
package io.inlay.engine.internal.io.queue;
