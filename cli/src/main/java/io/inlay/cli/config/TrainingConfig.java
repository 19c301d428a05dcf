package io.inlay.cli.config;

import io.inlay.cli.run.ComputeTime;
import io.inlay.cli.run.Shuffle;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a DLIO workload config that drive a training read: {@code reader.*}
 * (batch_size, read_threads, prefetch_size, file_shuffle, sample_shuffle), {@code train.*}
 * (epochs, computation_time as a number or a normal/uniform distribution, total_training_steps,
 * seed, seed_change_epoch) and {@code metric.au}. Defaults are DLIO's. Immutable.
 */
public record TrainingConfig(int batchSize, int readThreads, int prefetchSize, Shuffle fileShuffle, Shuffle sampleShuffle,
        int epochs, ComputeTime computeTime, long totalTrainingSteps, long seed, boolean seedChangeEpoch, double au) {

    /** DLIO's default seed ({@code train.seed}). */
    public static final long DEFAULT_SEED = 123;

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
        int threads = 1;
        int prefetch = 0;
        Shuffle fileShuffle = Shuffle.OFF;
        Shuffle sampleShuffle = Shuffle.OFF;
        if (reader.isPresent()) {
            ConfigNode r = reader.get();
            batchSize = r.intValue("batch_size", 1, 1);
            threads = r.intValue("read_threads", 1, 0);
            if (threads == 0) {
                threads = 1; // DLIO's 0 reads on the main thread: one reader here
            }
            prefetch = r.intValue("prefetch_size", 0, 0);
            fileShuffle = shuffle(r, "file_shuffle");
            sampleShuffle = shuffle(r, "sample_shuffle");
        }
        int epochs = 1;
        ComputeTime compute = ComputeTime.constant(0);
        long steps = -1;
        long seed = DEFAULT_SEED;
        boolean seedChange = true;
        if (train.isPresent()) {
            ConfigNode t = train.get();
            epochs = t.intValue("epochs", 1, 1);
            compute = computeTime(t);
            steps = t.longValue("total_training_steps", -1, -1);
            if (steps == 0) {
                throw new ConfigException(t.pathOf("total_training_steps"), "0 steps: use -1 for the whole dataset");
            }
            seed = t.longValue("seed", DEFAULT_SEED, Long.MIN_VALUE);
            seedChange = t.bool("seed_change_epoch", true);
        }
        double au = -1;
        if (metric.isPresent() && metric.get().has("au")) {
            au = metric.get().doubleValue("au", -1);
            if (au < 0 || au > 1) {
                throw new ConfigException(metric.get().pathOf("au"), au + " must be a fraction between 0 and 1 (0.70 for 70%)");
            }
        }
        return new TrainingConfig(batchSize, threads, prefetch, fileShuffle, sampleShuffle, epochs, compute, steps, seed,
                seedChange, au);
    }

    private static Shuffle shuffle(ConfigNode r, String key) throws ConfigException {
        Object v = r.raw(key);
        try {
            return Shuffle.fromConfig(r.pathOf(key), v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.pathOf(key), "'" + v + "' is not a shuffle mode; valid: " + Shuffle.VALID);
        }
    }

    private static ComputeTime computeTime(ConfigNode t) throws ConfigException {
        String key = "computation_time";
        Object v = t.raw(key);
        if (v == null) {
            return ComputeTime.constant(0);
        }
        if (!(v instanceof java.util.Map<?, ?>)) {
            double s = t.doubleValue(key, 0);
            double stdev = t.doubleValue("computation_time_stdev", 0);
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
