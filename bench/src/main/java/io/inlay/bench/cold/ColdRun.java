package io.inlay.bench.cold;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.engine.read.PageCache;
import io.inlay.engine.read.ParquetFile;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Issue 13's cold-read benchmark ({@code bench/run.sh cold}): every contender reads the same files
 * from the device, side by side in one run, against fio's floors on those files.
 *
 * <p><b>A run.</b> The cases' files are written once ({@link ColdData}); every in-process contender
 * then reads every case {@code warmup} times untimed (JIT compilation; its checksum gated already).
 * Then come {@code rounds} rounds; in each, every case is read by every contender in turn, the
 * order rotated by one each round so that no contender always follows the same one. Right before
 * each timed read the case's files are evicted from the page cache ({@link CacheControl}: what
 * stayed resident is reported beside the figure) or, for the hot view, read into it. Every
 * contender that sums returns the sum of the projected floats, which must equal the case's
 * reference sum bit for bit or the run stops. Figures are medians over the rounds.
 *
 * <p><b>Arguments</b> (all {@code key=value}, all optional):
 * {@code scale} (full | quick | tiny), {@code data} (the data directory; cases go under
 * {@code <data>/cold-<scale>/}), {@code threads} (1), {@code rounds} (3), {@code warmup} (1),
 * {@code cases} and {@code contenders} (comma-separated names, default all), {@code views}
 * (matrix,dlio,hot), {@code fio}, {@code python} (a Python with pyarrow), {@code pyarrow} (the path
 * of {@code pyarrow_read.py}), {@code inlay} (the {@code ./inlay} launcher) — each {@code none} to
 * leave its contenders out — and {@code out} (the JSON file). Prints a line per read and a summary;
 * exits 1 if a checksum differs (naming both sums; the run stops there) or the run cannot go on, 2 on
 * bad arguments, {@value #EXIT_READS_FAILED} when the run finished but some reads failed (each named in the output and in
 * the JSON's {@code errors}).
 *
 * <p>Arrow C++ sizes its thread pool once per process: run one JVM per thread count (run.sh does).
 */
public final class ColdRun {
    private ColdRun() {}

    /** The exit code of a run that finished with some reads failed. */
    public static final int EXIT_READS_FAILED = 3;

    /** What to run. */
    public record Settings(ColdCase.Scale scale, Path data, List<Integer> threads, int rounds, int warmup,
            Set<String> cases, Set<String> contenders, Set<ColdContender.View> views, String fio, String python,
            String pyarrow, String inlay, Path out) {

        /** Parses {@code key=value} arguments; see the class comment. */
        public static Settings parse(String... args) {
            Map<String, String> o = new LinkedHashMap<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("argument '" + a + "' is not key=value");
                }
                o.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
            }
            Set<String> known = Set.of("scale", "data", "threads", "rounds", "warmup", "cases", "contenders", "views", "fio",
                    "python", "pyarrow", "inlay", "out");
            for (String k : o.keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown argument '" + k + "'; known: " + String.join(", ", known));
                }
            }
            List<Integer> threads = list(o.getOrDefault("threads", "1")).stream().map(t -> positive("threads", t)).toList();
            Set<ColdContender.View> views = new LinkedHashSet<>();
            for (String v : list(o.getOrDefault("views", "matrix,dlio,hot"))) {
                try {
                    views.add(ColdContender.View.valueOf(v.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("views: '" + v + "' is not one of matrix, dlio, hot");
                }
            }
            ColdCase.Scale scale = ColdCase.Scale.of(o.getOrDefault("scale", "full"));
            return new Settings(scale, Path.of(o.getOrDefault("data", "bench-data")).toAbsolutePath(), threads,
                    positive("rounds", o.getOrDefault("rounds", "3")),
                    Integer.parseInt(o.getOrDefault("warmup", "1")),
                    new LinkedHashSet<>(list(o.getOrDefault("cases", ""))),
                    new LinkedHashSet<>(list(o.getOrDefault("contenders", ""))), views,
                    tool(o.get("fio")), tool(o.get("python")), tool(o.get("pyarrow")), tool(o.get("inlay")),
                    Path.of(o.getOrDefault("out", "bench/results/cold.json")).toAbsolutePath());
        }

        /** A tool's path: none for left out; a relative path with a '/' made absolute (subprocesses run elsewhere). */
        private static String tool(String v) {
            if (v == null || v.isBlank() || v.equals("none")) {
                return null;
            }
            return v.contains("/") ? Path.of(v).toAbsolutePath().toString() : v;
        }

        private static int positive(String key, String v) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException(key + ": '" + v + "' is not a positive whole number");
        }
    }

    /** A checksum that differs from the reference: the run stops. */
    static final class GateFailure extends Exception {
        private static final long serialVersionUID = 1L;

        GateFailure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("cold: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            Map<String, Object> result = run(settings, System.out);
            code = ((List<?>) result.get("errors")).isEmpty() ? 0 : EXIT_READS_FAILED;
        } catch (GateFailure e) {
            System.err.println("cold: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            System.err.println("cold: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Whether a multi-epoch view reads this case: the uncompressed vector file and the many files (hot: the file only). */
    static boolean dlioCase(ColdCase c, ColdContender.View view) {
        boolean vectorNone = c.id().startsWith("vector-") && c.id().endsWith("-none");
        return switch (view) {
            case MATRIX -> true;
            case DLIO -> vectorNone || c.id().startsWith("files-");
            case HOT -> vectorNone;
        };
    }

    /**
     * Runs the benchmark, printing progress to {@code log}, and writes the JSON to {@code settings.out()};
     * returns what it wrote. Throws {@link GateFailure} (after writing what was measured) if a checksum differs.
     */
    public static Map<String, Object> run(Settings s, PrintStream log) throws Exception {
        Instant started = Instant.now();
        String machine = Counters.machine(started.truncatedTo(ChronoUnit.SECONDS).toString());
        log.println(machine);
        Path root = s.data().resolve("cold-" + s.scale().id());
        Path scratch = root.resolve("scratch");
        List<ColdCase> cases = new ArrayList<>();
        for (ColdCase c : ColdCase.all(s.scale(), root)) {
            if (s.cases().isEmpty() || s.cases().contains(c.id())) {
                cases.add(c);
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("cases: none of " + s.cases() + " is a case at scale " + s.scale().id()
                    + " (" + String.join(", ", ColdCase.all(s.scale(), root).stream().map(ColdCase::id).toList()) + ")");
        }
        Map<String, Double> reference = new LinkedHashMap<>();
        List<Map<String, Object>> caseInfo = new ArrayList<>();
        for (ColdCase c : cases) {
            double sum = ColdData.ensure(c);
            reference.put(c.id(), sum);
            caseInfo.add(caseInfo(c, sum));
        }
        List<String> skipped = new ArrayList<>();
        List<ColdContender> contenders = contenders(s, scratch, skipped);
        skipped.forEach(m -> log.println("cold: " + m));
        if (!PageCache.supported()) {
            log.println("cold: posix_fadvise/mincore are not available here: files cannot be evicted, reads are NOT cold");
        }
        Path deviceStat = Counters.deviceStat(cases.get(0).files().get(0));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "inlay-cold-read");
        result.put("format", 1);
        result.put("machine", machine);
        result.put("started", started.toString());
        result.put("load_average_start", list(Counters.loadAverage()));
        Map<String, Object> settingsJson = new LinkedHashMap<>();
        settingsJson.put("scale", s.scale().id());
        settingsJson.put("threads", s.threads());
        settingsJson.put("rounds", s.rounds());
        settingsJson.put("warmup", s.warmup());
        settingsJson.put("data", root.toString());
        settingsJson.put("fio", s.fio());
        settingsJson.put("python", s.python());
        settingsJson.put("inlay", s.inlay());
        settingsJson.put("device_stat", deviceStat == null ? null : deviceStat.toString());
        settingsJson.put("contenders", contenders.stream().map(ColdContender::name).toList());
        result.put("settings", settingsJson);
        result.put("skipped", skipped);
        result.put("cases", caseInfo);
        List<Map<String, Object>> samples = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        result.put("samples", samples);
        result.put("errors", errors);
        try {
            for (int w = 1; w <= s.warmup(); w++) {
                for (ColdCase c : cases) {
                    for (int t : s.threads()) {
                        for (ColdContender k : contenders) {
                            if (k.inProcess() && k.supports(c)) {
                                samples.add(measure(k, c, t, 0, reference.get(c.id()), deviceStat, false, log, errors));
                            }
                        }
                    }
                }
            }
            for (int r = 1; r <= s.rounds(); r++) {
                for (ColdCase c : cases) {
                    for (int t : s.threads()) {
                        List<ColdContender> order = new ArrayList<>();
                        for (ColdContender k : contenders) {
                            if (k.supports(c)) {
                                order.add(k);
                            }
                        }
                        if (!order.isEmpty()) {
                            java.util.Collections.rotate(order, -((r - 1) % order.size()));
                        }
                        for (ColdContender k : order) {
                            samples.add(measure(k, c, t, r, reference.get(c.id()), deviceStat, true, log, errors));
                        }
                    }
                }
                log.printf(Locale.ROOT, "cold: round %d of %d done, load average %s%n", r, s.rounds(),
                        Arrays.toString(Counters.loadAverage()));
            }
        } catch (GateFailure e) {
            errors.add(e.getMessage());
            finish(result, samples, s, log);
            throw e;
        } finally {
            for (ColdContender k : contenders) {
                k.close();
            }
        }
        finish(result, samples, s, log);
        return result;
    }

    private static void finish(Map<String, Object> result, List<Map<String, Object>> samples, Settings s, PrintStream log)
            throws Exception {
        result.put("finished", Instant.now().toString());
        result.put("load_average_end", list(Counters.loadAverage()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) result.get("cases");
        List<Map<String, Object>> summary = Summary.of(samples, cases);
        result.put("summary", summary);
        Files.createDirectories(s.out().getParent());
        Files.writeString(s.out(), JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(result) + "\n",
                StandardCharsets.UTF_8);
        Summary.print(summary, log);
        log.println("cold: results in " + s.out());
    }

    private static Map<String, Object> caseInfo(ColdCase c, double sum) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("description", c.description());
        m.put("files", c.files().size());
        m.put("file_bytes", ColdData.fileBytes(c));
        long projected = 0;
        for (Path f : c.files()) {
            try (ParquetFile file = ParquetFile.open(f)) {
                projected += file.projectedBytes(c.projectedNames());
            }
        }
        m.put("projected_chunk_bytes", projected);
        m.put("projected_value_bytes", c.projectedValueBytes());
        m.put("columns", c.dataset().columns().size());
        m.put("projected_columns", c.projectedNames());
        m.put("row_groups_per_file", c.rowGroupsPerFile());
        m.put("codec", c.dataset().compression().configName());
        m.put("reference_sum", Double.toHexString(sum));
        m.put("reference_sum_decimal", sum);
        m.put("folder", c.dataset().dataFolder().toString());
        return m;
    }

    /** The contenders the settings ask for and the machine has; what is left out goes to {@code skipped}, with why. */
    static List<ColdContender> contenders(Settings s, Path scratch, List<String> skipped) {
        List<ColdContender> all = new ArrayList<>();
        boolean matrix = s.views().contains(ColdContender.View.MATRIX);
        boolean dlio = s.views().contains(ColdContender.View.DLIO);
        boolean hot = s.views().contains(ColdContender.View.HOT);
        String py = s.python() != null && s.pyarrow() != null ? s.python() : null;
        if (matrix) {
            if (s.fio() != null) {
                all.addAll(FioFloor.standard(s.fio(), scratch));
            } else {
                skipped.add("fio floors left out (no fio given: install fio, or run bench/run.sh cold, which does)");
            }
            for (JvmReader.Factory f : JvmReaders.all()) {
                all.add(new InProcess(f));
            }
            // the default engine from the page cache: the hot decode rate zstd's cold target is held against
            all.add(new InProcess(JvmReaders.INLAY_ENGINES.getFirst(), ColdContender.Cache.HOT));
            if (py != null) {
                all.add(new PyarrowRun("pyarrow-reference", ColdContender.View.MATRIX, ColdContender.Cache.COLD, "reference",
                        1, false, py, s.pyarrow(), scratch));
                all.add(new PyarrowRun("pyarrow-projected", ColdContender.View.MATRIX, ColdContender.Cache.COLD, "projected",
                        1, false, py, s.pyarrow(), scratch));
            }
        }
        if (py == null && (matrix || dlio || hot)) {
            skipped.add("pyarrow contenders left out (no python with pyarrow given)");
        }
        if (s.inlay() == null && (dlio || hot)) {
            skipped.add("inlay read contenders left out (no ./inlay launcher given)");
        }
        if (dlio) {
            if (s.inlay() != null) {
                all.add(new InlayReadRun("inlay-read-evict-3ep", ColdContender.View.DLIO, ColdContender.Cache.COLD, 3, true,
                        s.inlay(), List.of(), scratch));
            }
            if (py != null) {
                all.add(new PyarrowRun("pyarrow-reference-evict-3ep", ColdContender.View.DLIO, ColdContender.Cache.COLD,
                        "reference", 3, true, py, s.pyarrow(), scratch));
            }
        }
        if (hot) {
            if (s.inlay() != null) {
                all.add(new InlayReadRun("inlay-read-hot-5ep", ColdContender.View.HOT, ColdContender.Cache.HOT, 5, false,
                        s.inlay(), List.of(), scratch));
            }
            if (py != null) {
                all.add(new PyarrowRun("pyarrow-reference-hot-5ep", ColdContender.View.HOT, ColdContender.Cache.HOT,
                        "reference", 5, false, py, s.pyarrow(), scratch));
            }
        }
        if (s.contenders().isEmpty()) {
            return all;
        }
        List<ColdContender> chosen = new ArrayList<>();
        for (ColdContender k : all) {
            if (s.contenders().contains(k.name())) {
                chosen.add(k);
            } else {
                k.close();
            }
        }
        for (String name : s.contenders()) {
            if (all.stream().noneMatch(k -> k.name().equals(name))) {
                throw new IllegalArgumentException("contenders: '" + name + "' is not a contender of this run; known: "
                        + String.join(", ", all.stream().map(ColdContender::name).toList()));
            }
        }
        return chosen;
    }

    /** One read: the page cache prepared, the read, the gate, the counters around it. */
    private static Map<String, Object> measure(ColdContender k, ColdCase c, int threads, int round, double reference,
            Path deviceStat, boolean timed, PrintStream log, List<String> errors) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", round);
        m.put("warmup", !timed);
        m.put("view", k.view().name().toLowerCase(Locale.ROOT));
        m.put("case", c.id());
        m.put("threads", threads);
        m.put("contender", k.name());
        m.put("kind", k.kind());
        CacheControl.Report cache = null;
        if (timed) {
            cache = CacheControl.prepare(k.cache(), c.files());
            m.put("cache", cacheJson(cache));
        } else {
            System.gc();
        }
        double load = Counters.loadAverage()[0];
        long dev0 = Counters.deviceReadBytes(deviceStat);
        ColdContender.Outcome o;
        try {
            o = k.run(c, threads);
        } catch (Exception e) {
            String msg = k.name() + " on " + c.id() + " (" + threads + " thread" + (threads == 1 ? "" : "s") + ", round " + round
                    + ") failed: " + e.getMessage();
            log.println("cold: " + msg);
            errors.add(msg);
            m.put("error", msg);
            return m;
        }
        long dev1 = Counters.deviceReadBytes(deviceStat);
        m.put("utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("load1", load);
        m.put("seconds", o.seconds());
        m.put("bytes", o.bytes());
        m.put("mb_per_s", o.bytes() / o.seconds() / 1e6);
        String gate = "n/a";
        if (o.checksum() != null) {
            m.put("checksum", Double.toHexString(o.checksum()));
            if (Double.compare(o.checksum(), reference) != 0) {
                m.put("gate", "MISMATCH");
                throw new GateFailure(String.format(Locale.ROOT,
                        "checksum gate: %s (%d thread%s) summed %s = %.17g on %s but the reference (parquet-java, 1 thread)"
                                + " is %s = %.17g (difference %.6g); the run stops here",
                        k.name(), threads, threads == 1 ? "" : "s", Double.toHexString(o.checksum()), o.checksum(), c.id(),
                        Double.toHexString(reference), reference, o.checksum() - reference));
            }
            gate = "ok";
        }
        m.put("gate", gate);
        m.put("storage_bytes", o.storageBytes());
        m.put("device_bytes", dev0 < 0 || dev1 < 0 ? -1 : dev1 - dev0);
        m.put("cpu_seconds", Double.isNaN(o.cpuSeconds()) ? null : o.cpuSeconds());
        m.put("detail", o.detail());
        log.printf(Locale.ROOT, "%-7s %-18s %dt  %-28s %8.3f s %8.1f MB/s  storage %s  %s  gate %-3s  load %.2f%n",
                timed ? "round " + round : "warmup", c.id(), threads, k.name(), o.seconds(), o.bytes() / o.seconds() / 1e6,
                o.storageBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", o.storageBytes() / 1e6),
                cache == null ? "(page cache as left)" : cacheText(cache), gate, load);
        return m;
    }

    private static Map<String, Object> cacheJson(CacheControl.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("asked", r.cache().name().toLowerCase(Locale.ROOT));
        m.put("files", r.files());
        m.put("files_ok", r.filesOk());
        m.put("file_bytes", r.fileBytes());
        m.put("resident_before", r.residentBefore());
        m.put("resident_after", r.residentAfter());
        m.put("attempts", r.attempts());
        m.put("worked", r.worked());
        return m;
    }

    private static String cacheText(CacheControl.Report r) {
        if (r.cache() == ColdContender.Cache.COLD) {
            return String.format(Locale.ROOT, "evicted %d/%d (%s resident left)%s", r.filesOk(), r.files(),
                    bytes(r.residentAfter()), r.worked() ? "" : " NOT COLD");
        }
        return String.format(Locale.ROOT, "hot %d/%d (%,d of %,d bytes resident)%s", r.filesOk(), r.files(), r.residentAfter(),
                r.fileBytes(), r.worked() ? "" : " NOT ALL CACHED");
    }

    private static String bytes(long b) {
        if (b >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        if (b >= 1000) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1e3);
        }
        return b + " B";
    }

    private static List<Double> list(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double d : a) {
            l.add(Double.isNaN(d) ? null : d);
        }
        return l;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
