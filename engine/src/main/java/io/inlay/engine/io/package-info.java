/**
 * How a file's bytes get from storage to the reader, as callers choose and see it:
 * {@link io.inlay.engine.io.IoEngine} (mmap, pread, O_DIRECT, io_uring, or chosen per file) and
 * {@link io.inlay.engine.io.IoStats} (what reading cost in storage terms). The engines themselves
 * are internal ({@code io.inlay.engine.internal.io}); this package depends on nothing of Inlay, so
 * both the reader and its I/O layer can name these types.
 */
package io.inlay.engine.io;
