package io.inlay.cli.run;

import io.inlay.engine.read.PageCache;
import io.inlay.engine.schema.ColumnSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One rank's figures of a training read: its epochs ({@link EpochStats}), each with a training
 * and maybe an evaluation phase ({@link PhaseStats}), the process's memory and the workers'
 * figures, and their JSON form ({@code inlay read --json}; every key documented in
 * docs/RESULTS.md). Every per-epoch rate is over DLIO's metric window; figures over all epochs
 * are DLIO's means over epochs. A report can be read while the run goes on (an interrupted
 * run's partial figures): readers see a consistent snapshot of each phase.
 */
public final class RunReport {
    static final double MB = 1e6;
    static final double MIB = 1024.0 * 1024.0;

    private final ReadPlan plan;
    private final Clock clock;
    private final List<EpochStats> epochs = new ArrayList<>();
    private long startNanos;
    private long endNanos = -1;
    private boolean complete;
    private long peakHeap;
    private long peakRssAnon;
    private long gcCount;
    private double gcSeconds;
    private List<ThreadStats> threads = List.of();
    private boolean listFiles;

    RunReport(ReadPlan plan, Clock clock) {
        this.plan = plan;
        this.clock = clock;
    }

    synchronized void start(long nanos) {
        startNanos = nanos;
    }

    synchronized EpochStats startEpoch(int number, long nanos) {
        EpochStats e = new EpochStats(number, nanos);
        epochs.add(e);
        return e;
    }

    synchronized void finish(long nanos, boolean completed, long heap, long rss, long gcs, double gcTime,
            List<ThreadStats> threadStats) {
        this.endNanos = nanos;
        this.complete = completed;
        this.peakHeap = heap;
        this.peakRssAnon = rss;
        this.gcCount = gcs;
        this.gcSeconds = gcTime;
        this.threads = List.copyOf(threadStats);
    }

    /** Embeds the full file list in the JSON ({@code file_list}); by default only its count and digest. */
    public synchronized RunReport listFiles(boolean on) {
        this.listFiles = on;
        return this;
    }

    public ReadPlan plan() {
        return plan;
    }

    public Clock clock() {
        return clock;
    }

    /** The epochs recorded so far (the last may be incomplete). */
    public synchronized List<EpochStats> epochs() {
        return List.copyOf(epochs);
    }

    /** Whether every epoch ran to its end (false for an interrupted run). */
    public synchronized boolean complete() {
        return complete;
    }

    public synchronized long startNanos() {
        return startNanos;
    }

    /** The run's end, or now while it runs. */
    public synchronized long endOrNow() {
        return endNanos >= 0 ? endNanos : clock.nanoTime();
    }

    /** A worker's figures over the run. */
    static final class ThreadStats {
        final int index;
        long files;
        long rows;
        long bytesRead;
        long bytesDecoded;
        long busyNanos;
        long readNanos;
        long blockedNanos;

        ThreadStats(int index) {
            this.index = index;
        }

        /**
         * A file read: {@code busy} from its open to its last batch handed over, {@code reading} the
         * same less the waits for a free batch (what storage and decoding took).
         */
        synchronized void file(long r, long read, long decoded, long busy, long reading) {
            files++;
            rows += r;
            bytesRead += read;
            bytesDecoded += decoded;
            busyNanos += busy;
            readNanos += reading;
        }

        synchronized long blockedNanos() {
            return blockedNanos;
        }

        synchronized long readNanos() {
            return readNanos;
        }

        synchronized void blocked(long nanos) {
            blockedNanos += nanos;
        }

        synchronized Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("thread", index);
            m.put("files", files);
            m.put("rows", rows);
            m.put("bytes_read", bytesRead);
            m.put("bytes_decoded", bytesDecoded);
            m.put("read_seconds", busyNanos / 1e9);
            m.put("blocked_seconds", blockedNanos / 1e9);
            m.put("read_mb_per_second", busyNanos == 0 ? null : bytesRead / MB / (busyNanos / 1e9));
            return m;
        }
    }

    // ---- per epoch, over DLIO's window ----

    /** The training window of an epoch. */
    public PhaseStats.Window trainWindow(EpochStats e) {
        return e.train().window(plan.excludeStartSteps(), plan.excludeEndSteps(), clock.nanoTime());
    }

    /** The evaluation window of an epoch, or null. */
    public PhaseStats.Window evalWindow(EpochStats e) {
        PhaseStats ev = e.eval();
        return ev == null ? null : ev.window(plan.excludeStartSteps(), plan.excludeEndSteps(), clock.nanoTime());
    }

    /** Epochs whose training phase started. */
    private List<EpochStats> trained() {
        return epochs().stream().filter(e -> e.train() != null).toList();
    }

    /** Per-epoch training AU (%) as DLIO lists it; null entries where the window is empty. */
    public List<Double> trainAu() {
        return trained().stream().map(e -> trainWindow(e).auPercent()).toList();
    }

    /** Per-epoch training throughput (samples/s, this rank). */
    public List<Double> trainThroughput() {
        return trained().stream().map(e -> trainWindow(e).samplesPerSecond()).toList();
    }

    public long samples() {
        return trained().stream().mapToLong(e -> e.train().samples()).sum();
    }

    public long steps() {
        return trained().stream().mapToLong(e -> e.train().steps()).sum();
    }

    public long bytesRead() {
        return trained().stream().mapToLong(e -> e.train().bytesRead()).sum();
    }

    public long bytesDecoded() {
        return trained().stream().mapToLong(e -> e.train().bytesDecoded()).sum();
    }

    public long filesRead() {
        return trained().stream().mapToLong(e -> e.train().files()).sum();
    }

    /** Wall seconds of the run. */
    public double seconds() {
        return (endOrNow() - startNanos()) / 1e9;
    }

    /** Mean over epochs of the training AU, as a fraction; NaN when no epoch has one. */
    public double au() {
        Double m = Stats.mean(trainAu());
        return m == null ? Double.NaN : m / 100;
    }

    /** Mean over epochs of the training throughput (samples/s); 0 when none. */
    public double samplesPerSecond() {
        Double m = Stats.mean(trainThroughput());
        return m == null ? 0 : m;
    }

    public boolean auPass() {
        return !Double.isNaN(au()) && au() >= plan.auExpected();
    }

    /** Where the training time went, on the accelerator and on the reader threads, and what bounds the run. */
    public TimeBreakdown timeBreakdown() {
        List<ThreadStats> ts;
        synchronized (this) {
            ts = threads;
        }
        double wall = 0;
        double compute = 0;
        double load = 0;
        double barrier = 0;
        double startup = 0;
        long now = clock.nanoTime();
        for (EpochStats e : trained()) {
            PhaseStats p = e.train();
            wall += p.seconds(now);
            compute += p.totalSeconds("compute");
            load += p.totalSeconds("load");
            double[] waits = p.seconds("load");
            for (int i = 0; i < Math.min(plan.excludeStartSteps(), waits.length); i++) {
                startup += waits[i];
            }
            barrier += p.barrierSeconds();
        }
        double read = 0;
        double blocked = 0;
        for (ThreadStats t : ts) {
            read += t.readNanos() / 1e9;
            blocked += t.blockedNanos() / 1e9;
        }
        int threadCount = plan.files().isEmpty() ? 0 : plan.threads();
        return TimeBreakdown.of(wall, compute, load, startup, barrier, threadCount, null, read, blocked,
                Runtime.getRuntime().availableProcessors());
    }

    /** Storage bytes per second (MB = 10^6 bytes) over the epochs' windows pooled. */
    public Double storageMbPerSecond() {
        double bytes = 0;
        double secs = 0;
        for (EpochStats e : trained()) {
            PhaseStats.Window w = trainWindow(e);
            if (w.defined()) {
                bytes += w.storageBytes();
                secs += w.seconds();
            }
        }
        return secs == 0 ? null : bytes / MB / secs;
    }

    private Double decodedMbPerSecond() {
        double bytes = 0;
        double secs = 0;
        for (EpochStats e : trained()) {
            PhaseStats.Window w = trainWindow(e);
            if (w.defined()) {
                bytes += w.decodedBytes();
                secs += w.seconds();
            }
        }
        return secs == 0 ? null : bytes / MB / secs;
    }

    /** DLIO's I/O figure: samples/s times record_length_bytes, in MiB/s (DLIO calls it MB/s). */
    public Double dlioIoMbPerSecond(Double samplesPerSecond) {
        return samplesPerSecond == null ? null : samplesPerSecond * plan.recordLength() / MIB;
    }

    /** SHA-256 of the file paths, one a line, in order. */
    public static String digest(List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                md.update(f.toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every figure, under the stable keys of docs/RESULTS.md (absent figures are null). */
    public Map<String, Object> json() {
        boolean list;
        long heap;
        long rss;
        long gcs;
        double gcTime;
        List<ThreadStats> ts;
        boolean done;
        synchronized (this) {
            list = listFiles;
            heap = peakHeap;
            rss = peakRssAnon;
            gcs = gcCount;
            gcTime = gcSeconds;
            ts = threads;
            done = complete;
        }
        List<EpochStats> all = trained();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inlay_version", version());
        m.put("complete", done);
        m.put("rank", plan.rank());
        m.put("world_size", plan.worldSize());
        m.put("epochs", all.size());
        m.put("steps_per_epoch", plan.stepsPerEpoch());
        m.put("steps", steps());
        m.put("samples", samples());
        m.put("files", plan.files().size());
        m.put("files_digest", digest(plan.files()));
        m.put("file_list", list ? plan.files().stream().map(Object::toString).toList() : null);
        m.put("files_read", filesRead());
        m.put("bytes_read", bytesRead());
        m.put("bytes_decoded", bytesDecoded());
        m.put("seconds", seconds());
        Double sps = Stats.mean(trainThroughput());
        m.put("samples_per_second", sps);
        m.put("au_percent", Stats.mean(trainAu()));
        m.put("au_expected_percent", 100 * plan.auExpected());
        m.put("au_pass", auPass());
        m.put("storage_read_mb_per_second", storageMbPerSecond());
        m.put("decoded_mb_per_second", decodedMbPerSecond());
        m.put("dlio_io_mb_per_second", dlioIoMbPerSecond(sps));
        m.put("io", PhaseStats.ioJson(all.stream().map(EpochStats::train).toList()));
        m.put("eval", evalJson(all));
        List<long[]> waits = new ArrayList<>();
        for (EpochStats e : all) {
            waits.add(e.train().loadNanos());
        }
        m.put("latency_ms", PhaseStats.percentiles(concat(waits)));
        m.put("peak_heap_bytes", heap);
        m.put("peak_rss_anon_bytes", rss);
        m.put("gc_count", gcs);
        m.put("gc_seconds", gcTime);
        Map<String, Object> ev = new LinkedHashMap<>();
        long[] evic = new long[3];
        for (EpochStats e : all) {
            long[] x = e.train().evictions();
            for (int i = 0; i < 3; i++) {
                evic[i] += x[i];
            }
        }
        ev.put("requested", plan.evictCache());
        ev.put("supported", PageCache.supported());
        ev.put("files", evic[0]);
        ev.put("worked", evic[1]);
        ev.put("resident_after_bytes", evic[2]);
        m.put("eviction", ev);
        m.put("read_mode", plan.readMode().configName());
        m.put("read_threads", plan.threads());
        m.put("batch_size", plan.batchSize());
        m.put("prefetch_size", plan.effectivePrefetch());
        m.put("record_length_bytes", plan.recordLength());
        m.put("columns_read", plan.columns().stream().map(ColumnSpec::name).toList());
        m.put("per_epoch", all.stream().map(this::epochJson).toList());
        m.put("threads", ts.stream().map(ThreadStats::json).toList());
        m.put("time_breakdown", timeBreakdown().json());
        m.put("config", plan.config());
        return m;
    }

    private Map<String, Object> evalJson(List<EpochStats> all) {
        if (plan.evaluation() == null) {
            return null;
        }
        List<Double> au = new ArrayList<>();
        List<Double> tp = new ArrayList<>();
        for (EpochStats e : all) {
            PhaseStats.Window w = evalWindow(e);
            if (w != null) {
                au.add(w.auPercent());
                tp.add(w.samplesPerSecond());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evaluations", au.size());
        m.put("files", plan.evaluation().files().size());
        m.put("steps_per_evaluation", plan.evaluation().steps());
        m.put("samples_per_second", Stats.mean(tp));
        m.put("au_percent", Stats.mean(au));
        return m;
    }

    private Map<String, Object> epochJson(EpochStats e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.number());
        m.put("complete", e.complete());
        m.put("start", clock.timestamp(e.startNanos()));
        m.put("end", e.endNanos() < 0 ? null : clock.timestamp(e.endNanos()));
        long trainEnd = e.trainEndNanos() >= 0 ? e.trainEndNanos() : clock.nanoTime();
        m.put("seconds", (trainEnd - e.startNanos()) / 1e9);
        phaseJson(m, e.train(), trainWindow(e));
        PhaseStats ev = e.eval();
        if (ev == null) {
            m.put("eval", null);
        } else {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("start", clock.timestamp(ev.startNanos()));
            x.put("end", ev.endNanos() < 0 ? null : clock.timestamp(ev.endNanos()));
            x.put("seconds", ev.seconds(clock.nanoTime()));
            phaseJson(x, ev, evalWindow(e));
            m.put("eval", x);
        }
        return m;
    }

    private void phaseJson(Map<String, Object> m, PhaseStats p, PhaseStats.Window w) {
        m.put("steps", p.steps());
        m.put("samples", p.samples());
        m.put("files", p.files());
        m.put("bytes_read", p.bytesRead());
        m.put("bytes_decoded", p.bytesDecoded());
        m.put("window_steps", w.steps());
        m.put("window_seconds", w.steps() == 0 ? null : w.seconds());
        m.put("samples_per_second", w.samplesPerSecond());
        m.put("au_percent", w.auPercent());
        m.put("storage_read_mb_per_second", w.storageMbPerSecond());
        m.put("decoded_mb_per_second", w.decodedMbPerSecond());
        m.put("dlio_io_mb_per_second", dlioIoMbPerSecond(w.samplesPerSecond()));
        m.put("latency_ms", PhaseStats.percentiles(p.loadNanos()));
        m.put("io", p.ioJson());
    }

    private static long[] concat(List<long[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        long[] all = new long[n];
        int k = 0;
        for (long[] a : parts) {
            System.arraycopy(a, 0, all, k, a.length);
            k += a.length;
        }
        return all;
    }

    static String version() {
        String v = RunReport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** This rank's readable summary. */
    public void print(PrintWriter out) {
        Map<String, Object> j = json();
        out.printf(Locale.ROOT, "%sread %,d samples (%,d steps of %d, %d epoch%s) from %,d files in %.2f s%n",
                complete() ? "" : "INCOMPLETE (interrupted): ", samples(), steps(), plan.batchSize(), trained().size(),
                trained().size() == 1 ? "" : "s", filesRead(), seconds());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> per = (List<Map<String, Object>>) j.get("per_epoch");
        for (Map<String, Object> e : per) {
            out.printf(Locale.ROOT, "  epoch %s%s: %s steps, %s samples/s, AU %s, storage %s MB/s, load p50/p90/p99 %s ms%n",
                    e.get("epoch"), Boolean.TRUE.equals(e.get("complete")) ? "" : " (incomplete)", e.get("steps"),
                    fmt(e.get("samples_per_second"), "%.1f"), pct(e.get("au_percent")), fmt(e.get("storage_read_mb_per_second"), "%.1f"),
                    latencyText(e));
            if (e.get("io") instanceof Map<?, ?> io) {
                out.println("    " + ioText(io));
            }
            if (e.get("eval") instanceof Map<?, ?> ev) {
                out.printf(Locale.ROOT, "    eval: %s steps, %s samples/s, AU %s%n", ev.get("steps"),
                        fmt(ev.get("samples_per_second"), "%.1f"), pct(ev.get("au_percent")));
            }
        }
        if (j.get("io") instanceof Map<?, ?> io) {
            out.println("  " + ioText(io) + " (all epochs)");
        }
        out.printf(Locale.ROOT, "  memory: peak heap %.1f MB, peak RssAnon %.1f MB, %s GCs (%.3f s)%n",
                ((Number) j.get("peak_heap_bytes")).longValue() / MB, ((Number) j.get("peak_rss_anon_bytes")).longValue() / MB,
                j.get("gc_count"), ((Number) j.get("gc_seconds")).doubleValue());
        if (plan.evictCache()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ev = (Map<String, Object>) j.get("eviction");
            out.printf(Locale.ROOT, "  page cache: %s of %s evictions worked%s%n", ev.get("worked"), ev.get("files"),
                    PageCache.supported() ? "" : " (not supported on this platform)");
        }
    }

    /** The storage accounting in words: engines, bytes from storage and projected, where the workers' time went, CPU per GB. */
    static String ioText(Map<?, ?> io) {
        StringBuilder engines = new StringBuilder();
        if (io.get("engines") instanceof List<?> e) {
            for (Object o : e) {
                Map<?, ?> x = (Map<?, ?>) o;
                engines.append(engines.isEmpty() ? "" : ", ").append(x.get("engine"))
                        .append(e.size() > 1 ? " (" + x.get("files") + " files)" : "");
            }
        }
        long reads = io.get("storage_reads") instanceof Number n ? n.longValue() : 0;
        long uring = io.get("uring_reads") instanceof Number n ? n.longValue() : 0;
        return String.format(Locale.ROOT, "storage: %s; %.1f MB read from storage%s for %.1f MB projected; readers waited %s s on"
                + " storage, decoded %s s, waited %s s on the consumer; %s CPU s per GB read",
                engines.isEmpty() ? "no file read" : engines, ((Number) io.get("storage_bytes")).longValue() / MB,
                reads == 0 ? "" : String.format(Locale.ROOT, " in %,d reads (%,d through io_uring)", reads, uring),
                ((Number) io.get("projected_bytes")).longValue() / MB, fmt(io.get("storage_wait_seconds"), "%.2f"),
                fmt(io.get("decode_seconds"), "%.2f"), fmt(io.get("consumer_wait_seconds"), "%.2f"),
                fmt(io.get("cpu_seconds_per_gb"), "%.2f"));
    }

    static String fmt(Object v, String format) {
        return v instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "n/a";
    }

    static String pct(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.2f%%", n.doubleValue()) : "n/a";
    }

    private static String latencyText(Map<String, Object> epochJson) {
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) epochJson.get("latency_ms");
        if (l.get("p50") == null) {
            return "-";
        }
        return fmt(l.get("p50"), "%.2f") + "/" + fmt(l.get("p90"), "%.2f") + "/" + fmt(l.get("p99"), "%.2f");
    }
}
