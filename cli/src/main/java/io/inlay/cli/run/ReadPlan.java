package io.inlay.cli.run;

import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a training-read run needs, independent of how it was configured.
 *
 * @param files this rank's files, in natural order
 * @param columns the columns to read (those with {@code read: true}); each file is validated against them
 * @param readMode whole file at once, or one row group at a time into reused buffers
 * @param threads worker threads reading files ({@code reader.read_threads})
 * @param batchSize samples per batch ({@code reader.batch_size})
 * @param prefetch batches in flight per worker ({@code reader.prefetch_size}, 0 meaning 2 as in DLIO)
 * @param epochs epochs ({@code train.epochs})
 * @param computeTime the accelerator's time per step ({@code train.computation_time})
 * @param totalTrainingSteps stop an epoch after this many steps (-1: read the whole dataset)
 * @param fileShuffle how files are ordered each epoch
 * @param sampleShuffle how samples are ordered within a file (within a row group in row_group mode)
 * @param seed the seed of seeded shuffles and of the compute-time distribution ({@code train.seed})
 * @param seedChangeEpoch whether seeded orders change from epoch to epoch ({@code train.seed_change_epoch})
 * @param evictCache drop each file from the page cache after it is read, so every epoch reads the device
 * @param auExpected the accelerator utilisation to meet, as a fraction ({@code metric.au}), or -1
 * @param rank this process's rank
 * @param worldSize the number of ranks
 * @param config the configuration used, recorded in the JSON output
 */
public record ReadPlan(
        List<Path> files,
        List<ColumnSpec> columns,
        ReadMode readMode,
        int threads,
        int batchSize,
        int prefetch,
        int epochs,
        ComputeTime computeTime,
        long totalTrainingSteps,
        Shuffle fileShuffle,
        Shuffle sampleShuffle,
        long seed,
        boolean seedChangeEpoch,
        boolean evictCache,
        double auExpected,
        int rank,
        int worldSize,
        Map<String, Object> config) {

    public ReadPlan {
        files = List.copyOf(files);
        columns = List.copyOf(columns);
        Objects.requireNonNull(readMode, "readMode");
        Objects.requireNonNull(computeTime, "computeTime");
        Objects.requireNonNull(fileShuffle, "fileShuffle");
        Objects.requireNonNull(sampleShuffle, "sampleShuffle");
        config = config == null ? Map.of() : config;
        if (threads < 1) {
            throw new IllegalArgumentException("reader.read_threads: " + threads + " must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("reader.batch_size: " + batchSize + " must be at least 1");
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("reader.prefetch_size: " + prefetch + " must be 0 or more");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("train.epochs: " + epochs + " must be at least 1");
        }
        if (rank < 0 || worldSize < 1 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is not in a world of " + worldSize);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("dataset.parquet.columns: no column has read: true");
        }
    }

    /** Batches in flight per worker: DLIO turns a prefetch size of 0 into 2. */
    public int effectivePrefetch() {
        return prefetch == 0 ? 2 : prefetch;
    }
}
