package io.inlay.bench.read;

import io.inlay.bench.KeyValueArgs;
import io.inlay.bench.data.DatasetSpec;
import io.inlay.bench.data.Datasets;
import io.inlay.bench.data.Shape;
import io.inlay.bench.data.Sizes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checksum gate: before anything is timed, a contender's sum of a file must equal the
 * reference sum, which {@value #REFERENCE} computes once with one thread (and which is cached
 * beside the file in {@code <file>.sum}). Benchmark data makes every sum exact whatever the
 * order (see {@link DatasetSpec}), so sums are compared exactly, with no tolerance, across
 * contenders and thread counts.
 *
 * <p>{@link ReadBenchmark} checks its contender in every trial's setup; {@link #main} checks every
 * contender on every file of a run at once, before the JMH run starts, and prints a table.
 */
public final class ChecksumGate {

    /** The contender whose single-threaded sum is the reference. */
    public static final String REFERENCE = "floor-scan";

    private ChecksumGate() {}

    /** The reference sum of {@code file}, from the cache beside it or computed now. */
    public static double reference(Path file, Shape shape) throws Exception {
        Path cache = file.resolveSibling(file.getFileName() + ".sum");
        String key = Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + " ";
        if (Files.exists(cache)) {
            String text = Files.readString(cache, StandardCharsets.UTF_8).trim();
            if (text.startsWith(key)) {
                return Double.parseDouble(text.substring(key.length()));
            }
        }
        double sum;
        try (Contender floor = Contenders.get(REFERENCE).open(new ReadTarget(file, shape, 1))) {
            sum = floor.sum();
        }
        Files.writeString(cache, key + Double.toHexString(sum) + "\n", StandardCharsets.UTF_8);
        return sum;
    }

    /**
     * Throws unless {@code sum} equals {@code reference} exactly, with a message naming the file,
     * both contenders and both sums.
     */
    public static void check(String contender, int threads, double sum, Path file, double reference)
            throws ChecksumMismatchException {
        if (Double.compare(sum, reference) != 0) {
            throw new ChecksumMismatchException(String.format(Locale.ROOT,
                    "checksum gate: %s (%d thread%s) summed %s = %.17g but %s (1 thread) summed %s = %.17g "
                            + "on %s (difference %.6g); the run stops here",
                    contender, threads, threads == 1 ? "" : "s", Double.toHexString(sum), sum, REFERENCE,
                    Double.toHexString(reference), reference, file, sum - reference));
        }
    }

    /**
     * What a benchmark's trial setup does: writes the file of {@code spec} if missing, opens
     * {@code contender} on it and gates its first sum against the reference. The caller closes the
     * contender.
     */
    public static Contender openChecked(String contender, DatasetSpec spec, int threads) throws Exception {
        Path file = Datasets.ensure(spec);
        double reference = reference(file, spec.shape());
        Contender reader = Contenders.get(contender).open(new ReadTarget(file, spec.shape(), threads));
        try {
            check(contender, threads, reader.sum(), file, reference);
        } catch (Exception | Error e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /**
     * Checks every contender on every file of a run. Arguments, all optional, as {@code key=a,b}:
     * {@code contenders} (default all), {@code shapes} (vector), {@code sizes} (64MiB),
     * {@code codecs} (none), {@code threads} (1,2), {@code rowGroupRows} (0 = the shape's default).
     * Exits with 1 if any sum differs, naming the contenders and sums.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = KeyValueArgs.parse(args);
        List<String> contenders = list(opts.getOrDefault("contenders", String.join(",", Contenders.all().keySet())));
        List<String> failures = new ArrayList<>();
        for (String shape : list(opts.getOrDefault("shapes", "vector"))) {
            for (String size : list(opts.getOrDefault("sizes", "64MiB"))) {
                for (String codec : list(opts.getOrDefault("codecs", "none"))) {
                    DatasetSpec spec = new DatasetSpec(Shape.of(shape), Sizes.parse(size), codec,
                            Integer.parseInt(opts.getOrDefault("rowGroupRows", "0")), DatasetSpec.DEFAULT_SEED);
                    Path file = Datasets.ensure(spec);
                    double reference = reference(file, spec.shape());
                    System.out.printf(Locale.ROOT, "%s: reference %s = %.17g%n", spec, Double.toHexString(reference), reference);
                    for (String name : contenders) {
                        for (String t : list(opts.getOrDefault("threads", "1,2"))) {
                            int threads = Integer.parseInt(t);
                            ContenderFactory factory = Contenders.get(name);
                            if (!factory.supportsThreads(threads) || !factory.supportsCodec(codec)) {
                                continue;
                            }
                            double sum;
                            long start = System.nanoTime();
                            try (Contender c = factory.open(new ReadTarget(file, spec.shape(), threads))) {
                                sum = c.sum();
                            }
                            double seconds = (System.nanoTime() - start) / 1e9;
                            String verdict = "OK";
                            try {
                                check(name, threads, sum, file, reference);
                            } catch (ChecksumMismatchException e) {
                                verdict = "MISMATCH";
                                failures.add(e.getMessage());
                            }
                            System.out.printf(Locale.ROOT, "  %-14s %d thread(s)  %-24s %8.3f s  %s%n", name, threads,
                                    Double.toHexString(sum), seconds, verdict);
                        }
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            failures.forEach(System.err::println);
            System.exit(1);
        }
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
