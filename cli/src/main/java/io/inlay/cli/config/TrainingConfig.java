package io.inlay.cli.config;

import io.inlay.cli.run.ComputeTime;
import io.inlay.cli.run.Shuffle;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.read.ReadOptions;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a DLIO workload config that drive a training read, with DLIO's defaults:
 * {@code reader.*} (batch_size, batch_size_eval, read_threads, prefetch_size, file_shuffle,
 * sample_shuffle), {@code train.*} (epochs, computation_time as a number or a normal/uniform
 * distribution, total_training_steps, seed, seed_change_epoch, and Inlay's step_barrier),
 * {@code evaluation.*} (eval_time, eval_after_epoch, epochs_between_evals), {@code metric.au},
 * {@code output.metric.exclude_start_steps/exclude_end_steps} and {@code workflow.*}; and how the
 * reader reads storage: {@code reader.io_engine} (auto, mmap, pread, direct, io_uring),
 * {@code reader.io_depth}, {@code reader.transfer_size} (DLIO's key, bytes) and DLIO's
 * {@code reader.odirect} (true: the direct engine, unless io_engine names io_uring) and
 * {@code reader.dont_use_mmap} (true: the pread engine, unless io_engine names another that maps
 * nothing). Immutable.
 *
 * @param prefetchSize batches in flight per reader thread (DLIO's default 2; its 0 also means 2)
 * @param totalTrainingSteps {@code train.total_training_steps}, -1 when unset
 * @param au {@code metric.au} as a fraction (DLIO's default 0.90)
 * @param stepBarrier {@code train.step_barrier}: DLIO's barrier after every step (default true; it costs at scale)
 * @param evaluation {@code workflow.evaluation}
 * @param generateData {@code workflow.generate_data}, null when the config does not say
 * @param train {@code workflow.train} (default true)
 * @param checkpoint {@code workflow.checkpoint} (default false; Inlay does not checkpoint)
 * @param readOptions the reader's options: its I/O engine, queue depth and transfer size from the keys above
 */
public record TrainingConfig(int batchSize, int readThreads, int prefetchSize, Shuffle fileShuffle, Shuffle sampleShuffle,
        int epochs, ComputeTime computeTime, long totalTrainingSteps, long seed, boolean seedChangeEpoch, double au,
        int batchSizeEval, ComputeTime evalTime, int evalAfterEpoch, int epochsBetweenEvals, int excludeStartSteps,
        int excludeEndSteps, boolean stepBarrier, boolean evaluation, Boolean generateData, boolean train, boolean checkpoint,
        ReadOptions readOptions) {

    /** DLIO's default seed ({@code train.seed}). */
    public static final long DEFAULT_SEED = 123;
    /** DLIO's default {@code metric.au}. */
    public static final double DEFAULT_AU = 0.90;
    /** DLIO's default {@code reader.prefetch_size}. */
    public static final int DEFAULT_PREFETCH = 2;

    /**
     * Maps the sections of a loaded config.
     *
     * @throws ConfigException naming the key path and the bad value
     */
    public static TrainingConfig of(WorkloadConfig config) throws ConfigException {
        Optional<ConfigNode> reader = config.section("reader");
        Optional<ConfigNode> train = config.section("train");
        Optional<ConfigNode> metric = config.section("metric");
        int batchSize = 1;
        int batchSizeEval = 1;
        int threads = 1;
        int prefetch = DEFAULT_PREFETCH;
        Shuffle fileShuffle = Shuffle.OFF;
        Shuffle sampleShuffle = Shuffle.OFF;
        ReadOptions io = ReadOptions.DEFAULT;
        if (reader.isPresent()) {
            io = ioOptions(reader.get());
        }
        if (reader.isPresent()) {
            ConfigNode r = reader.get();
            batchSize = r.intValue("batch_size", 1, 1);
            batchSizeEval = r.intValue("batch_size_eval", 1, 1);
            threads = r.intValue("read_threads", 1, 0);
            if (threads == 0) {
                threads = 1; // DLIO's 0 reads on the main thread: one reader here
            }
            prefetch = r.intValue("prefetch_size", DEFAULT_PREFETCH, 0);
            if (prefetch == 0) {
                prefetch = DEFAULT_PREFETCH; // as DLIO's loaders take it
            }
            fileShuffle = shuffle(r, "file_shuffle");
            sampleShuffle = shuffle(r, "sample_shuffle");
        }
        int epochs = 1;
        ComputeTime compute = ComputeTime.constant(0);
        long steps = -1;
        long seed = DEFAULT_SEED;
        boolean seedChange = true;
        boolean stepBarrier = true;
        if (train.isPresent()) {
            ConfigNode t = train.get();
            epochs = t.intValue("epochs", 1, 1);
            compute = computeTime(t, "computation_time", "computation_time_stdev");
            steps = t.longValue("total_training_steps", -1, -1);
            if (steps == 0) {
                throw new ConfigException(t.pathOf("total_training_steps"), "0 steps: use -1 for the whole dataset");
            }
            seed = t.longValue("seed", DEFAULT_SEED, Long.MIN_VALUE);
            seedChange = t.bool("seed_change_epoch", true);
            stepBarrier = t.bool("step_barrier", true);
        }
        double au = DEFAULT_AU;
        if (metric.isPresent() && metric.get().has("au")) {
            au = metric.get().doubleValue("au", DEFAULT_AU);
            if (au < 0 || au > 1) {
                throw new ConfigException(metric.get().pathOf("au"), au + " must be a fraction between 0 and 1 (0.70 for 70%)");
            }
        }
        ComputeTime evalTime = ComputeTime.constant(0);
        int evalAfter = 1;
        int evalEvery = 1;
        Optional<ConfigNode> evaluation = config.section("evaluation");
        if (evaluation.isPresent()) {
            ConfigNode e = evaluation.get();
            evalTime = computeTime(e, "eval_time", "eval_time_stdev");
            evalAfter = e.intValue("eval_after_epoch", 1, 0);
            evalEvery = e.intValue("epochs_between_evals", 1, 1);
        }
        int excludeStart = 1;
        int excludeEnd = 0;
        Optional<ConfigNode> output = config.section("output");
        if (output.isPresent()) {
            Optional<ConfigNode> m = output.get().section("metric");
            if (m.isPresent()) {
                excludeStart = m.get().intValue("exclude_start_steps", 1, 0);
                excludeEnd = m.get().intValue("exclude_end_steps", 0, 0);
            }
        }
        boolean doEval = false;
        Boolean generate = null;
        boolean doTrain = true;
        boolean checkpoint = false;
        Optional<ConfigNode> workflow = config.section("workflow");
        if (workflow.isPresent()) {
            ConfigNode w = workflow.get();
            doEval = w.bool("evaluation", false);
            generate = w.has("generate_data") ? w.bool("generate_data", false) : null;
            doTrain = w.bool("train", true);
            checkpoint = w.bool("checkpoint", false);
        }
        return new TrainingConfig(batchSize, threads, prefetch, fileShuffle, sampleShuffle, epochs, compute, steps, seed,
                seedChange, au, batchSizeEval, evalTime, evalAfter, evalEvery, excludeStart, excludeEnd, stepBarrier, doEval,
                generate, doTrain, checkpoint, io);
    }

    /** {@code reader.io_engine}, {@code io_depth}, {@code transfer_size} and {@code odirect}. */
    private static ReadOptions ioOptions(ConfigNode r) throws ConfigException {
        ReadOptions o = ReadOptions.DEFAULT;
        IoEngine engine = null;
        if (r.has("io_engine")) {
            Object v = r.raw("io_engine");
            if (!(v instanceof String name)) {
                throw new ConfigException(r.pathOf("io_engine"), "'" + v + "' is not an I/O engine; valid: " + IoEngine.validNames());
            }
            try {
                engine = IoEngine.parse(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(r.pathOf("io_engine"), "'" + name + "' is not an I/O engine; valid: "
                        + IoEngine.validNames());
            }
        }
        if (r.has("odirect") && r.bool("odirect", false)) {
            if (engine == null || engine == IoEngine.AUTO) {
                engine = IoEngine.DIRECT;
            } else if (engine != IoEngine.DIRECT && engine != IoEngine.IO_URING) {
                throw new ConfigException(r.pathOf("odirect"), "true asks for O_DIRECT reads, but " + r.pathOf("io_engine")
                        + " is " + engine.configName() + "; leave one out, or use direct or io_uring");
            }
        }
        if (r.has("dont_use_mmap") && r.bool("dont_use_mmap", false)) {
            // DLIO's readers then read() the file instead of mapping it: the pread engine, unless another that maps nothing is named
            if (engine == null || engine == IoEngine.AUTO) {
                engine = IoEngine.PREAD;
            } else if (engine == IoEngine.MMAP) {
                throw new ConfigException(r.pathOf("dont_use_mmap"), "True asks for reads without mapping the files, but "
                        + r.pathOf("io_engine") + " is mmap; leave one out, or use pread, direct or io_uring");
            }
        }
        if (engine != null) {
            o = o.withIoEngine(engine);
        }
        int depth = r.intValue("io_depth", ReadOptions.DEFAULT_IO_DEPTH, 1);
        if (depth > 1024) {
            throw new ConfigException(r.pathOf("io_depth"), depth + " reads in flight is more than the 1024 allowed");
        }
        o = o.withIoDepth(depth);
        long transfer = r.longValue("transfer_size", ReadOptions.DEFAULT_TRANSFER_SIZE, 1);
        if (transfer < 4096 || transfer > 64L << 20) {
            throw new ConfigException(r.pathOf("transfer_size"), transfer + " bytes per read: must be 4096 (4 KiB) to"
                    + " 67108864 (64 MiB)");
        }
        return o.withTransferSize(transfer);
    }

    private static Shuffle shuffle(ConfigNode r, String key) throws ConfigException {
        Object v = r.raw(key);
        try {
            return Shuffle.fromConfig(r.pathOf(key), v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.pathOf(key), "'" + v + "' is not a shuffle mode; valid: " + Shuffle.VALID);
        }
    }

    private static ComputeTime computeTime(ConfigNode t, String key, String stdevKey) throws ConfigException {
        Object v = t.raw(key);
        if (v == null) {
            return ComputeTime.constant(0);
        }
        if (!(v instanceof java.util.Map<?, ?>)) {
            double s = t.doubleValue(key, 0);
            double stdev = t.doubleValue(stdevKey, 0);
            return check(t, key, s, stdev, stdev > 0 ? ComputeTime.normal(s, stdev) : null);
        }
        ConfigNode d = t.section(key).orElseThrow();
        String type = d.string("type", d.has("min") || d.has("max") ? "uniform" : "normal").toLowerCase(Locale.ROOT);
        return switch (type) {
            case "normal" -> {
                double mean = d.doubleValue("mean", 0);
                double stdev = d.doubleValue("stdev", 0);
                yield check(d, "mean", mean, stdev, ComputeTime.normal(mean, stdev));
            }
            case "uniform" -> {
                double min = d.doubleValue("min", 0);
                double max = d.doubleValue("max", min);
                if (min < 0 || max < min) {
                    throw new ConfigException(d.pathOf("min"), "uniform computation time needs 0 <= min <= max, got " + min
                            + ".." + max);
                }
                yield ComputeTime.uniform(min, max);
            }
            default -> throw new ConfigException(d.pathOf("type"), "'" + type
                    + "' is not a supported distribution; valid: normal, uniform (or a number of seconds)");
        };
    }

    private static ComputeTime check(ConfigNode n, String key, double mean, double stdev, ComputeTime chosen)
            throws ConfigException {
        if (mean < 0 || Double.isNaN(mean) || Double.isInfinite(mean)) {
            throw new ConfigException(n.pathOf(key), mean + " seconds must be 0 or more");
        }
        if (stdev < 0) {
            throw new ConfigException(n.pathOf("stdev"), stdev + " must be 0 or more");
        }
        return chosen != null ? chosen : ComputeTime.constant(mean);
    }
}
