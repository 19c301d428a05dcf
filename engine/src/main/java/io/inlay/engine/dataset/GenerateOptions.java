package io.inlay.engine.dataset;

import io.inlay.engine.write.WriterOptions;
import java.util.Objects;

/**
 * How to generate a dataset (what to generate is the {@link DatasetSpec}). Immutable.
 *
 * @param seed the values' seed: the same spec and seed give byte-identical files
 * @param threads files written at once by this process
 * @param rank this process's rank: it writes files {@code rank, rank + worldSize, ...} of each split
 * @param worldSize processes sharing the work
 * @param overwrite rewrite files that exist and verify (by default they are skipped)
 * @param writer page version, page size, encodings, CRCs, statistics, compression level and fsync;
 *     the codec, row group size and key-value metadata come from the spec and are set per file
 * @param keepCached leave the files in the page cache ({@link #defaults()}: true). False: each file,
 *     written or kept, is forced to the device with {@code fdatasync} and dropped from the page cache
 *     with {@code posix_fadvise(DONTNEED)} once it is complete, so that a read right after generation
 *     reads the device, as a storage benchmark's reads of a dataset five times the memory do
 *     ({@code inlay generate} does this unless {@code --keep-cached}); such files are written with
 *     {@link WriterOptions#direct()} ({@code O_DIRECT}), so they never enter the page cache at all
 */
public record GenerateOptions(long seed, int threads, int rank, int worldSize, boolean overwrite, WriterOptions writer,
        boolean keepCached) {

    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 42;

    public GenerateOptions {
        Objects.requireNonNull(writer, "writer");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " must be at least 1");
        }
        if (worldSize < 1) {
            throw new IllegalArgumentException("world size " + worldSize + " must be at least 1");
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (worldSize - 1));
        }
    }

    /** The default seed, one thread, a single rank, no overwrite, default writer options, files left cached. */
    public static GenerateOptions defaults() {
        return new GenerateOptions(DEFAULT_SEED, 1, 0, 1, false, WriterOptions.defaults(), true);
    }

    public GenerateOptions withSeed(long s) {
        return new GenerateOptions(s, threads, rank, worldSize, overwrite, writer, keepCached);
    }

    public GenerateOptions withThreads(int n) {
        return new GenerateOptions(seed, n, rank, worldSize, overwrite, writer, keepCached);
    }

    public GenerateOptions withRank(int r, int size) {
        return new GenerateOptions(seed, threads, r, size, overwrite, writer, keepCached);
    }

    public GenerateOptions withOverwrite(boolean on) {
        return new GenerateOptions(seed, threads, rank, worldSize, on, writer, keepCached);
    }

    /** Whether the files stay in the page cache after generation (see {@link #keepCached()}). */
    public GenerateOptions withKeepCached(boolean keep) {
        return new GenerateOptions(seed, threads, rank, worldSize, overwrite, writer, keep);
    }

    public GenerateOptions withWriter(WriterOptions w) {
        return new GenerateOptions(seed, threads, rank, worldSize, overwrite, w, keepCached);
    }
}
