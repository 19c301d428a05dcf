package io.inlay.bench.cold;

import io.inlay.engine.read.PageCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a case's files in the state a run needs, right before it, and reports what the kernel says
 * was achieved: out of the page cache ({@link PageCache#evict}: {@code posix_fadvise(DONTNEED)},
 * residency before and after from {@code mincore}), or in it (read once, residency checked).
 *
 * <p>Pages stay resident while anything maps them or while they are dirty, so before evicting, a
 * garbage collection runs (readers that map through {@code MappedByteBuffer}, such as Hardwood,
 * unmap only when their buffers are collected); files that stay resident are flushed
 * ({@code fsync}) and evicted once more.
 */
final class CacheControl {
    private CacheControl() {}

    /** One page: as an eviction that leaves a page resident counts as worked, a warm-up that misses one counts as hot. */
    private static final long PAGE = 4096;

    /**
     * What preparing the page cache achieved for a case's files.
     *
     * @param cache what was asked
     * @param files the case's files
     * @param fileBytes their bytes
     * @param residentBefore bytes resident before (whole pages), summed over the files
     * @param residentAfter bytes resident after
     * @param filesOk files that ended as asked (evicted: at most one page left; hot: at most one page missing)
     * @param attempts eviction passes made (1, or 2 when a first pass left pages)
     */
    record Report(ColdContender.Cache cache, int files, long fileBytes, long residentBefore, long residentAfter,
            int filesOk, int attempts) {
        boolean worked() {
            return filesOk == files;
        }
    }

    static Report prepare(ColdContender.Cache cache, List<Path> files) throws IOException {
        return cache == ColdContender.Cache.COLD ? evict(files) : warm(files);
    }

    /** Evicts the files; see the class comment. */
    static Report evict(List<Path> files) throws IOException {
        System.gc();
        long size = 0;
        long before = 0;
        long after = 0;
        int ok = 0;
        int attempts = 1;
        List<Path> stayed = new ArrayList<>();
        for (Path f : files) {
            PageCache.Eviction e = PageCache.evict(f);
            size += e.fileBytes();
            before += Math.max(0, e.residentBefore());
            if (e.worked()) {
                ok++;
                after += Math.max(0, e.residentAfter());
            } else {
                stayed.add(f);
            }
        }
        if (!stayed.isEmpty()) {
            attempts = 2;
            System.gc();
            for (Path f : stayed) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    ch.force(true);
                } catch (IOException e) {
                    // a read-only file cannot be dirty: evict it again as it is
                }
                PageCache.Eviction e = PageCache.evict(f);
                if (e.worked()) {
                    ok++;
                }
                after += Math.max(0, e.residentAfter());
            }
        }
        return new Report(ColdContender.Cache.COLD, files.size(), size, before, after, ok, attempts);
    }

    /** Reads every file once (1 MiB at a time) so that the page cache holds it, and checks it does. */
    static Report warm(List<Path> files) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long size = 0;
        long before = 0;
        long after = 0;
        int ok = 0;
        for (Path f : files) {
            long resident = PageCache.residentBytes(f);
            before += Math.max(0, resident);
            long fileSize;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                fileSize = ch.size();
                long pos = 0;
                while (pos < fileSize) {
                    buffer.clear();
                    int n = ch.read(buffer, pos);
                    if (n < 0) {
                        break;
                    }
                    pos += n;
                }
            }
            size += fileSize;
            long now = PageCache.residentBytes(f);
            after += Math.max(0, now);
            if (now >= fileSize - PAGE) {
                ok++;
            }
        }
        return new Report(ColdContender.Cache.HOT, files.size(), size, before, after, ok, 1);
    }
}
