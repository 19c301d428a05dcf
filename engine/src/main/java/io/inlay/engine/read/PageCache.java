package io.inlay.engine.read;

import io.inlay.engine.internal.os.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's page cache as a storage benchmark needs it: how much of a file is cached, and a
 * request to drop it so that the next read comes from the device ({@code posix_fadvise}
 * {@code POSIX_FADV_DONTNEED}, through {@code java.lang.foreign}). Linux only; elsewhere
 * {@link #supported()} is false and nothing is done. Thread-safe.
 */
public final class PageCache {
    private PageCache() {}

    /** What an eviction did. */
    public record Eviction(long fileBytes, long residentBefore, long residentAfter, int error) {
        /** Whether the file is (nearly) out of the page cache: at most one page left resident. */
        public boolean worked() {
            return error == 0 && residentAfter >= 0 && residentAfter <= Posix.PAGE_SIZE;
        }
    }

    /** Whether eviction and residency checks work on this platform. */
    public static boolean supported() {
        return Posix.available();
    }

    /** Bytes of the file resident in the page cache (whole pages), or -1 when unknown. */
    public static long residentBytes(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (size == 0) {
                return 0;
            }
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return Posix.residentBytes(m);
        }
    }

    /**
     * Bytes of {@code [offset, offset + length)} of the file resident in the page cache (counted
     * in whole pages, so up to a page more at each end), or -1 when unknown.
     */
    public static long residentBytes(Path file, long offset, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (offset < 0 || length < 0 || offset > size - length) {
                throw new IllegalArgumentException("range " + offset + "+" + length + " is outside the file of " + size + " bytes");
            }
            if (length == 0) {
                return 0;
            }
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long start = offset & -Posix.PAGE_SIZE;
            return Posix.residentBytes(m.asSlice(start, offset + length - start));
        }
    }

    /**
     * Drops the file from the page cache and reports how much was resident before and after. The
     * file must not be mapped by this process (close its {@link ParquetFile} first): mapped pages stay.
     */
    public static Eviction evict(Path file) throws IOException {
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
        }
        long before = residentBytes(file);
        int error = Posix.dropFromPageCache(file.toString());
        long after = residentBytes(file);
        return new Eviction(size, before, after, error);
    }
}
