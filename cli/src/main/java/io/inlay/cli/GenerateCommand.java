package io.inlay.cli;

import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TraceConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.dlio.Json;
import io.inlay.cli.mpi.Comm;
import io.inlay.cli.mpi.Mpi;
import io.inlay.cli.mpi.MpiException;
import io.inlay.cli.mpi.ReduceOp;
import io.inlay.cli.run.Clock;
import io.inlay.codec.CodecException;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.FileResult;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateResult;
import io.inlay.engine.trace.TraceSession;
import io.inlay.engine.write.PageVersion;
import io.inlay.engine.write.WriterOptions;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay generate --config FILE [key=value ...]}: writes the dataset a DLIO workload config
 * describes. Config errors and unwritable outputs: one line on stderr, exit 2; a failed write: one
 * line, exit 1.
 */
@Command(name = "generate", sortOptions = false,
        description = {"Generate the Parquet dataset a DLIO workload config describes.",
            "Overrides: key=value pairs such as dataset.num_files_train=8 (also ++workload.dataset.num_files_train=8).",
            "A file that exists is kept only when it was generated with the same config, seed and writer options and"
                + " its pages verify; otherwise it is rewritten and the summary says why.",
            "Files are written with O_DIRECT; each, once complete (written or kept), is forced to the device (fdatasync)"
                + " and dropped from the page cache (posix_fadvise DONTNEED), so a read right after generation reads the"
                + " device; --keep-cached writes through the page cache and leaves the files cached."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The workload YAML.")
    Path config;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + GenerateOptions.DEFAULT_SEED,
            description = "Seed of the values (default ${DEFAULT-VALUE}); same config and seed, same bytes.")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Files written at once (default: the number of cores).")
    Integer threads;

    @Mixin
    RankOptions ranks = new RankOptions();

    @Option(names = "--overwrite", description = "Rewrite every file, even those that could be kept.")
    boolean overwrite;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write this rank's summary as JSON to FILE ('-': standard"
            + " output; {rank} in the name is replaced by the rank; under mpirun without it, .<rank> goes before the extension).")
    Path json;

    @Option(names = "--page-version", paramLabel = "1|2", defaultValue = "1", description = "Data page version (default 1).")
    int pageVersion;

    @Option(names = "--page-size", paramLabel = "BYTES", defaultValue = "" + WriterOptions.DEFAULT_PAGE_BYTES,
            description = "Target uncompressed page size (default ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--compression-level", paramLabel = "N",
            description = "Codec level (default: dataset.compression_level, else the codec's default).")
    Integer compressionLevel;

    @Option(names = "--dictionary", description = "Dictionary-encode string columns.")
    boolean dictionary;

    @Option(names = "--byte-stream-split", description = "BYTE_STREAM_SPLIT encoding for float32 and float64 values.")
    boolean byteStreamSplit;

    @Option(names = "--no-crc", description = "Do not write page CRCs.")
    boolean noCrc;

    @Option(names = "--fsync", description = "Force each file to the device before renaming it into place.")
    boolean fsync;

    @Option(names = "--trace", description = "Write this rank's timeline of the generation (Chrome trace-event JSON as"
            + " dftracer writes it: trace-{rank}-of-{size}.pfw, each file and column chunk written) into --trace-dir."
            + " Also workflow.profiling=True, or DFTRACER_ENABLE=1.")
    boolean trace;

    @Option(names = "--trace-gzip", description = "The same, gzip-compressed (.pfw.gz).")
    boolean traceGzip;

    @Option(names = "--trace-dir", paramLabel = "DIR", description = "Where the trace goes (default: output.folder, else"
            + " results/<workload>/generate-<time>).")
    Path traceDir;

    @Option(names = "--keep-cached", description = "Write through the page cache and leave the files there (by default they"
            + " are written with O_DIRECT and each is dropped from the cache once complete, so the next read is cold).")
    boolean keepCached;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** The environment ranks are read from; tests replace it. */
    Map<String, String> environment = System.getenv();

    /** How messages start: {@code inlay generate}, or {@code inlay run} when run runs it. */
    String name = "inlay generate";

    /** Whether to print the config's warnings (not when a workflow that printed them runs this command). */
    boolean printWarnings = true;

    /** Whether the summary goes to stderr: when stdout carries JSON (this command's, or run's). */
    boolean summaryToStderr;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        WorkloadConfig workload;
        try {
            workload = ConfigLoader.load(config, overrides);
        } catch (ConfigException e) {
            err.println(name + ": " + e.describe());
            err.flush();
            return Main.EXIT_USAGE;
        }
        Comm comm;
        try {
            comm = Mpi.connect(environment);
        } catch (MpiException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        try (comm) {
            TraceSession session;
            try {
                session = openTrace(workload, comm, err);
            } catch (ConfigException e) {
                err.println("inlay generate: " + config + ": " + e.getMessage());
                err.flush();
                return Main.EXIT_USAGE;
            } catch (IOException | IllegalStateException e) {
                err.println("inlay generate: cannot write the trace: " + e.getMessage());
                err.flush();
                return Main.EXIT_FAILURE;
            }
            int code = generate(workload, comm, spec.commandLine().getOut(), err);
            if (session != null) {
                boolean written = Tracing.close(session, err, "inlay generate: ");
                if (written && code == Main.EXIT_OK && !common.quiet && comm.rank() == 0) {
                    spec.commandLine().getOut().println("trace in " + session.file().getParent());
                    spec.commandLine().getOut().flush();
                }
                code = written || code != Main.EXIT_OK ? code : Main.EXIT_FAILURE;
            }
            if (code != Main.EXIT_OK && comm.size() > 1) {
                err.flush();
                comm.abort(code); // the other ranks would wait for this one at the barrier
            }
            return code;
        }
    }

    /** This rank's trace of the generation, when one is asked for; null otherwise. */
    private TraceSession openTrace(WorkloadConfig workload, Comm comm, PrintWriter err) throws ConfigException, IOException {
        TraceConfig tc = TraceConfig.of(trace, traceGzip, workload, environment);
        if (tc.warning() != null && comm.rank() == 0 && !common.quiet) {
            err.println("inlay generate: warning: " + tc.warning());
            err.flush();
        }
        if (!tc.enabled()) {
            return null;
        }
        Path dir = traceDir;
        if (dir == null) {
            var output = workload.section("output");
            if (output.isPresent() && output.get().has("folder")) {
                dir = Path.of(output.get().string("folder", null));
            }
        }
        if (dir == null) {
            String name = comm.rank() == 0 ? Path.of("results", ReadCommand.workloadName(config), "generate-"
                    + Workflow.FOLDER_TIME.format(java.time.LocalDateTime.now())).toString() : "";
            dir = Path.of(new String(comm.bcast(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        Ranks r = Ranks.of(comm, this.ranks.rank, this.ranks.worldSize, environment);
        return Tracing.open(dir, tc, r.rank(), r.worldSize(), Clock.system());
    }

    /**
     * Generates this rank's share of {@code workload}'s dataset with this command's options; under
     * MPI, then meets the other ranks (DLIO's barrier after generation) and rank 0 prints the
     * total. Returns the exit code.
     */
    int generate(WorkloadConfig workload, Comm comm, PrintWriter out, PrintWriter err) {
        GenerateOptions options;
        try {
            options = options(workload, comm);
        } catch (ConfigException e) {
            err.println(name + ": " + e.describe());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        if (printWarnings && comm.rank() == 0) {
            workload.warnings().forEach(w -> err.println(name + ": " + w));
            err.flush();
        }
        DatasetSpec dataset = workload.dataset();
        try {
            OutputFiles.check(json, "--json");
            checkDataFolder(dataset.dataFolder());
        } catch (OutputFiles.Unwritable e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        DatasetGenerator generator = new DatasetGenerator(dataset, options);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: abandon the files being written so that their temporary files are deleted
        Thread hook = new Thread(() -> {
            generator.cancel();
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "inlay-generate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GenerateResult result;
        boolean show = !common.quiet && comm.size() == 1;
        ProgressBar bar = show && Terminal.isStderrTerminal() ? new ProgressBar(generator.progress(), System.err) : null;
        long cpuBefore = processCpuNanos();
        try {
            result = generator.run();
        } catch (IOException | RuntimeException e) {
            return failure(err, e, bar);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(err, e, bar);
        } finally {
            finished.countDown();
            removeHook(hook);
        }
        if (bar != null) {
            bar.close();
        }
        double cpuSeconds = cpuBefore < 0 ? -1 : (processCpuNanos() - cpuBefore) / 1e9;
        Map<String, Object> summary = summary(dataset, options, result);
        summary.put("cpu_seconds", cpuSeconds);
        // with the JSON on standard output, the summary lines go to standard error
        PrintWriter summaryOut = summaryToStderr || OutputFiles.isStdout(json) ? err : out;
        if (comm.connected()) {
            comm.barrier();
            double[] sums = comm.allreduce(new double[] {result.filesWritten(), result.filesSkipped(), result.rowsWritten(),
                result.bytesWritten()}, ReduceOp.SUM);
            double[] slowest = comm.allreduce(new double[] {result.seconds()}, ReduceOp.MAX);
            if (!common.quiet) {
                rewriteLines(result).forEach(l -> summaryOut.println("rank " + comm.rank() + ":" + l));
            }
            if (!common.quiet && comm.rank() == 0) {
                summaryOut.println(String.format(Locale.ROOT, "%d ranks generated %d files (%d kept), %,d rows, %.3f GB in %.2f s"
                        + " (slowest rank): %.2f GB/s in %s", comm.size(), (long) sums[0], (long) sums[1], (long) sums[2],
                        sums[3] / 1e9, slowest[0], slowest[0] == 0 ? 0 : sums[3] / 1e9 / slowest[0], dataset.dataFolder()));
            }
            summaryOut.flush();
        } else if (!common.quiet) {
            summaryOut.println(summaryLine(dataset, options, result, cpuSeconds));
            rewriteLines(result).forEach(summaryOut::println);
            summaryOut.flush();
        }
        if (json != null) {
            Path file = Workflow.perRank(json, options.rank(), comm.connected() ? options.worldSize() : 1);
            try {
                OutputFiles.write(file, Json.text(summary), out);
            } catch (IOException e) {
                err.println(name + ": cannot write " + file + ": " + Failures.message(e));
                err.flush();
                return Main.EXIT_FAILURE;
            }
        }
        return Main.EXIT_OK;
    }

    /**
     * Before any work: the data folder exists (created if need be) and a file can be created in
     * it, so that an unwritable folder is one line naming it rather than a failure per file.
     */
    static void checkDataFolder(Path folder) throws OutputFiles.Unwritable {
        String problem = OutputFiles.createFolders(folder);
        if (problem != null) {
            throw new OutputFiles.Unwritable("dataset.data_folder " + folder + ": cannot be created: " + problem);
        }
        try {
            Files.delete(Files.createTempFile(folder, ".inlay-check-", ".tmp"));
        } catch (IOException e) {
            throw new OutputFiles.Unwritable("dataset.data_folder " + folder + ": cannot write there: "
                    + (e instanceof java.nio.file.FileSystemException f ? Failures.reason(f) : Failures.message(e)));
        }
    }

    private GenerateOptions options(WorkloadConfig workload, Comm comm) throws ConfigException {
        Ranks ranks = Ranks.of(comm, this.ranks.rank, this.ranks.worldSize, environment);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new IllegalArgumentException("--threads " + n + " must be at least 1");
        }
        if (pageVersion != 1 && pageVersion != 2) {
            throw new IllegalArgumentException("--page-version " + pageVersion + ": data pages are version 1 or 2");
        }
        WriterOptions w = WriterOptions.defaults().withPageVersion(PageVersion.of(pageVersion))
                .withTargetPageBytes(checkPageSize(pageSize)).withDictionary(dictionary).withByteStreamSplit(byteStreamSplit)
                .withPageCrc(!noCrc).withFsync(fsync);
        Integer level = compressionLevel != null ? compressionLevel
                : workload.compressionLevel().isPresent() ? Integer.valueOf(workload.compressionLevel().getAsInt()) : null;
        CompressionCodec codec = workload.dataset().compression();
        if (level != null && codec != CompressionCodec.UNCOMPRESSED) {
            if (compressionLevel != null) {
                checkLevel(codec, level, "--compression-level");
            } else {
                try {
                    checkLevel(codec, level, "dataset.compression_level");
                } catch (ConfigException e) {
                    throw workload.attribute(e);
                }
            }
            w = w.withCodec(codec, level);
        }
        return new GenerateOptions(seed, n, ranks.rank(), ranks.worldSize(), overwrite, w, keepCached);
    }

    private static void checkLevel(CompressionCodec codec, int level, String where) throws ConfigException {
        try {
            CodecRegistry.standard().provider(codec).checkLevel(level);
        } catch (CodecException | IllegalArgumentException e) {
            throw new ConfigException(where, e.getMessage());
        }
    }

    private static int checkPageSize(int bytes) {
        if (bytes < WriterOptions.MIN_PAGE_BYTES || bytes > WriterOptions.MAX_PAGE_BYTES) {
            throw new IllegalArgumentException("--page-size " + bytes + " is outside " + WriterOptions.MIN_PAGE_BYTES
                    + ".." + WriterOptions.MAX_PAGE_BYTES);
        }
        return bytes;
    }

    private int failure(PrintWriter err, Exception e, ProgressBar bar) {
        if (bar != null) {
            bar.close();
        }
        String message = e instanceof InterruptedException ? "interrupted" : Failures.message(e);
        err.println(name + ": " + message);
        if (common.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return Main.EXIT_FAILURE;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
    }

    static Map<String, Object> summary(DatasetSpec d, GenerateOptions o, GenerateResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", r.filesWritten());
        m.put("files_skipped", r.filesSkipped());
        Map<String, Object> rewritten = new LinkedHashMap<>();
        r.rewritten().forEach((reason, files) -> rewritten.put(reason, files.size()));
        m.put("files_rewritten", rewritten);
        m.put("rows", r.rowsWritten());
        m.put("bytes", r.bytesWritten());
        m.put("seconds", r.seconds());
        m.put("gb_per_second", r.gigabytesPerSecond());
        m.put("codec", d.compression().configName());
        m.put("threads", o.threads());
        m.put("rank", o.rank());
        m.put("world_size", o.worldSize());
        m.put("seed", o.seed());
        m.put("page_version", o.writer().pageVersion().number());
        m.put("data_folder", d.dataFolder().toString());
        return m;
    }

    /**
     * The summary line. {@code cpuSeconds}: the process's CPU time (user + system, every thread: the
     * writers, their background writes, JIT and GC) while it generated, or negative if unknown;
     * the line then also says how many GB each CPU second produced, the figure that does not
     * depend on how busy the machine is or how fast the device is.
     */
    static String summaryLine(DatasetSpec d, GenerateOptions o, GenerateResult r, double cpuSeconds) {
        int rewritten = r.rewritten().values().stream().mapToInt(List::size).sum();
        String cpu = cpuSeconds <= 0 ? "" : String.format(Locale.ROOT, ", %.2f CPU s: %.2f GB per CPU second", cpuSeconds,
                r.bytesWritten() / 1e9 / cpuSeconds);
        return String.format(Locale.ROOT, "generated %s (%d kept%s), %s, %.3f GB in %.2f s: %.2f GB/s%s"
                + " (%s, %s, rank %d of %d) in %s", Plural.of(r.filesWritten(), "file"), r.filesSkipped(),
                rewritten == 0 ? "" : ", " + rewritten + " rewritten", Plural.of(r.rowsWritten(), "row"),
                r.bytesWritten() / 1e9, r.seconds(), r.gigabytesPerSecond(), cpu, d.compression().configName(),
                Plural.of(o.threads(), "thread"), o.rank(), o.worldSize(), d.dataFolder());
    }

    /** The process's CPU time so far in nanoseconds, or -1 where the JVM does not say. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * One line per reason files were rewritten: {@code rewrote 4 files: compression snappy (now zstd)};
     * for damaged files, the first one's problem in full.
     */
    static List<String> rewriteLines(GenerateResult r) {
        List<String> lines = new ArrayList<>();
        r.rewritten().forEach((reason, files) -> {
            FileResult first = files.get(0);
            String detail = first.rewriteDetail();
            String where = first.path().toString();
            String example = reason.equals(detail) ? ""
                    : " (" + (detail.startsWith(where) ? detail : where + ": " + detail)
                    + (files.size() > 1 ? "; and " + Plural.of(files.size() - 1, "other") : "") + ")";
            lines.add("  rewrote " + Plural.of(files.size(), "file") + ": " + reason + example);
        });
        return lines;
    }
}
