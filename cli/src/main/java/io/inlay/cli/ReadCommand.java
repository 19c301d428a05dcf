package io.inlay.cli;

import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.dlio.ResultFolder;
import io.inlay.cli.run.ReadPlan;
import io.inlay.cli.run.TrainingRead;
import io.inlay.engine.dataset.DatasetLayout;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.Split;
import io.inlay.engine.schema.ColumnSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay read --config FILE [key=value ...]}: replays a workload's training reads against the
 * dataset {@code generate} made for the same config, with Inlay's reader, as DLIO runs them
 * (steps, barriers, evaluation, metrics: see {@link Workflow}), and writes DLIO's result folder.
 * Under mpirun or srun the ranks talk through MPI. Config errors: one line, exit 2; a missing
 * dataset or a file that fails validation: one line, exit 1; Ctrl-C: partial results, exit 130.
 */
@Command(name = "read", sortOptions = false,
        description = {"Run a DLIO-style training read over the dataset of a workload config; write DLIO's result folder.",
            "Overrides: key=value pairs such as reader.read_threads=4 (also ++workload.reader.read_threads=4)."})
final class ReadCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The workload YAML.")
    Path config;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "DLIO's result folder (default: output.folder, else"
            + " results/<workload>/<time>).")
    Path output;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write this rank's figures as JSON to FILE ('-': standard"
            + " output, the report then goes to standard error; {rank} in the name is replaced by the rank; under mpirun"
            + " without it, .<rank> goes before the extension).")
    Path json;

    @Option(names = "--evict-cache", description = "Drop each file from the page cache after reading it, so every epoch"
            + " reads the device (posix_fadvise DONTNEED); the report says whether eviction worked.")
    boolean evictCache;

    @Option(names = "--allow-idle-ranks", description = "Let a rank with no files take part without reading (otherwise an error).")
    boolean allowIdleRanks;

    @Option(names = "--list-files", description = "Embed this rank's file list in the JSON (by default: its count and SHA-256).")
    boolean listFiles;

    @Option(names = "--trace", description = "Write this rank's timeline (Chrome trace-event JSON as dftracer writes it:"
            + " trace-{rank}-of-{size}.pfw) into the result folder: file opens, storage reads, decoding, each step's wait and"
            + " compute, barriers. Also workflow.profiling=True, or DFTRACER_ENABLE=1.")
    boolean trace;

    @Option(names = "--trace-gzip", description = "The same, gzip-compressed (.pfw.gz); also profiling.trace_compression=True"
            + " or DFTRACER_TRACE_COMPRESSION=1.")
    boolean traceGzip;

    @Mixin
    RankOptions ranks = new RankOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    IoFlags io = new IoFlags();

    @Spec
    CommandSpec spec;

    /** The environment ranks are read from; tests replace it. */
    Map<String, String> environment = System.getenv();

    /** How messages start: {@code inlay read}, or {@code inlay run} when run runs it. */
    String name = "inlay read";

    @Override
    public Integer call() {
        overrides = io.apply(overrides);
        PrintWriter err = spec.commandLine().getErr();
        WorkloadConfig workload = null;
        TrainingConfig training;
        try {
            OutputFiles.check(json, "--json");
            workload = ConfigLoader.load(config, overrides);
            training = TrainingConfig.of(workload);
        } catch (ConfigException e) {
            err.println(name + ": " + (workload == null ? e : workload.attribute(e)).describe());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (OutputFiles.Unwritable e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        if (!training.train()) {
            err.println(name + ": workflow.train is False in " + config + ": nothing to read");
            err.flush();
            return Main.EXIT_OK;
        }
        Workflow.Options o = new Workflow.Options("read", false, true, false, evictCache, json, output,
                Path.of("results", workloadName(config)), ResultFolder.DEFAULT_CONFIG_SUBDIR, overrideItems(workloadName(config), overrides), workloadName(config),
                hydra(output, ResultFolder.DEFAULT_CONFIG_SUBDIR, workloadName(config), overrides), common.quiet,
                common.verbose, allowIdleRanks, listFiles, ranks.rank, ranks.worldSize, null, trace, traceGzip);
        return new Workflow(workload, training, o, environment, spec.commandLine().getOut(), err).run();
    }

    /** The workload's name: the config file's name without {@code .yaml}. */
    static String workloadName(Path config) {
        String n = config.getFileName().toString();
        return n.replaceFirst("\\.ya?ml$", "");
    }

    /** The overrides as Hydra records them: {@code workload=NAME}, then each as {@code ++workload.key=value}. */
    static List<String> overrideItems(String workload, List<String> overrides) {
        List<String> l = new ArrayList<>();
        l.add("workload=" + workload);
        for (String o : overrides) {
            String k = o.replaceFirst("^\\+{1,2}", "");
            l.add(k.startsWith("workload.") || k.startsWith("hydra.") ? "++" + k : "++workload." + k);
        }
        return l;
    }

    /** What hydra.yaml holds for a run Inlay started itself. */
    static Map<String, Object> hydra(Path dir, String subdir, String workload, List<String> overrides) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("dir", dir == null ? null : dir.toString());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("run", run);
        h.put("output_subdir", subdir);
        Map<String, Object> ov = new LinkedHashMap<>();
        ov.put("hydra", List.of());
        ov.put("task", overrideItems(workload, overrides));
        h.put("overrides", ov);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", "dlio_benchmark");
        h.put("job", job);
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("version", "inlay " + Workflow.version());
        runtime.put("choices", Map.of("workload", workload));
        h.put("runtime", runtime);
        return h;
    }

    /** The configuration recorded in the JSON ({@code config}): the values the run used. */
    static Map<String, Object> configRecord(WorkloadConfig workload, TrainingConfig training, Ranks ranks, boolean evict) {
        DatasetSpec ds = workload.dataset();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("config_file", workload.source().toString());
        cfg.put("data_folder", ds.dataFolder().toString());
        cfg.put("num_files_train", ds.numFilesTrain());
        cfg.put("num_files_eval", ds.numFilesEval());
        cfg.put("num_samples_per_file", ds.numSamplesPerFile());
        cfg.put("compression", ds.compression().configName());
        cfg.put("read_mode", ds.readMode().configName());
        cfg.put("columns_skipped", ds.columns().stream().filter(c -> !c.read()).map(ColumnSpec::name).toList());
        cfg.put("batch_size", training.batchSize());
        cfg.put("batch_size_eval", training.batchSizeEval());
        cfg.put("read_threads", training.readThreads());
        cfg.put("prefetch_size", training.prefetchSize());
        cfg.put("file_shuffle", training.fileShuffle().name().toLowerCase(Locale.ROOT));
        cfg.put("sample_shuffle", training.sampleShuffle().name().toLowerCase(Locale.ROOT));
        cfg.put("epochs", training.epochs());
        cfg.put("computation_time_mean", training.computeTime().mean());
        cfg.put("total_training_steps", training.totalTrainingSteps());
        cfg.put("seed", training.seed());
        cfg.put("metric_au", training.au());
        cfg.put("exclude_start_steps", training.excludeStartSteps());
        cfg.put("exclude_end_steps", training.excludeEndSteps());
        cfg.put("step_barrier", training.stepBarrier());
        cfg.put("evaluation", training.evaluation());
        cfg.put("evict_cache", evict);
        cfg.put("io_engine", training.readOptions().ioEngine().configName());
        cfg.put("io_depth", training.readOptions().ioDepth());
        cfg.put("transfer_size", training.readOptions().transferSize());
        cfg.put("rank_source", ranks.source());
        return cfg;
    }

    /** The dataset is not where the config says, or is incomplete. */
    static final class MissingDataset extends Exception {
        private static final long serialVersionUID = 1L;

        MissingDataset(String message) {
            super(message);
        }
    }

    /** This rank's files of a split: files r, r+W, ... (every partition part of each). */
    static List<Path> files(DatasetSpec ds, Ranks ranks, Split which) throws MissingDataset {
        DatasetLayout layout = new DatasetLayout(ds);
        Path split = layout.splitFolder(which);
        int count = ds.numFiles(which);
        if (count == 0) {
            throw new MissingDataset("dataset.num_files_" + (which == Split.TRAIN ? "train" : "eval") + " is 0: there is nothing to read");
        }
        if (!Files.isDirectory(split)) {
            throw new MissingDataset("no dataset at " + split + ": run inlay generate with the same config first");
        }
        List<String> partitionValues = new ArrayList<>();
        if (ds.partitionBy() != null) {
            String prefix = ds.partitionBy() + "=";
            try (Stream<Path> s = Files.list(split)) {
                s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
                        .map(n -> n.substring(prefix.length())).sorted().forEach(partitionValues::add);
            } catch (IOException e) {
                throw new MissingDataset(split + ": cannot list the partitions: " + e.getMessage());
            }
        }
        List<Path> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = ranks.rank(); i < count; i += ranks.worldSize()) {
            if (ds.partitionBy() == null) {
                Path f = layout.file(which, i);
                if (Files.isRegularFile(f)) {
                    files.add(f);
                } else {
                    missing.add(f.toString());
                }
            } else {
                boolean any = false;
                for (String v : partitionValues) {
                    Path f = layout.partitionFile(which, i, v);
                    if (Files.isRegularFile(f)) {
                        files.add(f);
                        any = true;
                    }
                }
                if (!any) {
                    missing.add(layout.fileName(which, i) + " (no partition holds it)");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingDataset("the dataset at " + split + " is missing " + missing.size() + " of this rank's files ("
                    + missing.get(0) + (missing.size() > 1 ? ", ..." : "") + "): run inlay generate with the same config first");
        }
        return files;
    }

    /**
     * A live status line on stderr, redrawn at most ten times a second: the epoch, samples done of
     * the epoch's, the step, the time so far and the estimated time left.
     */
    static final class StatusLine implements TrainingRead.Progress {
        private final int epochs;
        private final long samplesPerEpoch;
        private final long totalSamples;
        private long lastDraw;
        private int lastLength;

        /**
         * @param samplesPerEpoch this rank's samples in an epoch
         * @param totalSamples the samples of the whole run (fewer when {@code train.total_training_steps} ends it early)
         */
        StatusLine(int epochs, long samplesPerEpoch, long totalSamples) {
            this.epochs = epochs;
            this.samplesPerEpoch = samplesPerEpoch;
            this.totalSamples = totalSamples;
        }

        /** The line of a plan: an epoch is its agreed steps' samples (total_training_steps already counted in). */
        static StatusLine of(ReadPlan plan) {
            long perEpoch = plan.stepsPerEpoch() * plan.batchSize();
            return new StatusLine(plan.epochs(), perEpoch, perEpoch * plan.epochs());
        }

        @Override
        public synchronized void update(int epoch, long steps, long samples, long bytesRead, double seconds) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            String line = line(epoch, steps, samples, seconds);
            System.err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            System.err.flush();
            lastLength = line.length();
        }

        /** The status text ({@code epoch 1/2  12,288/16,384 samples  step 192  1.4 s  ETA 0:00:03}). */
        String line(int epoch, long steps, long samples, double seconds) {
            long done = (epoch - 1) * samplesPerEpoch + samples;
            String eta = done > 0 && totalSamples > done
                    ? ProgressBar.clock(seconds * (totalSamples - done) / done) : "-:--:--";
            return String.format(Locale.ROOT, "  epoch %d/%d  %,d/%,d samples  step %,d  %.1f s  ETA %s", epoch, epochs,
                    samples, samplesPerEpoch, steps, seconds, eta);
        }

        synchronized void clear() {
            System.err.print("\r" + " ".repeat(Math.max(78, lastLength)) + "\r");
            System.err.flush();
        }
    }
}
