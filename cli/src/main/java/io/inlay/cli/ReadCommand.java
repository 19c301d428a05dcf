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

    @Option(names = "--json", paramLabel = "FILE", description = "Write every figure and the config used as JSON to FILE.")
    Path json;

    @Option(names = "--evict-cache", description = "Drop each file from the page cache after reading it, so every epoch"
            + " reads the device (posix_fadvise DONTNEED); the report says whether eviction worked.")
    boolean evictCache;

    @Option(names = "--rank", paramLabel = "R", description = "This process's rank (default: from OMPI_COMM_WORLD_RANK,"
            + " PMI_RANK or SLURM_PROCID, else 0); rank r reads files r, r+W, ...")
    Integer rank;

    @Option(names = "--world-size", paramLabel = "W", description = "Processes sharing the dataset (default: from"
            + " OMPI_COMM_WORLD_SIZE, PMI_SIZE or SLURM_NTASKS, else 1).")
    Integer worldSize;

    @Option(names = "--quiet", description = "No progress line and no summary (the JSON is still written).")
    boolean quiet;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** The environment ranks are read from; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReadPlan plan;
        try {
            WorkloadConfig workload = ConfigLoader.load(config, overrides);
            if (!quiet) {
                workload.warnings().forEach(w -> err.println("inlay read: warning: " + w));
            }
            plan = plan(workload, TrainingConfig.of(workload), Ranks.resolve(rank, worldSize, environment), evictCache);
        } catch (ConfigException e) {
            err.println("inlay read: " + config + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            err.println("inlay read: " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (MissingDataset e) {
            err.println("inlay read: " + e.getMessage());
            err.flush();
            return Main.EXIT_FAILURE;
        }
        err.flush();
        return execute(plan, json, quiet, verbose, err, spec.commandLine().getOut());
    }

    /** Runs a plan, prints the report and writes the JSON; returns the exit code. */
    static int execute(ReadPlan plan, Path json, boolean quiet, boolean verbose, PrintWriter err, PrintWriter out) {
        StatusLine status = !quiet && Terminal.isStderrTerminal() ? new StatusLine(plan.epochs()) : null;
        RunReport report;
        try {
            report = new TrainingRead(plan, null, status).run();
        } catch (RunFailure e) {
            if (status != null) {
                status.clear();
            }
            err.println("inlay read: " + e.getMessage());
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
            report.print(out);
            out.flush();
        }
        if (json != null) {
            try {
                Files.writeString(json, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(report.json()) + "\n");
            } catch (IOException e) {
                err.println("inlay read: cannot write " + json + ": " + e.getMessage());
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

    /** A live status line on stderr, redrawn at most ten times a second. */
    static final class StatusLine implements TrainingRead.Progress {
        private final int epochs;
        private long lastDraw;

        StatusLine(int epochs) {
            this.epochs = epochs;
        }

        @Override
        public synchronized void update(int epoch, long steps, long samples, long bytesRead, double seconds) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            System.err.printf(Locale.ROOT, "\r  epoch %d/%d  step %,d  %,d samples  %.1f s ", epoch, epochs, steps, samples, seconds);
            System.err.flush();
        }

        synchronized void clear() {
            System.err.print("\r" + " ".repeat(78) + "\r");
            System.err.flush();
        }
    }
}
