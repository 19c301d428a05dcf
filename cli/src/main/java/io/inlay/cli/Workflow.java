package io.inlay.cli;

import io.inlay.cli.checkpoint.FileCheckpoints;
import io.inlay.cli.config.CheckpointConfig;
import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.TraceConfig;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.dlio.CheckpointResults;
import io.inlay.cli.dlio.DlioLog;
import io.inlay.cli.dlio.HostFacts;
import io.inlay.cli.dlio.Json;
import io.inlay.cli.dlio.ResultFolder;
import io.inlay.cli.dlio.Results;
import io.inlay.cli.mpi.Comm;
import io.inlay.cli.mpi.Mpi;
import io.inlay.cli.mpi.MpiException;
import io.inlay.cli.mpi.ReduceOp;
import io.inlay.cli.run.CheckpointRun;
import io.inlay.cli.run.Clock;
import io.inlay.cli.run.ReadPlan;
import io.inlay.cli.run.RunFailure;
import io.inlay.cli.run.RunReport;
import io.inlay.cli.run.TimeBreakdown;
import io.inlay.cli.run.TraceEvents;
import io.inlay.cli.run.TrainingRead;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.Split;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.trace.TraceSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * DLIO's run, for {@code inlay read}, {@code inlay run} and {@code bin/dlio_benchmark}: connect
 * the ranks (MPI under a launcher), barrier after start-up, generate this rank's share of the
 * dataset and barrier (when asked), agree on the steps per epoch, barrier before the epoch loop,
 * run the training read with DLIO's per-step and per-epoch barriers, reduce the figures, and
 * write DLIO's result folder (every rank its files, rank 0 {@code summary.json}, the log and the
 * saved config). A failure on one rank of several ends them all (MPI_Abort) rather than leave the
 * others waiting at a barrier. Ctrl-C writes what was measured, marked incomplete.
 */
final class Workflow {
    /** Exit code of an interrupted run (128 + SIGINT), as the shell reports it. */
    static final int EXIT_INTERRUPTED = 130;
    static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    /**
     * How to run.
     *
     * @param command the command's name in messages ({@code read}, {@code run}, {@code dlio_benchmark})
     * @param generate generate this rank's share of the dataset first
     * @param train run the training read
     * @param strictSteps stop as DLIO does when {@code train.total_training_steps} exceeds the data (else warn and cap)
     * @param evict drop each file from the page cache after reading it
     * @param json Inlay's per-rank JSON ({@code {rank}} in the name is replaced), or null
     * @param outputFolder the result folder, or null for {@code output.folder} or {@code defaultParent/<time>}
     * @param defaultParent where the result folder goes when neither is given ({@code results/<workload>})
     * @param configSubdir where the saved config goes in the folder ({@code dlio_config}, {@code .hydra})
     * @param overrideItems the overrides as Hydra records them ({@code workload=NAME}, {@code ++workload.k=v})
     * @param workloadName the workload's name (the config's file name without .yaml)
     * @param hydra what {@code hydra.yaml} holds
     * @param quiet no progress, no summary (results are still written)
     * @param verbose stack traces of failures
     * @param allowIdleRanks let a rank with no files take part without reading
     * @param listFiles embed the file list in the JSON
     * @param rank explicit rank (independent processes), or null
     * @param worldSize explicit world size, or null
     * @param generator makes the generate command that generates (its options), when {@code generate}
     * @param trace {@code --trace}: write the timeline trace into the result folder
     * @param traceGzip {@code --trace-gzip}: the same, gzip-compressed
     */
    record Options(String command, boolean generate, boolean train, boolean strictSteps, boolean evict, Path json,
            Path outputFolder, Path defaultParent, String configSubdir, List<String> overrideItems, String workloadName, Map<String, Object> hydra,
            boolean quiet, boolean verbose, boolean allowIdleRanks, boolean listFiles, Integer rank, Integer worldSize,
            Supplier<GenerateCommand> generator, boolean trace, boolean traceGzip) {}

    /** A failure with the exit code it deserves and one line to print. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Failure(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }
    }

    private final WorkloadConfig workload;
    private final TrainingConfig training;
    private final Options o;
    private final Map<String, String> env;
    /** Where the report goes: standard output, or standard error when the JSON goes to standard output. */
    private final PrintWriter out;
    private final PrintWriter stdout;
    private final PrintWriter err;
    private final Clock clock = Clock.system();
    private final long runStart = clock.nanoTime();
    /** This rank's open trace, or null. */
    private volatile TraceSession trace;
    private CheckpointConfig checkpointConfig;

    Workflow(WorkloadConfig workload, TrainingConfig training, Options options, Map<String, String> env, PrintWriter out,
            PrintWriter err) {
        this.workload = workload;
        this.training = training;
        this.o = options;
        this.env = env;
        this.out = OutputFiles.isStdout(options.json()) ? err : out;
        this.stdout = out;
        this.err = err;
    }

    private String prefix() {
        return o.command().equals("dlio_benchmark") ? "dlio_benchmark (inlay): " : "inlay " + o.command() + ": ";
    }

    /** Runs and returns the exit code. */
    int run() {
        CheckpointConfig ckpt;
        try {
            ckpt = CheckpointConfig.of(workload);
        } catch (ConfigException e) {
            err.println(prefix() + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        this.checkpointConfig = ckpt;
        Comm comm;
        try {
            comm = Mpi.connect(env);
        } catch (MpiException e) {
            err.println(prefix() + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        try (comm) {
            try {
                int code = run(comm);
                return closeTrace() || code != Main.EXIT_OK ? code : Main.EXIT_FAILURE;
            } catch (Failure f) {
                closeTrace();
                err.println(prefix() + (comm.size() > 1 ? "rank " + comm.rank() + ": " : "") + f.getMessage());
                if (o.verbose() && f.getCause() != null) {
                    f.getCause().printStackTrace(err);
                }
                err.flush();
                if (comm.size() > 1) {
                    comm.abort(f.code); // the others would wait for this rank forever
                }
                return f.code;
            }
        }
    }

    private int run(Comm comm) throws Failure {
        Ranks ranks;
        try {
            ranks = Ranks.of(comm, o.rank(), o.worldSize(), env);
        } catch (IllegalArgumentException e) {
            throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
        }
        boolean root = ranks.rank() == 0;
        if (root) { // warnings are printed whatever --quiet says
            workload.warnings().forEach(w -> err.println(prefix() + w));
            err.flush();
        }
        // DLIO writes its folder (log, saved config) for generate-only runs too; Inlay's own commands only when reading
        ResultFolder folder = o.train() || checkpointOnly() || o.command().equals("dlio_benchmark") ? folder(comm) : null;
        DlioLog log = folder == null ? null : folder.log();
        if (folder != null && root) {
            try {
                log.reset();
            } catch (IOException e) {
                throw new Failure(Main.EXIT_FAILURE, "cannot start the log " + log.file() + ": " + e.getMessage(), e);
            }
        }
        openTrace(folder, ranks, root, log);
        barrier(comm, "start-up"); // DLIO: after start-up
        if (root && log != null) {
            List<String> mode = new ArrayList<>();
            if (o.generate()) {
                mode.add("Generating data");
            }
            if (o.train()) {
                mode.add("Training");
            }
            if (o.train() && training.evaluation()) {
                mode.add("Evaluation");
            }
            if (checkpointOnly()) {
                mode.add("Checkpointing");
            }
            log.output(clock.timestamp(clock.nanoTime()), "Running DLIO [" + String.join(" & ", mode) + "] with " + ranks.worldSize()
                    + " process(es) (Inlay " + version() + ", " + comm.description() + ")");
        }
        if (o.generate()) {
            if (root && log != null) {
                log.output(clock.timestamp(clock.nanoTime()), "Starting data generation");
            }
            GenerateCommand g = o.generator().get();
            g.printWarnings = false; // printed above
            int code = g.generate(workload, comm, out, err);
            if (code != Main.EXIT_OK) {
                throw new Failure(code, "data generation failed (see above)", null);
            }
            // GenerateCommand met the others at the barrier after generation
            if (root && log != null) {
                log.output(clock.timestamp(clock.nanoTime()), "Generation done");
            }
        }
        if (checkpointOnly()) {
            return checkpointOnly(comm, ranks, folder, log);
        }
        if (!o.train()) {
            writeConfig(folder, root);
            barrier(comm, "finalize"); // DLIO: at finalize
            return Main.EXIT_OK;
        }
        ReadPlan plan = plan(comm, ranks, log);
        if (root && log != null) {
            DatasetSpec ds = workload.dataset();
            log.output(clock.timestamp(clock.nanoTime()), "Max steps per epoch: " + dlioSteps(ranks.worldSize()) + " = "
                    + ds.numSamplesPerFile() + " * " + ds.numFilesTrain() + " / " + training.batchSize() + " / "
                    + ranks.worldSize() + " (samples per file * num files / batch size / comm size)");
            if (plan.evaluation() != null) {
                log.output(clock.timestamp(clock.nanoTime()), "Steps per eval: " + plan.evaluation().steps());
            }
        }
        writeConfig(folder, root);
        barrier(comm, "before the epoch loop"); // DLIO: before the epoch loop
        boolean stepBarrier = training.stepBarrier() && comm.connected();
        TrainingRead.Sync sync = comm.connected() ? new TrainingRead.Sync() {
            @Override
            public void afterStep() {
                if (stepBarrier) {
                    barrier(comm, "step");
                }
            }

            @Override
            public void afterEpoch() {
                barrier(comm, "epoch");
            }
        } : TrainingRead.Sync.NONE;
        ReadCommand.StatusLine status = !o.quiet() && comm.size() == 1 && Terminal.isStderrTerminal()
                ? ReadCommand.StatusLine.of(plan) : null;
        TrainingRead read = new TrainingRead(plan, null, status, sync, clock);
        try {
            read.resize(workload.recordLengthResize());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
        }
        if (checkpointConfig.enabled()) {
            FileCheckpoints ck;
            try {
                ck = new FileCheckpoints(checkpointConfig, ranks.rank(), ranks.worldSize(), comm.connected() ? comm::barrier : () -> {});
            } catch (IllegalArgumentException e) {
                throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
            }
            read.checkpoints(ck);
            try {
                ck.prepare(); // untimed warm-up of the write path
            } catch (IOException e) {
                throw new Failure(Main.EXIT_FAILURE, e.getMessage(), e);
            }
            if (root && log != null) {
                log.output(clock.timestamp(clock.nanoTime()), "Checkpoints in " + checkpointConfig.folder() + ": "
                        + ck.plan().writers() + " rank(s) write " + ck.plan().totalBytes() + " bytes each time");
            }
        }
        Results.RunInfo info = new Results.RunInfo(workload.dataset().numFilesTrain(), workload.dataset().numFilesEval(),
                workload.dataset().numSamplesPerFile(), plan.recordLength(), dlioSteps(ranks.worldSize()), stepBarrier, runStart);
        HostFacts host = HostFacts.local();
        AtomicBoolean written = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            read.interrupt();
            try {
                if (!done.await(5, TimeUnit.SECONDS) && read.report() != null && written.compareAndSet(false, true)) {
                    // the main thread is stuck (in a barrier, or a long step): write from a snapshot here
                    writeIncomplete(read.report(), comm, host, info, folder, ranks);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                err.println(prefix() + "interrupted; the partial results could not be written: " + e.getMessage());
                err.flush();
            }
        }, "inlay-read-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RunReport report;
        try {
            report = read.run();
        } catch (RunFailure e) {
            if (status != null) {
                status.clear();
            }
            done.countDown();
            removeHook(hook);
            throw new Failure(Main.EXIT_FAILURE, e.getMessage(), e.getCause());
        }
        if (status != null) {
            status.clear();
        }
        report.listFiles(o.listFiles());
        if (read.interrupted()) {
            if (written.compareAndSet(false, true)) {
                writeIncomplete(report, comm, host, info, folder, ranks);
            }
            done.countDown();
            return EXIT_INTERRUPTED;
        }
        removeHook(hook);
        done.countDown();
        Results results = Results.gather(report, comm, host, info, comm.connected());
        TimeBreakdown breakdown = breakdown(report.timeBreakdown(), comm);
        try {
            folder.writeRank(ranks.rank(), results.perEpochStats(), results.output());
            writeJson(report, ranks);
            if (root) {
                for (String[] l : results.epochLines()) {
                    log.output(l[0], l[1]);
                }
                folder.writeSummary(results.summary());
                log.output(clock.timestamp(clock.nanoTime()), "Saved outputs in " + folder.dir());
                log.append("[OUTPUT] " + results.metricBlock());
            }
        } catch (IOException | UncheckedIOException e) {
            throw new Failure(Main.EXIT_FAILURE, "cannot write the results: " + e.getMessage(), e);
        }
        barrier(comm, "finalize"); // DLIO: at finalize
        if (root && !o.quiet()) {
            if (ranks.worldSize() == 1 || !comm.connected()) {
                report.print(out);
            }
            out.print(results.metricBlock());
            if (comm.connected() && comm.size() > 1) {
                out.println("over the " + comm.size() + " ranks:");
            }
            breakdown.lines(comm.connected() ? comm.size() : 1).forEach(out::println);
            out.println("results in " + folder.dir());
            out.flush();
        }
        return Main.EXIT_OK;
    }

    /** DLIO's checkpoint-only run: {@code workflow.checkpoint: True} with {@code workflow.train: False}. */
    private boolean checkpointOnly() {
        return checkpointConfig.enabled() && !o.train();
    }

    /**
     * The checkpoint-only run ({@link CheckpointRun}): the checkpoints written, read back, timed,
     * and DLIO's result folder written from them. Ctrl-C ends it after the checkpoint under way and
     * writes what was measured, marked incomplete, as a training run does.
     */
    private int checkpointOnly(Comm comm, Ranks ranks, ResultFolder folder, DlioLog log) throws Failure {
        boolean root = ranks.rank() == 0;
        CheckpointConfig c = checkpointConfig;
        FileCheckpoints ck;
        try {
            ck = FileCheckpoints.forCheckpointOnly(c, ranks.rank(), ranks.worldSize(), comm.connected() ? comm.nodes().localSize()
                    : ranks.worldSize(), comm.connected() ? comm::barrier : () -> {});
        } catch (IllegalArgumentException e) {
            throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
        }
        if (root) {
            List<String> warnings = new ArrayList<>();
            if (c.numWrite() <= 0 && c.numRead() <= 0) {
                warnings.add("a checkpoint-only run (workflow.train: False, workflow.checkpoint: True) with neither"
                        + " checkpoint.num_checkpoints_write nor num_checkpoints_read above 0: no checkpoint is written or read");
            }
            int nodes = comm.connected() ? comm.nodes().nodes() : 1;
            if (c.recoveryRankShift() && nodes < 2 && c.numRead() > 0) {
                warnings.add("This run is on single client; checkpoint_recovery_rank_shift does not apply.");
            }
            for (String w : warnings) {
                err.println(prefix() + "warning: " + w);
                if (log != null) {
                    log.warning(w);
                }
            }
            err.flush();
            if (log != null) {
                log.output(clock.timestamp(clock.nanoTime()), "Checkpoints in " + c.folder() + ": " + ck.plan().writers()
                        + " rank(s) write " + ck.plan().totalBytes() + " bytes each time; " + Math.max(0, c.numWrite())
                        + " to write, " + Math.max(0, c.numRead()) + " to read back");
            }
        }
        writeConfig(folder, root);
        barrier(comm, "before the checkpoints");
        CheckpointRun.Sync sync = comm.connected() ? new CheckpointRun.Sync() {
            @Override
            public void barrier() {
                Workflow.barrier(comm, "checkpoint");
            }

            @Override
            public long fromRoot(long value) {
                byte[] b = comm.bcast(java.nio.ByteBuffer.allocate(8).putLong(value).array(), 0);
                return java.nio.ByteBuffer.wrap(b).getLong();
            }
        } : CheckpointRun.Sync.NONE;
        CheckpointRun run = new CheckpointRun(ck, sync, clock);
        DatasetSpec ds = workload.dataset();
        Results.RunInfo info = new Results.RunInfo(ds.numFilesTrain(), ds.numFilesEval(), ds.numSamplesPerFile(), workload.recordLength(),
                0, false, runStart);
        HostFacts host = HostFacts.local();
        AtomicBoolean written = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.interrupt();
            try {
                if (!done.await(5, TimeUnit.SECONDS) && run.snapshot() != null && written.compareAndSet(false, true)) {
                    // the main thread is stuck (in a barrier, or a long checkpoint): write from a snapshot here
                    writeIncomplete(run.snapshot(), comm, host, info, folder, ranks, ck);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                err.println(prefix() + "interrupted; the partial results could not be written: " + e.getMessage());
                err.flush();
            }
        }, "inlay-checkpoint-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CheckpointRun.Report report;
        try {
            report = run.run();
        } catch (CheckpointRun.TooFew e) {
            done.countDown();
            removeHook(hook);
            if (root && log != null) {
                log.error(e.getMessage());
            }
            throw new Failure(Main.EXIT_FAILURE, e.getMessage() + " (in " + c.folder() + "; write them first with"
                    + " checkpoint.num_checkpoints_write)", e);
        } catch (io.inlay.cli.run.RunFailure e) {
            done.countDown();
            removeHook(hook);
            throw new Failure(Main.EXIT_FAILURE, e.getMessage(), e.getCause());
        }
        if (run.interrupted()) {
            if (written.compareAndSet(false, true)) {
                writeIncomplete(report, comm, host, info, folder, ranks, ck);
            }
            done.countDown();
            return EXIT_INTERRUPTED;
        }
        removeHook(hook);
        done.countDown();
        CheckpointResults results = CheckpointResults.gather(report, clock, comm, host, info, ranks.rank(), ranks.worldSize(),
                comm.connected(), c.folder().toString(), ck.plan().writers(), ck.readRank());
        try {
            folder.writeRank(ranks.rank(), results.perEpochStats(), results.output());
            if (root) {
                for (String[] l : results.logLines()) {
                    log.output(l[0], l[1]);
                }
                folder.writeSummary(results.summary());
                log.output(clock.timestamp(clock.nanoTime()), "Saved outputs in " + folder.dir());
                log.append("[OUTPUT] " + results.metricBlock());
            }
        } catch (IOException | UncheckedIOException e) {
            throw new Failure(Main.EXIT_FAILURE, "cannot write the results: " + e.getMessage(), e);
        }
        barrier(comm, "finalize");
        if (root && !o.quiet()) {
            out.print(results.metricBlock());
            out.println("results in " + folder.dir());
            out.flush();
        }
        return Main.EXIT_OK;
    }

    /** After Ctrl-C in a checkpoint-only run: this rank's files and (rank 0) a summary of its own figures, marked incomplete; no collectives. */
    private void writeIncomplete(CheckpointRun.Report report, Comm comm, HostFacts host, Results.RunInfo info, ResultFolder folder,
            Ranks ranks, FileCheckpoints ck) {
        CheckpointResults results = CheckpointResults.gather(report, clock, comm, host, info, ranks.rank(), ranks.worldSize(), false,
                checkpointConfig.folder().toString(), ck.plan().writers(), ck.readRank());
        try {
            folder.writeRank(ranks.rank(), results.perEpochStats(), results.output());
            if (ranks.rank() == 0) {
                folder.writeSummary(results.summary());
                folder.log().warning("Interrupted: the results in " + folder.dir() + " are incomplete (inlay.complete is false)");
            }
        } catch (IOException | UncheckedIOException e) {
            err.println(prefix() + "interrupted; cannot write the partial results: " + e.getMessage());
            err.flush();
            return;
        }
        closeTrace();
        err.println(prefix() + "interrupted: the " + report.checkpoints().size() + " checkpoint(s) measured so far are in "
                + folder.dir() + ", marked incomplete");
        err.flush();
    }

    /** The ranks' time breakdowns summed (a collective under MPI): what bounds the run as a whole. */
    private static TimeBreakdown breakdown(TimeBreakdown mine, Comm comm) {
        if (!comm.connected() || comm.size() == 1) {
            return mine;
        }
        double coreShare = mine.cores() / comm.nodes().localSize(); // ranks on a node share its cores
        double[] s = comm.allreduce(new double[] {mine.seconds(), mine.computeSeconds(), mine.dataWaitSeconds(),
            mine.startupWaitSeconds(), mine.barrierSeconds(), mine.threads(), mine.readerSeconds(),
            mine.storageWaitSeconds() == null ? 0 : mine.storageWaitSeconds(), mine.storageWaitSeconds() == null ? 1 : 0,
            mine.readSeconds(), mine.consumerWaitSeconds(), coreShare}, ReduceOp.SUM);
        return new TimeBreakdown(s[0], s[1], s[2], s[3], s[4], (int) s[5], s[6], s[8] > 0 ? null : s[7], s[9], s[10], s[11]);
    }

    /** A barrier with the other ranks, on the timeline as {@code sync/barrier at=WHERE}. */
    private static void barrier(Comm comm, String where) {
        long t = Trace.start();
        comm.barrier();
        Trace.end(TraceEvents.BARRIER, t, where, null, 0, 0, 0, 0);
    }

    /** Opens this rank's trace in the result folder when one is asked for (flags, config, environment). */
    private void openTrace(ResultFolder folder, Ranks ranks, boolean root, DlioLog log) throws Failure {
        TraceConfig tc;
        try {
            tc = TraceConfig.of(o.trace(), o.traceGzip(), workload, env);
        } catch (ConfigException e) {
            throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
        }
        if (tc.warning() != null && root) {
            err.println(prefix() + "warning: " + tc.warning());
            err.flush();
        }
        if (!tc.enabled()) {
            return;
        }
        if (folder == null) {
            throw new Failure(Main.EXIT_USAGE, "a trace was asked for, but this run writes no result folder to put it in"
                    + " (workflow.train is False): trace the generation with inlay generate --trace", null);
        }
        try {
            trace = Tracing.open(folder.dir(), tc, ranks.rank(), ranks.worldSize(), clock);
        } catch (IOException | IllegalStateException e) {
            throw new Failure(Main.EXIT_FAILURE, "cannot write the trace " + folder.dir().resolve(tc.fileName(ranks.rank(),
                    ranks.worldSize())) + ": " + e.getMessage(), e);
        }
        if (root && log != null) {
            log.output(clock.timestamp(clock.nanoTime()), "Profiling Inlay " + folder.dir().resolve(tc.fileName(0, ranks.worldSize()))
                    .toString().replace("trace-0-of-", "trace-{rank}-of-"));
        }
    }

    /** Ends the trace file; false (after one line on stderr) when it could not be written. Idempotent. */
    private boolean closeTrace() {
        TraceSession t = trace;
        trace = null;
        return Tracing.close(t, err, prefix());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs
        }
    }

    /** After Ctrl-C: this rank's files and (rank 0) a summary of its own figures, all marked incomplete; no collectives. */
    private void writeIncomplete(RunReport report, Comm comm, HostFacts host, Results.RunInfo info, ResultFolder folder,
            Ranks ranks) {
        Results results = Results.gather(report, comm, host, info, false);
        try {
            folder.writeRank(ranks.rank(), results.perEpochStats(), results.output());
            writeJson(report, ranks);
            if (ranks.rank() == 0) {
                folder.writeSummary(results.summary());
                folder.log().warning("Interrupted: the results in " + folder.dir() + " are incomplete (inlay.complete is false)");
            }
        } catch (IOException | UncheckedIOException e) {
            err.println(prefix() + "interrupted; cannot write the partial results: " + e.getMessage());
            err.flush();
            return;
        }
        if (!o.quiet()) {
            report.print(out);
            out.flush();
        }
        closeTrace();
        err.println(prefix() + "interrupted: what was measured so far is in " + folder.dir() + (o.json() == null ? ""
                : " and " + jsonPath(ranks)) + ", marked incomplete");
        err.flush();
    }

    private Path jsonPath(Ranks ranks) {
        return perRank(o.json(), ranks.rank(), ranks.source().equals("MPI") ? ranks.worldSize() : 1);
    }

    /**
     * A per-rank output file: {@code {rank}} in the name is replaced by the rank; with several MPI
     * ranks (one command line for all, {@code world} > 1) and no {@code {rank}}, {@code .<rank>} goes
     * before the extension so that ranks do not overwrite each other. Processes started without a
     * launcher have their own command lines: pass {@code world} 1.
     */
    static Path perRank(Path json, int rank, int world) {
        String name = json.toString();
        if (OutputFiles.isStdout(json)) {
            return json;
        }
        if (name.contains("{rank}")) {
            return Path.of(name.replace("{rank}", String.valueOf(rank)));
        }
        if (world == 1) {
            return json;
        }
        String file = json.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String named = dot > 0 ? file.substring(0, dot) + "." + rank + file.substring(dot) : file + "." + rank;
        return json.resolveSibling(named);
    }

    private void writeJson(RunReport report, Ranks ranks) throws IOException {
        if (o.json() == null) {
            return;
        }
        Path p = jsonPath(ranks);
        if (OutputFiles.isStdout(p)) {
            stdout.print(Json.text(report.json()));
            stdout.flush();
            return;
        }
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        ResultFolder.writeJson(p, report.json());
    }

    private long dlioSteps(int world) {
        DatasetSpec ds = workload.dataset();
        return ReadPlan.dlioSteps(ds.numSamplesPerFile(), ds.numFilesTrain(), training.batchSize(), world);
    }

    /** The result folder: given, {@code output.folder}, or results/NAME/TIME (rank 0's clock, sent to all). */
    private ResultFolder folder(Comm comm) throws Failure {
        Path dir = o.outputFolder();
        String logFile = "dlio.log";
        try {
            var output = workload.section("output");
            if (output.isPresent()) {
                if (dir == null && output.get().has("folder")) {
                    dir = Path.of(output.get().string("folder", null));
                }
                logFile = output.get().string("log_file", logFile);
            }
        } catch (ConfigException e) {
            throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
        }
        if (dir == null) {
            String name = comm.rank() == 0 ? o.defaultParent().resolve(FOLDER_TIME.format(LocalDateTime.now())).toString() : "";
            dir = Path.of(new String(comm.bcast(name.getBytes(StandardCharsets.UTF_8), 0), StandardCharsets.UTF_8));
        }
        try {
            return ResultFolder.prepare(dir, o.configSubdir(), logFile);
        } catch (IOException e) {
            throw new Failure(Main.EXIT_FAILURE, "result folder " + e.getMessage(), e);
        }
    }

    private void writeConfig(ResultFolder folder, boolean root) throws Failure {
        if (!root || folder == null) {
            return;
        }
        Map<String, Object> hydra = new LinkedHashMap<>(o.hydra());
        hydra.put("run", Map.of("dir", folder.dir().toString())); // the folder the run wrote
        try {
            folder.writeConfig(workload.root().asMap(), hydra, o.overrideItems());
        } catch (IOException e) {
            throw new Failure(Main.EXIT_FAILURE, "cannot write the config to " + folder.dir() + ": " + e.getMessage(), e);
        }
    }

    /** This rank's files, the steps every rank agrees on, and the evaluation. */
    private ReadPlan plan(Comm comm, Ranks ranks, DlioLog log) throws Failure {
        DatasetSpec ds = workload.dataset();
        List<ColumnSpec> read = new ArrayList<>();
        for (ColumnSpec c : ds.columns()) {
            if (c.read() && !c.name().equals(ds.partitionBy())) {
                read.add(c);
            }
        }
        List<Path> files;
        List<Path> evalFiles = List.of();
        try {
            files = ReadCommand.files(ds, ranks, Split.TRAIN);
            if (training.evaluation()) {
                if (ds.numFilesEval() == 0) {
                    throw new Failure(Main.EXIT_USAGE, "workflow.evaluation is True but dataset.num_files_eval is 0", null);
                }
                evalFiles = ReadCommand.files(ds, ranks, Split.EVAL);
            }
        } catch (ReadCommand.MissingDataset e) {
            throw new Failure(Main.EXIT_FAILURE, e.getMessage(), e);
        }
        int world = ranks.worldSize();
        long perFile = ds.numSamplesPerFile();
        long dlio = dlioSteps(world);
        long own = files.isEmpty() ? Long.MAX_VALUE : files.size() * perFile / training.batchSize();
        long ownEval = evalFiles.isEmpty() ? Long.MAX_VALUE : evalFiles.size() * perFile / training.batchSizeEval();
        // agree: the smallest share's whole batches (encoded with the rank that has it), idle ranks counted
        long[] agreed = comm.allreduce(new long[] {own == Long.MAX_VALUE ? Long.MAX_VALUE : own * (1L << 22) + ranks.rank(),
            ownEval, files.isEmpty() ? 1 : 0}, ReduceOp.MIN);
        long[] idle = comm.allreduce(new long[] {files.isEmpty() ? 1 : 0}, ReduceOp.SUM);
        boolean root = ranks.rank() == 0;
        long idleRanks = comm.connected() ? idle[0] : files.isEmpty() ? 1 : 0;
        if (idleRanks > 0 && !o.allowIdleRanks()) {
            String who = comm.connected() ? idleRanks + " of the " + world + " ranks have" : "rank " + ranks.rank() + " of " + world
                    + " has";
            throw new Failure(Main.EXIT_USAGE, who + " no training files (" + ds.numFilesTrain() + " files over " + world
                    + " ranks): run at most " + ds.numFilesTrain() + " ranks, or pass --allow-idle-ranks to let such a rank take"
                    + " part without reading", null);
        }
        long smallest = agreed[0] == Long.MAX_VALUE ? 0 : agreed[0] >>> 22;
        long smallestRank = agreed[0] == Long.MAX_VALUE ? -1 : agreed[0] & ((1L << 22) - 1);
        long steps = Math.min(dlio, smallest);
        if (idleRanks == world) {
            steps = 0;
        }
        List<String> warnings = new ArrayList<>();
        if (steps < dlio) {
            warnings.add("rank " + smallestRank + "'s files hold only enough data for " + smallest + " whole batches of "
                    + training.batchSize() + ": every rank runs " + steps + " steps per epoch where DLIO would run " + dlio
                    + " (the files are shared out whole, rank r reading files r, r+" + world + ", ...)");
        }
        long total = training.totalTrainingSteps();
        if (total > 0) {
            if (total > steps) {
                String m = "Only have enough data for " + steps + " steps but " + total + " wanted (train.total_training_steps)";
                if (o.strictSteps()) {
                    if (root && log != null) {
                        log.error(m);
                    }
                    throw new Failure(Main.EXIT_FAILURE, m, null);
                }
                warnings.add(m + ": running " + steps + " steps per epoch");
            } else {
                steps = total;
            }
        }
        if (steps == 0 && idleRanks < world) {
            warnings.add("0 steps per epoch: the dataset holds fewer than " + training.batchSize() + " samples per rank");
        }
        if (root) {
            for (String w : warnings) {
                err.println(prefix() + "warning: " + w); // even with --quiet: the run is not what was asked
                if (log != null) {
                    log.warning(w);
                }
            }
            err.flush();
        }
        ReadPlan.Evaluation eval = null;
        if (training.evaluation()) {
            long dlioEval = ReadPlan.dlioSteps(perFile, ds.numFilesEval(), training.batchSizeEval(), world);
            long evalSteps = Math.min(dlioEval, agreed[1] == Long.MAX_VALUE ? 0 : agreed[1]);
            eval = new ReadPlan.Evaluation(evalFiles, training.batchSizeEval(), training.evalTime(), evalSteps,
                    training.evalAfterEpoch(), training.epochsBetweenEvals());
        }
        double recordLength = workload.recordLength();
        Map<String, Object> cfg = ReadCommand.configRecord(workload, training, ranks, o.evict());
        try {
            return new ReadPlan(files, read, ds.readMode(), training.readThreads(), training.batchSize(), training.prefetchSize(),
                    training.epochs(), training.computeTime(), steps, training.fileShuffle(), training.sampleShuffle(),
                    training.seed(), training.seedChangeEpoch(), o.evict(), training.au(), ranks.rank(), ranks.worldSize(),
                    recordLength, training.excludeStartSteps(), training.excludeEndSteps(), eval, cfg, training.readOptions());
        } catch (IllegalArgumentException e) {
            throw new Failure(Main.EXIT_USAGE, e.getMessage(), e);
        }
    }

    /**
     * The plan of one process that talks to no other (tests, and the single-process case): the
     * steps DLIO would take, capped by this rank's share; idle ranks allowed.
     */
    static ReadPlan localPlan(WorkloadConfig w, TrainingConfig t, Ranks ranks, boolean evict) throws Failure {
        Options o = new Options("read", false, true, false, evict, null, null, Path.of("results"), ResultFolder.DEFAULT_CONFIG_SUBDIR,
                List.of(),
                "test", Map.of(), true, false, true, false, null, null, null, false, false);
        PrintWriter none = new PrintWriter(java.io.Writer.nullWriter());
        return new Workflow(w, t, o, Map.of(), none, none).plan(Comm.single(), ranks, null);
    }

    static String version() {
        String v = Workflow.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String lower(Object o) {
        return String.valueOf(o).toLowerCase(Locale.ROOT);
    }
}
