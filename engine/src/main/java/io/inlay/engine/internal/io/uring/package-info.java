/**
 * io_uring submission for the storage I/O layer, with no native library: the system calls
 * ({@code io_uring_setup}, {@code io_uring_enter}, {@code io_uring_register}) through libc's
 * {@code syscall} and {@code java.lang.foreign}, the rings mapped into the process and read and
 * written with acquire/release ordering.
 *
 * <ul>
 *   <li>{@link io.inlay.engine.internal.io.uring.UringReadQueue}: the one public type, a
 *       {@link io.inlay.engine.internal.io.queue.ReadQueue} whose {@code open} refuses in one line where the
 *       kernel does not allow io_uring, so the I/O layer can fall back to its pread threads.</li>
 *   <li>{@code Ring}: one io_uring instance, its mappings and its memory ordering.</li>
 *   <li>{@code RingSetup}: the kernel-facing choices (flags, features relied on), and why.</li>
 *   <li>{@code Abi}: the kernel's structures and constants, their layouts drawn.</li>
 *   <li>{@code Linux}: the C library bindings and error names.</li>
 * </ul>
 */
package io.inlay.engine.internal.io.uring;
