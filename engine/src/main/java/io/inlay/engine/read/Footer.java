package io.inlay.engine.read;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.internal.io.IoFile;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.io.IoEngine;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What opening a file does before a {@link ParquetFile} exists, for {@link ParquetFile#open} and for
 * {@link NextFile}'s read ahead alike: the footer read and validated, the I/O engine chosen.
 */
final class Footer {
    private Footer() {}

    /** The footer is read with one pread of the file's last 64 KiB (more when it is larger). */
    private static final long FOOTER_READ = 64 << 10;

    /** The footer read (with pread, through the page cache), into memory that lives for the parse. */
    static FileStructure read(IoFile io, ReadOptions options) throws IOException {
        long size = io.size();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Posix.newCallState(arena);
            long tailLength = Math.min(size, FOOTER_READ);
            MemorySegment tail = arena.allocate(Math.max(1, tailLength), 8).asSlice(0, tailLength);
            long tailStart = size - tailLength;
            long got = io.readFully(tailStart, tail, state);
            if (got < tailLength) {
                throw new ParquetCorruptionException(io.name() + ": the file changed or was truncated while being read");
            }
            FileStructure.Source source = (offset, length) -> {
                if (offset >= tailStart) {
                    return tail.asSlice(offset - tailStart, length);
                }
                MemorySegment m = arena.allocate(Math.max(1, length), 8).asSlice(0, length);
                if (io.readFully(offset, m, state) < length) {
                    throw new ParquetCorruptionException(io.name() + ": the file changed or was truncated while being read");
                }
                return m;
            };
            return FileStructure.read(io.name(), size, source, options.maxFooterBytes());
        }
    }

    /**
     * {@link IoEngine#AUTO}'s choice: mmap when at least half of the file's page data is in the page
     * cache (or that cannot be known), else io_uring (O_DIRECT; reads through a worker's
     * {@link ReadBuffers} are submitted with io_uring where the kernel allows it, other reads with
     * pread threads).
     */
    static IoEngine resolveEngine(IoEngine wanted, IoFile io, FileStructure structure) {
        if (wanted != IoEngine.AUTO) {
            return wanted;
        }
        long data = structure.dataEnd() - 4;
        if (data <= 0) {
            return IoEngine.MMAP;
        }
        long cached = io.cachedBytes(4, data);
        return cached < 0 || 2 * cached >= data ? IoEngine.MMAP : IoEngine.IO_URING;
    }
}
