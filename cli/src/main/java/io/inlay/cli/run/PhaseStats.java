package io.inlay.cli.run;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One continuous run of steps as DLIO measures it: a training block ({@code block1}) or an
 * evaluation ({@code eval}). Per step: the wait for the batch ({@code load}, from the end of the
 * previous step, barrier excluded), the emulated compute, {@code proc = load + compute}, and the
 * bytes behind the batch (read from storage, and decoded into it). The phase's wall time runs
 * from before its loader starts to after its last step, barrier waits included.
 *
 * <p>Every rate is over DLIO's metric window: the steps left after excluding the first
 * {@code exclude_start_steps} and the last {@code exclude_end_steps}, over the phase's wall time
 * less the {@code proc} of the excluded steps (DLIO's {@code compute_metrics_train}). Recorded by
 * one thread; read by others through synchronized snapshots.
 */
public final class PhaseStats {
    private final String key;
    private final long startNanos;
    private long endNanos = -1;
    private int steps;
    private long[] load = new long[64];
    private long[] compute = new long[64];
    private long[] proc = new long[64];
    private long[] samples = new long[64];
    private double[] storageBytes = new double[64];
    private long[] decodedBytes = new long[64];

    private long files;
    private long filesBytesRead;
    private long filesBytesDecoded;
    private long evicted;
    private long evictionsWorked;
    private long residentAfter;
    private long engineStorageBytes;
    private long storageWaitNanos;
    private long decodeNanos;
    private long consumerWaitNanos;
    private long cpuStartNanos = -1;
    private long cpuEndNanos = -1;
    private final java.util.Map<String, Long> engines = new java.util.TreeMap<>();

    PhaseStats(String key, long startNanos) {
        this.key = key;
        this.startNanos = startNanos;
    }

    /** {@code block1} or {@code eval}: the key DLIO files the phase under. */
    public String key() {
        return key;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The end reading, or -1 while the phase runs. */
    public synchronized long endNanos() {
        return endNanos;
    }

    synchronized void step(long loadNanos, long computeNanos, long procNanos, long stepSamples, double storage, long decoded) {
        if (steps == load.length) {
            int n = steps * 2;
            load = Arrays.copyOf(load, n);
            compute = Arrays.copyOf(compute, n);
            proc = Arrays.copyOf(proc, n);
            samples = Arrays.copyOf(samples, n);
            storageBytes = Arrays.copyOf(storageBytes, n);
            decodedBytes = Arrays.copyOf(decodedBytes, n);
        }
        load[steps] = loadNanos;
        compute[steps] = computeNanos;
        proc[steps] = procNanos;
        samples[steps] = stepSamples;
        storageBytes[steps] = storage;
        decodedBytes[steps] = decoded;
        steps++;
    }

    /** A file a worker finished: its bytes from storage and decoded, and the eviction's outcome (null: none asked). */
    synchronized void file(long bytesRead, long bytesDecoded, io.inlay.engine.read.PageCache.Eviction eviction) {
        files++;
        filesBytesRead += bytesRead;
        filesBytesDecoded += bytesDecoded;
        if (eviction != null) {
            evicted++;
            if (eviction.worked()) {
                evictionsWorked++;
            }
            residentAfter += Math.max(0, eviction.residentAfter());
        }
    }

    /**
     * A file's storage accounting: the engine that read it, the bytes it read from storage (the
     * engine's count), and the worker's time with it split into waiting on storage, decoding (the
     * rest) and waiting on the consumer to take batches.
     */
    synchronized void io(String engine, long bytesFromStorage, long waitNanos, long decodedNanos, long consumerNanos) {
        engines.merge(engine, 1L, Long::sum);
        engineStorageBytes += bytesFromStorage;
        storageWaitNanos += waitNanos;
        decodeNanos += decodedNanos;
        consumerWaitNanos += consumerNanos;
    }

    /** The process's CPU time (ns) when the phase starts; {@link #cpuEnd} when it ends. */
    synchronized void cpuStart(long cpuNanos) {
        cpuStartNanos = cpuNanos;
    }

    synchronized void cpuEnd(long cpuNanos) {
        cpuEndNanos = cpuNanos;
    }

    /** Bytes the engines read from storage for the phase's files. */
    public synchronized long engineStorageBytes() {
        return engineStorageBytes;
    }

    /**
     * The storage accounting of the phase, as docs/RESULTS.md lists it ({@code io}): engines and
     * their files, bytes from storage beside the projected bytes, the workers' time waiting on
     * storage, decoding and waiting on the consumer, the process's CPU seconds, per GB read.
     */
    public synchronized java.util.Map<String, Object> ioJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("engines", engineList(engines));
        m.put("projected_bytes", filesBytesRead);
        m.put("storage_bytes", engineStorageBytes);
        m.put("storage_wait_seconds", storageWaitNanos / 1e9);
        m.put("decode_seconds", decodeNanos / 1e9);
        m.put("consumer_wait_seconds", consumerWaitNanos / 1e9);
        Double cpu = cpuStartNanos < 0 || cpuEndNanos < 0 ? null : (cpuEndNanos - cpuStartNanos) / 1e9;
        m.put("cpu_seconds", cpu);
        long perBytes = engineStorageBytes > 0 ? engineStorageBytes : filesBytesRead;
        m.put("cpu_seconds_per_gb", cpu == null || perBytes == 0 ? null : cpu / (perBytes / 1e9));
        return m;
    }

    /** {@code [{engine, files}]}: the engines that read the files, and how many each. */
    private static List<java.util.Map<String, Object>> engineList(java.util.Map<String, Long> engines) {
        List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
        engines.forEach((k, v) -> {
            java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("engine", k);
            e.put("files", v);
            out.add(e);
        });
        return out;
    }

    /** Sums the {@code io} figures of phases (for the whole run). */
    static java.util.Map<String, Object> ioJson(List<PhaseStats> phases) {
        java.util.Map<String, Long> engines = new java.util.TreeMap<>();
        long projected = 0;
        long storage = 0;
        double wait = 0;
        double decode = 0;
        double consumer = 0;
        double cpu = 0;
        boolean cpuKnown = true;
        for (PhaseStats p : phases) {
            java.util.Map<String, Object> j = p.ioJson();
            synchronized (p) {
                p.engines.forEach((k, v) -> engines.merge(k, v, Long::sum));
            }
            projected += (Long) j.get("projected_bytes");
            storage += (Long) j.get("storage_bytes");
            wait += (Double) j.get("storage_wait_seconds");
            decode += (Double) j.get("decode_seconds");
            consumer += (Double) j.get("consumer_wait_seconds");
            if (j.get("cpu_seconds") instanceof Double c) {
                cpu += c;
            } else {
                cpuKnown = false;
            }
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("engines", engineList(engines));
        m.put("projected_bytes", projected);
        m.put("storage_bytes", storage);
        m.put("storage_wait_seconds", wait);
        m.put("decode_seconds", decode);
        m.put("consumer_wait_seconds", consumer);
        m.put("cpu_seconds", cpuKnown && !phases.isEmpty() ? cpu : null);
        long perBytes = storage > 0 ? storage : projected;
        m.put("cpu_seconds_per_gb", !cpuKnown || phases.isEmpty() || perBytes == 0 ? null : cpu / (perBytes / 1e9));
        return m;
    }

    /** Files read in the phase (a file counts once, whether or not all its samples made a step). */
    public synchronized long files() {
        return files;
    }

    /** Bytes read from storage by the phase's files. */
    public synchronized long bytesRead() {
        return filesBytesRead;
    }

    /** Bytes decoded from the phase's files. */
    public synchronized long bytesDecoded() {
        return filesBytesDecoded;
    }

    /** Evictions asked, evictions that worked, bytes still resident after them. */
    public synchronized long[] evictions() {
        return new long[] {evicted, evictionsWorked, residentAfter};
    }

    synchronized void finish(long nanos) {
        if (endNanos < 0) {
            endNanos = nanos;
        }
    }

    public synchronized boolean finished() {
        return endNanos >= 0;
    }

    public synchronized int steps() {
        return steps;
    }

    public synchronized long samples() {
        long s = 0;
        for (int i = 0; i < steps; i++) {
            s += samples[i];
        }
        return s;
    }

    /** Per-step figures in seconds: {@code load}, {@code compute} or {@code proc}. */
    public synchronized double[] seconds(String which) {
        long[] a = switch (which) {
            case "load" -> load;
            case "compute" -> compute;
            case "proc" -> proc;
            default -> throw new IllegalArgumentException(which);
        };
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            s[i] = a[i] / 1e9;
        }
        return s;
    }

    /** The load waits in nanoseconds. */
    synchronized long[] loadNanos() {
        return Arrays.copyOf(load, steps);
    }

    /** Wall seconds from the phase's start to its end (to {@code now} while it runs). */
    public synchronized double seconds(long nowNanos) {
        return ((endNanos >= 0 ? endNanos : nowNanos) - startNanos) / 1e9;
    }

    /**
     * DLIO's metric window.
     *
     * @param excludeStart steps left out at the start ({@code output.metric.exclude_start_steps})
     * @param excludeEnd steps left out at the end ({@code exclude_end_steps})
     * @param nowNanos the end to use while the phase runs
     */
    public synchronized Window window(int excludeStart, int excludeEnd, long nowNanos) {
        long end = endNanos >= 0 ? endNanos : nowNanos;
        int first = Math.min(excludeStart, steps);
        int last = Math.max(first, steps - excludeEnd);
        long excluded = 0;
        for (int i = 0; i < first; i++) {
            excluded += proc[i];
        }
        for (int i = last; i < steps; i++) {
            excluded += proc[i];
        }
        long c = 0;
        long s = 0;
        double st = 0;
        long d = 0;
        for (int i = first; i < last; i++) {
            c += compute[i];
            s += samples[i];
            st += storageBytes[i];
            d += decodedBytes[i];
        }
        return new Window(last - first, (end - startNanos - excluded) / 1e9, c / 1e9, s, st, d);
    }

    /**
     * The steps of a metric window and what they hold.
     *
     * @param steps steps in the window
     * @param seconds the window's wall time (phase wall time less the excluded steps' proc)
     * @param computeSeconds emulated compute in the window
     * @param samples samples consumed in the window
     * @param storageBytes bytes read from storage for those samples (each file's bytes spread over its samples)
     * @param decodedBytes bytes of the batches handed to the accelerator
     */
    public record Window(int steps, double seconds, double computeSeconds, long samples, double storageBytes, long decodedBytes) {

        /** Whether the window holds a step and time: DLIO's figures are undefined otherwise. */
        public boolean defined() {
            return steps > 0 && seconds > 0;
        }

        /** AU in percent (0 when nothing was computed, as DLIO), or null when undefined. */
        public Double auPercent() {
            return defined() ? 100 * computeSeconds / seconds : null;
        }

        /** Samples per second, or null when undefined. */
        public Double samplesPerSecond() {
            return defined() ? samples / seconds : null;
        }

        /** Bytes from storage per second (10^6 bytes per MB), or null. */
        public Double storageMbPerSecond() {
            return defined() ? storageBytes / 1e6 / seconds : null;
        }

        /** Decoded bytes per second (10^6 bytes per MB), or null. */
        public Double decodedMbPerSecond() {
            return defined() ? decodedBytes / 1e6 / seconds : null;
        }
    }

    /** Percentiles (p50, p90, p99, max) in milliseconds of waits in nanoseconds; nulls when there is none. */
    static Map<String, Object> percentiles(long[] nanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] s = nanos.clone();
        Arrays.sort(s);
        m.put("p50", at(s, 0.50));
        m.put("p90", at(s, 0.90));
        m.put("p99", at(s, 0.99));
        m.put("max", s.length == 0 ? null : s[s.length - 1] / 1e6);
        return m;
    }

    private static Double at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
