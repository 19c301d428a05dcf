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
 * @param files this rank's training files, in natural order (empty for an idle rank)
 * @param columns the columns to read (those with {@code read: true}); each file is validated against them
 * @param readMode whole file at once, or one row group at a time into reused buffers
 * @param threads worker threads reading files ({@code reader.read_threads})
 * @param batchSize samples per step ({@code reader.batch_size})
 * @param prefetch batches in flight per worker ({@code reader.prefetch_size}; DLIO's 0 is already turned into 2)
 * @param epochs epochs ({@code train.epochs})
 * @param computeTime the accelerator's time per step ({@code train.computation_time})
 * @param stepsPerEpoch whole batches consumed per epoch, agreed by every rank (DLIO's
 *     {@code floor(samples_per_file * num_files / batch_size / world_size)}, capped by
 *     {@code train.total_training_steps} and by the smallest rank's share)
 * @param fileShuffle how files are ordered each epoch
 * @param sampleShuffle how samples are ordered within a file (within a row group in row_group mode)
 * @param seed the seed of seeded shuffles and of the compute-time distribution ({@code train.seed})
 * @param seedChangeEpoch whether seeded orders change from epoch to epoch ({@code train.seed_change_epoch})
 * @param evictCache drop each file from the page cache after it is read, so every epoch reads the device
 * @param auExpected the accelerator utilisation to meet, as a fraction ({@code metric.au}, DLIO's default 0.90)
 * @param rank this process's rank
 * @param worldSize the number of ranks
 * @param recordLength {@code dataset.record_length_bytes}: DLIO's I/O figure is samples/s times this
 * @param excludeStartSteps steps left out of the metric window at the start ({@code output.metric.exclude_start_steps})
 * @param excludeEndSteps steps left out at the end ({@code output.metric.exclude_end_steps})
 * @param evaluation the evaluation phase, or null when {@code workflow.evaluation} is off
 * @param config the configuration used, recorded in the JSON output
 * @param readOptions how files are read (the I/O engine, queue depth and transfer size: {@code reader.io_*})
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
        long stepsPerEpoch,
        Shuffle fileShuffle,
        Shuffle sampleShuffle,
        long seed,
        boolean seedChangeEpoch,
        boolean evictCache,
        double auExpected,
        int rank,
        int worldSize,
        double recordLength,
        int excludeStartSteps,
        int excludeEndSteps,
        Evaluation evaluation,
        Map<String, Object> config,
        io.inlay.engine.read.ReadOptions readOptions) {

    /**
     * The evaluation DLIO runs after training epochs ({@code workflow.evaluation: True}).
     *
     * @param files this rank's evaluation files ({@code valid/})
     * @param batchSize {@code reader.batch_size_eval}
     * @param time {@code evaluation.eval_time} per step
     * @param steps steps per evaluation
     * @param afterEpoch the first epoch followed by an evaluation ({@code evaluation.eval_after_epoch})
     * @param everyEpochs epochs between evaluations ({@code evaluation.epochs_between_evals})
     */
    public record Evaluation(List<Path> files, int batchSize, ComputeTime time, long steps, int afterEpoch, int everyEpochs) {
        public Evaluation {
            files = List.copyOf(files);
            Objects.requireNonNull(time, "time");
            if (batchSize < 1) {
                throw new IllegalArgumentException("reader.batch_size_eval: " + batchSize + " must be at least 1");
            }
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("evaluation.epochs_between_evals: " + everyEpochs + " must be at least 1");
            }
        }

        /** Whether an evaluation follows {@code epoch}. */
        public boolean after(int epoch) {
            return epoch >= afterEpoch && (epoch - afterEpoch) % everyEpochs == 0;
        }
    }

    public ReadPlan {
        files = List.copyOf(files);
        columns = List.copyOf(columns);
        Objects.requireNonNull(readMode, "readMode");
        Objects.requireNonNull(computeTime, "computeTime");
        Objects.requireNonNull(fileShuffle, "fileShuffle");
        Objects.requireNonNull(sampleShuffle, "sampleShuffle");
        config = config == null ? Map.of() : config;
        readOptions = readOptions == null ? io.inlay.engine.read.ReadOptions.DEFAULT : readOptions;
        if (threads < 1) {
            throw new IllegalArgumentException("reader.read_threads: " + threads + " must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("reader.batch_size: " + batchSize + " must be at least 1");
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("reader.prefetch_size: " + prefetch + " must be at least 1");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("train.epochs: " + epochs + " must be at least 1");
        }
        if (stepsPerEpoch < 0) {
            throw new IllegalArgumentException("steps per epoch: " + stepsPerEpoch + " must be 0 or more");
        }
        if (rank < 0 || worldSize < 1 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is not in a world of " + worldSize);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("dataset.parquet.columns: no column has read: true");
        }
        if (excludeStartSteps < 0 || excludeEndSteps < 0) {
            throw new IllegalArgumentException("output.metric.exclude_start_steps/exclude_end_steps must be 0 or more");
        }
    }

    /** DLIO's steps per epoch: the epoch's samples split over ranks, whole batches only. */
    public static long dlioSteps(long samplesPerFile, long files, int batchSize, int worldSize) {
        return samplesPerFile * files / ((long) batchSize * worldSize);
    }

    /** Batches in flight per worker. */
    public int effectivePrefetch() {
        return prefetch;
    }
}
