package io.inlay.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.run.ReadPlan;
import io.inlay.cli.run.RunFailure;
import io.inlay.cli.run.RunReport;
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
 * dataset {@code generate} made for the same config, with Inlay's reader, and reports what the
 * storage delivered. Config errors: one line, exit 2; a missing dataset or a file that fails
 * validation: one line, exit 1.
 */
@Command(name = "read", sortOptions = false,
        description = {"Run a DLIO-style training read over the dataset of a workload config.",
            "Overrides: key=value pairs such as reader.read_threads=4 (also ++workload.reader.read_threads=4)."})
final class ReadCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The workload YAML.")
    Path config;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write every figure and the config used as JSON to FILE"
            + " ('-': standard output, the report then goes to standard error).")
    Path json;

    @Option(names = "--evict-cache", description = "Drop each file from the page cache after reading it, so every epoch"
            + " reads the device (posix_fadvise DONTNEED); the report says whether eviction worked.")
    boolean evictCache;

    @Mixin
    RankOptions ranks = new RankOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** The environment ranks are read from; tests replace it. */
    Map<String, String> environment = System.getenv();

    /** How messages start: {@code inlay read}, or {@code inlay run} when run runs it. */
    String name = "inlay read";

    /** Whether to print the config's warnings (run has generate print them once). */
    boolean printWarnings = true;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReadPlan plan;
        long samplesPerEpoch;
        WorkloadConfig workload = null;
        try {
            workload = ConfigLoader.load(config, overrides);
            if (printWarnings) {
                workload.warnings().forEach(w -> err.println(name + ": " + w));
            }
            TrainingConfig training = TrainingConfig.of(workload);
            Ranks r = ranks.resolve(environment);
            OutputFiles.check(json, "--json");
            plan = plan(workload, training, r, evictCache);
            samplesPerEpoch = samplesPerEpoch(workload.dataset(), plan);
        } catch (ConfigException e) {
            err.println(name + ": " + (workload == null ? e : workload.attribute(e)).describe());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (IllegalArgumentException | OutputFiles.Unwritable e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (MissingDataset e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_FAILURE;
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        StatusLine status = !common.quiet && Terminal.isStderrTerminal() ? StatusLine.of(plan, samplesPerEpoch) : null;
        return execute(plan, json, common.quiet, common.verbose, err, OutputFiles.isStdout(json) ? err : out, out, status, name);
    }

    /** The samples this rank reads per epoch: its file indices times the rows of each. */
    static long samplesPerEpoch(DatasetSpec ds, ReadPlan plan) {
        long indices = plan.rank() >= ds.numFilesTrain() ? 0
                : (ds.numFilesTrain() - plan.rank() + plan.worldSize() - 1L) / plan.worldSize();
        return indices * ds.numSamplesPerFile();
    }

    /**
     * Runs a plan, prints the report on {@code reportOut} and writes the JSON ({@code stdout} for
     * {@code --json -}); returns the exit code.
     */
    static int execute(ReadPlan plan, Path json, boolean quiet, boolean verbose, PrintWriter err, PrintWriter reportOut,
            PrintWriter stdout, StatusLine status, String name) {
        RunReport report;
        try {
            report = new TrainingRead(plan, null, status).run();
        } catch (RunFailure e) {
            if (status != null) {
                status.clear();
            }
            err.println(name + ": " + e.getMessage());
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            err.flush();
            return Main.EXIT_FAILURE;
        }
        if (status != null) {
            status.clear();
        }
        if (!quiet) {
            report.print(reportOut);
            reportOut.flush();
        }
        if (json != null) {
            try {
                OutputFiles.write(json, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(report.json()) + "\n", stdout);
            } catch (IOException e) {
                err.println(name + ": cannot write " + json + ": " + Failures.message(e));
                err.flush();
                return Main.EXIT_FAILURE;
            }
        }
        return Main.EXIT_OK;
    }

    /** The dataset is not where the config says, or is incomplete. */
    static final class MissingDataset extends Exception {
        private static final long serialVersionUID = 1L;

        MissingDataset(String message) {
            super(message);
        }
    }

    /** Maps a loaded config onto a run plan for this rank. */
    static ReadPlan plan(WorkloadConfig workload, TrainingConfig training, Ranks ranks, boolean evict) throws MissingDataset {
        DatasetSpec ds = workload.dataset();
        List<ColumnSpec> read = new ArrayList<>();
        for (ColumnSpec c : ds.columns()) {
            // a partition column lives in folder names, not in the files
            if (c.read() && !c.name().equals(ds.partitionBy())) {
                read.add(c);
            }
        }
        List<Path> files = files(ds, ranks);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("config_file", workload.source().toString());
        cfg.put("data_folder", ds.dataFolder().toString());
        cfg.put("num_files_train", ds.numFilesTrain());
        cfg.put("num_samples_per_file", ds.numSamplesPerFile());
        cfg.put("compression", ds.compression().configName());
        cfg.put("read_mode", ds.readMode().configName());
        cfg.put("columns_skipped", ds.columns().stream().filter(c -> !c.read()).map(ColumnSpec::name).toList());
        cfg.put("batch_size", training.batchSize());
        cfg.put("read_threads", training.readThreads());
        cfg.put("prefetch_size", training.prefetchSize());
        cfg.put("file_shuffle", training.fileShuffle().name().toLowerCase(Locale.ROOT));
        cfg.put("sample_shuffle", training.sampleShuffle().name().toLowerCase(Locale.ROOT));
        cfg.put("epochs", training.epochs());
        cfg.put("computation_time_mean", training.computeTime().mean());
        cfg.put("total_training_steps", training.totalTrainingSteps());
        cfg.put("seed", training.seed());
        cfg.put("metric_au", training.au() < 0 ? null : training.au());
        cfg.put("evict_cache", evict);
        cfg.put("rank_source", ranks.source());
        return new ReadPlan(files, read, ds.readMode(), training.readThreads(), training.batchSize(), training.prefetchSize(),
                training.epochs(), training.computeTime(), training.totalTrainingSteps(), training.fileShuffle(),
                training.sampleShuffle(), training.seed(), training.seedChangeEpoch(), evict, training.au(), ranks.rank(),
                ranks.worldSize(), cfg);
    }

    /** This rank's training files: files r, r+W, ... of the split (every partition part of each). */
    static List<Path> files(DatasetSpec ds, Ranks ranks) throws MissingDataset {
        DatasetLayout layout = new DatasetLayout(ds);
        Path split = layout.splitFolder(Split.TRAIN);
        if (ds.numFilesTrain() == 0) {
            throw new MissingDataset("dataset.num_files_train is 0: there is nothing to read");
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
        for (int i = ranks.rank(); i < ds.numFilesTrain(); i += ranks.worldSize()) {
            if (ds.partitionBy() == null) {
                Path f = layout.file(Split.TRAIN, i);
                if (Files.isRegularFile(f)) {
                    files.add(f);
                } else {
                    missing.add(f.toString());
                }
            } else {
                boolean any = false;
                for (String v : partitionValues) {
                    Path f = layout.partitionFile(Split.TRAIN, i, v);
                    if (Files.isRegularFile(f)) {
                        files.add(f);
                        any = true;
                    }
                }
                if (!any) {
                    missing.add(layout.fileName(Split.TRAIN, i) + " (no partition holds it)");
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

        static StatusLine of(ReadPlan plan, long samplesPerEpoch) {
            long all = samplesPerEpoch * plan.epochs();
            return new StatusLine(plan.epochs(), samplesPerEpoch,
                    plan.totalTrainingSteps() > 0 ? Math.min(all, plan.totalTrainingSteps() * plan.batchSize()) : all);
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
