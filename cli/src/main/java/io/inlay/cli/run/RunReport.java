package io.inlay.cli.run;

import io.inlay.engine.read.PageCache;
import io.inlay.engine.schema.ColumnSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a training read, per epoch and overall, and their JSON form. As DLIO does, the
 * first step of each epoch is left out of accelerator utilisation and throughput: it includes the
 * pipeline filling up.
 */
public final class RunReport {
    static final double MB = 1e6;

    private final ReadPlan plan;
    private final List<Epoch> epochs = new ArrayList<>();
    private double seconds;
    private long peakHeap;
    private long peakRssAnon;
    private long gcCount;
    private double gcSeconds;
    private List<ThreadStats> threads = List.of();

    RunReport(ReadPlan plan) {
        this.plan = plan;
    }

    Epoch startEpoch(int number) {
        Epoch e = new Epoch(number);
        epochs.add(e);
        return e;
    }

    void finish(double totalSeconds, long heap, long rss, long gcs, double gcTime, List<ThreadStats> threadStats) {
        this.seconds = totalSeconds;
        this.peakHeap = heap;
        this.peakRssAnon = rss;
        this.gcCount = gcs;
        this.gcSeconds = gcTime;
        this.threads = List.copyOf(threadStats);
    }

    /** A worker's figures over the run. */
    static final class ThreadStats {
        final int index;
        long files;
        long rows;
        long bytesRead;
        long bytesDecoded;
        long busyNanos;
        long blockedNanos;

        ThreadStats(int index) {
            this.index = index;
        }

        synchronized void file(long r, long read, long decoded, long busy) {
            files++;
            rows += r;
            bytesRead += read;
            bytesDecoded += decoded;
            busyNanos += busy;
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
            m.put("read_mb_per_second", busyNanos == 0 ? 0 : bytesRead / MB / (busyNanos / 1e9));
            return m;
        }
    }

    /** One epoch's figures. Steps are recorded by the consumer thread, files by workers. */
    static final class Epoch {
        final int number;
        final long start = System.nanoTime();
        long end;
        private long steps;
        private long samples;
        private long samplesAfterFirst;
        private long computeAfterFirst;
        private long firstStepEnd;
        private long[] latencies = new long[256];
        private long files;
        private long bytesRead;
        private long bytesDecoded;
        private long batchBytes;
        private long evicted;
        private long evictionsWorked;
        private long residentAfter;

        Epoch(int number) {
            this.number = number;
        }

        void step(long waitedNanos, long computeNanos, int batchSamples, long bytes) {
            if (steps == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[(int) steps] = waitedNanos;
            steps++;
            samples += batchSamples;
            batchBytes += bytes;
            if (steps == 1) {
                firstStepEnd = System.nanoTime();
            } else {
                samplesAfterFirst += batchSamples;
                computeAfterFirst += computeNanos;
            }
        }

        synchronized void file(long read, long decoded, PageCache.Eviction eviction) {
            files++;
            bytesRead += read;
            bytesDecoded += decoded;
            if (eviction != null) {
                evicted++;
                if (eviction.worked()) {
                    evictionsWorked++;
                }
                residentAfter += Math.max(0, eviction.residentAfter());
            }
        }

        void finish() {
            end = System.nanoTime();
        }

        long steps() {
            return steps;
        }

        long samples() {
            return samples;
        }

        synchronized long bytesRead() {
            return bytesRead;
        }

        double seconds() {
            return ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
        }

        /** Wall time from the end of the first step to the end of the epoch. */
        double measuredSeconds() {
            return steps <= 1 ? seconds() : ((end == 0 ? System.nanoTime() : end) - firstStepEnd) / 1e9;
        }

        double au() {
            return steps <= 1 ? Double.NaN : computeAfterFirst / 1e9 / measuredSeconds();
        }

        double samplesPerSecond() {
            return steps <= 1 ? samples / seconds() : samplesAfterFirst / measuredSeconds();
        }

        synchronized Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", number);
            m.put("steps", steps);
            m.put("samples", samples);
            m.put("files", files);
            m.put("bytes_read", bytesRead);
            m.put("bytes_decoded", bytesDecoded);
            m.put("seconds", seconds());
            m.put("samples_per_second", samplesPerSecond());
            m.put("read_mb_per_second", bytesRead / MB / seconds());
            m.put("decoded_mb_per_second", bytesDecoded / MB / seconds());
            m.put("au_percent", Double.isNaN(au()) ? null : 100 * au());
            m.put("latency_ms", percentiles(Arrays.copyOf(latencies, (int) steps)));
            return m;
        }
    }

    static Map<String, Object> percentiles(long[] nanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (nanos.length == 0) {
            return m;
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        m.put("p50", at(s, 0.50));
        m.put("p90", at(s, 0.90));
        m.put("p99", at(s, 0.99));
        m.put("max", s[s.length - 1] / 1e6);
        return m;
    }

    private static double at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    // ---- totals ----

    public long samples() {
        return epochs.stream().mapToLong(e -> e.samples).sum();
    }

    public long steps() {
        return epochs.stream().mapToLong(e -> e.steps).sum();
    }

    public long bytesRead() {
        return epochs.stream().mapToLong(Epoch::bytesRead).sum();
    }

    public long bytesDecoded() {
        return epochs.stream().mapToLong(e -> e.bytesDecoded).sum();
    }

    public long filesRead() {
        return epochs.stream().mapToLong(e -> e.files).sum();
    }

    public double seconds() {
        return seconds;
    }

    /** Accelerator utilisation over all epochs (first step of each left out), as a fraction; NaN when undefined. */
    public double au() {
        double compute = 0;
        double wall = 0;
        for (Epoch e : epochs) {
            if (e.steps > 1) {
                compute += e.computeAfterFirst / 1e9;
                wall += e.measuredSeconds();
            }
        }
        return wall == 0 ? Double.NaN : compute / wall;
    }

    public double samplesPerSecond() {
        double s = 0;
        double wall = 0;
        for (Epoch e : epochs) {
            s += e.steps > 1 ? e.samplesAfterFirst : e.samples;
            wall += e.measuredSeconds();
        }
        return wall == 0 ? 0 : s / wall;
    }

    public double readMbPerSecond() {
        return seconds == 0 ? 0 : bytesRead() / MB / seconds;
    }

    public boolean auPass() {
        return plan.auExpected() < 0 || (!Double.isNaN(au()) && au() >= plan.auExpected());
    }

    /** Every figure, under the documented stable keys. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inlay_version", version());
        m.put("rank", plan.rank());
        m.put("world_size", plan.worldSize());
        m.put("samples", samples());
        m.put("steps", steps());
        m.put("epochs", epochs.size());
        m.put("files", plan.files().size());
        m.put("files_read", filesRead());
        m.put("bytes_read", bytesRead());
        m.put("bytes_decoded", bytesDecoded());
        m.put("seconds", seconds);
        m.put("samples_per_second", samplesPerSecond());
        m.put("read_mb_per_second", readMbPerSecond());
        m.put("decoded_mb_per_second", seconds == 0 ? 0 : bytesDecoded() / MB / seconds);
        double au = au();
        m.put("au_percent", Double.isNaN(au) ? null : 100 * au);
        m.put("au_expected_percent", plan.auExpected() < 0 ? null : 100 * plan.auExpected());
        m.put("au_pass", auPass());
        List<long[]> all = new ArrayList<>();
        long n = 0;
        for (Epoch e : epochs) {
            all.add(Arrays.copyOf(e.latencies, (int) e.steps));
            n += e.steps;
        }
        long[] lat = new long[(int) n];
        int k = 0;
        for (long[] a : all) {
            System.arraycopy(a, 0, lat, k, a.length);
            k += a.length;
        }
        m.put("latency_ms", percentiles(lat));
        m.put("peak_heap_bytes", peakHeap);
        m.put("peak_rss_anon_bytes", peakRssAnon);
        m.put("gc_count", gcCount);
        m.put("gc_seconds", gcSeconds);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("requested", plan.evictCache());
        ev.put("supported", PageCache.supported());
        ev.put("files", epochs.stream().mapToLong(e -> e.evicted).sum());
        ev.put("worked", epochs.stream().mapToLong(e -> e.evictionsWorked).sum());
        ev.put("resident_after_bytes", epochs.stream().mapToLong(e -> e.residentAfter).sum());
        m.put("eviction", ev);
        m.put("read_mode", plan.readMode().configName());
        m.put("read_threads", plan.threads());
        m.put("batch_size", plan.batchSize());
        m.put("prefetch_size", plan.effectivePrefetch());
        m.put("columns_read", plan.columns().stream().map(ColumnSpec::name).toList());
        m.put("file_list", plan.files().stream().map(Object::toString).toList());
        m.put("per_epoch", epochs.stream().map(Epoch::json).toList());
        m.put("threads", threads.stream().map(ThreadStats::json).toList());
        m.put("config", plan.config());
        return m;
    }

    static String version() {
        String v = RunReport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The readable summary and DLIO-style {@code [METRIC]} lines. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "read %,d samples (%,d steps, %d epoch%s) from %,d files in %.2f s%n", samples(), steps(),
                epochs.size(), epochs.size() == 1 ? "" : "s", filesRead(), seconds);
        for (Epoch e : epochs) {
            Map<String, Object> j = e.json();
            out.printf(Locale.ROOT, "  epoch %d: %,d samples, %.1f samples/s, %.1f MB/s read, %.1f MB/s decoded, AU %s, load p50/p90/p99 %s ms%n",
                    e.number, e.samples, e.samplesPerSecond(), (double) j.get("read_mb_per_second"),
                    (double) j.get("decoded_mb_per_second"), Double.isNaN(e.au()) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * e.au()),
                    latencyText(j));
        }
        out.printf(Locale.ROOT, "  memory: peak heap %.1f MB, peak RssAnon %.1f MB, %d GCs (%.3f s)%n", peakHeap / MB,
                peakRssAnon / MB, gcCount, gcSeconds);
        if (plan.evictCache()) {
            long files = epochs.stream().mapToLong(x -> x.evicted).sum();
            long worked = epochs.stream().mapToLong(x -> x.evictionsWorked).sum();
            out.printf(Locale.ROOT, "  page cache: %d of %d evictions worked%s%n", worked, files,
                    PageCache.supported() ? "" : " (not supported on this platform)");
        }
        double au = au();
        out.println("[METRIC] ==========================================================");
        out.printf(Locale.ROOT, "[METRIC] Rank: %d of %d%n", plan.rank(), plan.worldSize());
        out.printf(Locale.ROOT, "[METRIC] Training Accelerator Utilization [AU] (%%): %s%n",
                Double.isNaN(au) ? "n/a" : String.format(Locale.ROOT, "%.4f", 100 * au));
        out.printf(Locale.ROOT, "[METRIC] Training Throughput (samples/second): %.4f%n", samplesPerSecond());
        out.printf(Locale.ROOT, "[METRIC] Training I/O Throughput (MB/second): %.4f%n", readMbPerSecond());
        out.printf(Locale.ROOT, "[METRIC] Decoded Throughput (MB/second): %.4f%n", seconds == 0 ? 0 : bytesDecoded() / MB / seconds);
        if (plan.auExpected() >= 0) {
            out.printf(Locale.ROOT, "[METRIC] train_au_meet_expectation: %s (expected %.2f%%)%n", auPass() ? "success" : "fail",
                    100 * plan.auExpected());
        }
        out.println("[METRIC] ==========================================================");
    }

    private static String latencyText(Map<String, Object> epochJson) {
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) epochJson.get("latency_ms");
        if (l.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", (double) l.get("p50"), (double) l.get("p90"), (double) l.get("p99"));
    }
}
