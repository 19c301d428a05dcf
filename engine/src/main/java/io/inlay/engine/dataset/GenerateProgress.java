package io.inlay.engine.dataset;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a generation run, updated by the generator's threads as pages reach the disk
 * and read by whoever reports progress (any thread). Work is counted in files of this rank; a
 * partitioned file index counts once however many partition files it makes.
 */
public final class GenerateProgress {
    private final AtomicInteger filesTotal = new AtomicInteger();
    private final AtomicInteger filesDone = new AtomicInteger();
    private final AtomicLong expectedBytes = new AtomicLong();
    private final LongAdder bytes = new LongAdder();

    void start(int files, long estimatedBytes) {
        filesTotal.set(files);
        expectedBytes.set(estimatedBytes);
    }

    void addBytes(long n) {
        bytes.add(n);
    }

    void fileDone() {
        filesDone.incrementAndGet();
    }

    /** Files (file indices) this rank has to produce. */
    public int filesTotal() {
        return filesTotal.get();
    }

    /** Files done: written or skipped. */
    public int filesDone() {
        return filesDone.get();
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return bytes.sum();
    }

    /** A rough estimate of the bytes to write (uncompressed values), for ETAs. */
    public long expectedBytes() {
        return expectedBytes.get();
    }

    /**
     * The fraction of the work done, 0..1, from whichever of files and bytes is further along; 0
     * before the run has counted its files.
     */
    public double fractionDone() {
        int total = filesTotal();
        if (total == 0) {
            return 0;
        }
        double byFiles = (double) filesDone() / total;
        long expected = expectedBytes();
        double byBytes = expected == 0 ? 0 : Math.min(1, (double) bytesWritten() / expected);
        return Math.max(byFiles, byBytes);
    }
}
