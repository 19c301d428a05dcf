package io.inlay.cli;

import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay verify FILE|DIR ...}: reads every page of every column of every file (CRCs checked)
 * in one JVM and prints one line per file; exits 1 if any file failed, or if a directory holds no
 * Parquet file.
 */
@Command(name = "verify", description = "Read every page of every file (CRCs checked); one OK/ERROR line per file.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Files, or directories searched for *.parquet files.")
    List<Path> paths;

    @Option(names = "--threads", paramLabel = "N", description = "Files verified at once (default: cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-crc", description = "Do not verify page CRCs.")
    boolean noCrc;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    private record Outcome(boolean ok, String line) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 1) {
            err.println("inlay verify: --threads must be at least 1, got " + threads);
            return Main.EXIT_USAGE;
        }
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".parquet"))
                            .sorted().forEach(found::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    return Failures.report(err, "verify", e, common.verbose);
                }
                if (found.isEmpty()) {
                    err.println("inlay verify: " + p + ": no Parquet files (*.parquet) in this directory or below");
                    err.flush();
                    return Main.EXIT_FAILURE;
                }
                files.addAll(found);
            } else {
                files.add(p);
            }
        }
        ReadOptions options = ReadOptions.DEFAULT.withVerifyCrc(!noCrc);
        int failed = 0;
        long start = System.nanoTime();
        long rows = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (Path f : files) {
                outcomes.add(pool.submit(() -> verify(f, options)));
            }
            for (Future<Outcome> o : outcomes) {
                Outcome r;
                try {
                    r = o.get();
                } catch (Exception e) {
                    r = new Outcome(false, "ERROR " + Failures.message(e.getCause() == null ? e : e.getCause()));
                }
                if (!r.ok() || !common.quiet) {
                    out.println(r.line());
                    out.flush();
                }
                failed += r.ok() ? 0 : 1;
                if (r.ok()) {
                    rows += Long.parseLong(r.line().replaceAll(".* rows=(\\d+).*", "$1"));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!common.quiet) {
            err.printf(java.util.Locale.ROOT, "inlay verify: %s, %d failed, %s, %.2f s%s%n", Plural.of(files.size(), "file"),
                    failed, Plural.of(rows, "row"), seconds, noCrc ? " (CRCs not checked)" : "");
            err.flush();
        }
        return failed == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private Outcome verify(Path f, ReadOptions options) {
        try (ParquetFile pf = ParquetFile.open(f, options)) {
            ParquetFile.VerifyReport r = pf.verify();
            return new Outcome(true, "OK " + f + " rows=" + r.rows() + " row_groups=" + r.rowGroups() + " columns="
                    + r.columnsDecoded() + (noCrc ? " crc=unchecked" : " crc_pages=" + r.pagesWithCrc())
                    + (r.columnsSkipped().isEmpty() ? "" : " unsupported=" + String.join(";", r.columnsSkipped())));
        } catch (Exception | InternalError | OutOfMemoryError e) {
            if (common.verbose) {
                e.printStackTrace();
            }
            String m = Failures.message(e);
            return new Outcome(false, "ERROR " + (m.startsWith(f.toString()) ? m : f + ": " + m));
        }
    }
}
