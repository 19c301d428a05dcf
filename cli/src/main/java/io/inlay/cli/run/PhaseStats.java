package io.inlay.cli.run;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of an epoch's training, or of an evaluation ({@code eval}), as DLIO measures them.
 * Training is cut into blocks by checkpoints taken between steps
 * ({@code checkpoint.steps_between_checkpoints}): {@code block1}, {@code block2}, ... each with its
 * own wall time, the checkpoint's time in none of them; an epoch's figures are then DLIO's
 * step-weighted means over its blocks. Per step: the wait for the batch ({@code load}, from the end of the
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

    private long barrierNanos;
    /** Per block: its first step, start and end (-1 while it runs). */
    private int[] blockFirst = {0};
    private long[] blockStart;
    private long[] blockEnd = {-1};
    private int blocks = 1;

    private long files;
    private long filesBytesRead;
    private long filesBytesDecoded;
    private long evicted;
    private long evictionsWorked;
    private long residentAfter;
    private long engineStorageBytes;
    private long storageReads;
    private long uringReads;
    private long storageWaitNanos;
    private long decodeNanos;
    private long consumerWaitNanos;
    private long cpuStartNanos = -1;
    private long cpuEndNanos = -1;
    private final java.util.Map<String, Long> engines = new java.util.TreeMap<>();

    PhaseStats(String key, long startNanos) {
        this.key = key;
        this.startNanos = startNanos;
        this.blockStart = new long[] {startNanos};
    }

    /** Ends the current block (a checkpoint follows). */
    synchronized void endBlock(long nanos) {
        blockEnd[blocks - 1] = nanos;
    }

    /** Starts the next block at the next step (after a checkpoint). */
    synchronized void startBlock(long nanos) {
        if (blocks == blockFirst.length) {
            blockFirst = Arrays.copyOf(blockFirst, blocks * 2);
            blockStart = Arrays.copyOf(blockStart, blocks * 2);
            blockEnd = Arrays.copyOf(blockEnd, blocks * 2);
        }
        blockFirst[blocks] = steps;
        blockStart[blocks] = nanos;
        blockEnd[blocks] = -1;
        blocks++;
    }

    /** Blocks so far (1 without checkpoints between steps). */
    public synchronized int blocks() {
        return blocks;
    }

    /** DLIO's key of block {@code b} (0-based): {@code block1}, ...; for an evaluation, {@code eval}. */
    public String blockKey(int b) {
        return key.equals("eval") ? key : "block" + (b + 1);
    }

    /** Start and end (or {@code now}) of block {@code b}. */
    public synchronized long[] blockSpan(int b, long nowNanos) {
        long end = blockEnd[b] >= 0 ? blockEnd[b] : endNanos >= 0 ? endNanos : nowNanos;
        return new long[] {blockStart[b], end};
    }

    /** Steps of block {@code b}. */
    public synchronized int blockSteps(int b) {
        return (b + 1 < blocks ? blockFirst[b + 1] : steps) - blockFirst[b];
    }

    /** Per-step figures of block {@code b} in seconds: {@code load}, {@code compute} or {@code proc}. */
    public synchronized double[] blockSeconds(int b, String which) {
        double[] all = seconds(which);
        int from = blockFirst[b];
        return Arrays.copyOfRange(all, from, from + blockSteps(b));
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

    /** Time at the per-step barrier after a step. */
    synchronized void barrier(long nanos) {
        barrierNanos += nanos;
    }

    /** Seconds at the per-step barriers. */
    public synchronized double barrierSeconds() {
        return barrierNanos / 1e9;
    }

    /** The sum over steps of {@code load}, {@code compute} or {@code proc}, in seconds. */
    public synchronized double totalSeconds(String which) {
        long[] a = switch (which) {
            case "load" -> load;
            case "compute" -> compute;
            case "proc" -> proc;
            default -> throw new IllegalArgumentException(which);
        };
        long t = 0;
        for (int i = 0; i < steps; i++) {
            t += a[i];
        }
        return t / 1e9;
    }

    /**
     * A file's storage accounting: the engine that read it, the bytes it read from storage (the
     * engine's count), and the worker's time with it split into waiting on storage, decoding (the
     * rest) and waiting on the consumer to take batches.
     */
    synchronized void io(String engine, long bytesFromStorage, long reads, long uringReads, long waitNanos, long decodedNanos,
            long consumerNanos) {
        engines.merge(engine, 1L, Long::sum);
        engineStorageBytes += bytesFromStorage;
        storageReads += reads;
        this.uringReads += uringReads;
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
        m.put("storage_reads", storageReads);
        m.put("uring_reads", uringReads);
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
        long reads = 0;
        long uring = 0;
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
            reads += (Long) j.get("storage_reads");
            uring += (Long) j.get("uring_reads");
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
        m.put("storage_reads", reads);
        m.put("uring_reads", uring);
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
        if (blockEnd[blocks - 1] < 0) {
            blockEnd[blocks - 1] = nanos;
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
     * DLIO's metric window: of the phase, or with several blocks their combination (AU and
     * throughput DLIO's step-weighted means of the blocks', the rest summed).
     *
     * @param excludeStart steps left out at the start ({@code output.metric.exclude_start_steps})
     * @param excludeEnd steps left out at the end ({@code exclude_end_steps})
     * @param nowNanos the end to use while the phase runs
     */
    public synchronized Window window(int excludeStart, int excludeEnd, long nowNanos) {
        if (blocks == 1) {
            long end = endNanos >= 0 ? endNanos : nowNanos;
            return window(0, steps, startNanos, end, excludeStart, steps - excludeEnd);
        }
        int n = 0;
        double seconds = 0;
        double compute = 0;
        long samplesIn = 0;
        double storage = 0;
        long decoded = 0;
        double auWeighted = 0;
        double tpWeighted = 0;
        int weight = 0;
        int weightTp = 0;
        for (int b = 0; b < blocks; b++) {
            Window w = blockWindow(b, excludeStart, excludeEnd, steps, nowNanos);
            n += w.steps();
            seconds += w.seconds();
            compute += w.computeSeconds();
            samplesIn += w.samples();
            storage += w.storageBytes();
            decoded += w.decodedBytes();
            int k = blockSteps(b);
            if (w.auPercent() != null) {
                auWeighted += w.auPercent() * k;
                weight += k;
            }
            if (w.samplesPerSecond() != null) {
                tpWeighted += w.samplesPerSecond() * k;
                weightTp += k;
            }
        }
        return new Window(n, seconds, compute, samplesIn, storage, decoded, weight == 0 ? null : auWeighted / weight,
                weightTp == 0 ? null : tpWeighted / weightTp);
    }

    /**
     * Block {@code b}'s metric window, as DLIO's {@code compute_metrics_train} takes it: the steps
     * from {@code excludeStart} to {@code stepsPerEpoch - excludeEnd} of the block's own lists.
     */
    public synchronized Window blockWindow(int b, int excludeStart, int excludeEnd, long stepsPerEpoch, long nowNanos) {
        if (blocks == 1) {
            return window(excludeStart, excludeEnd, nowNanos);
        }
        long[] span = blockSpan(b, nowNanos);
        int from = blockFirst[b];
        int k = blockSteps(b);
        int last = (int) Math.min(k, Math.max(0, stepsPerEpoch - excludeEnd));
        return window(from, from + k, span[0], span[1], excludeStart, last);
    }

    /** The window of steps {@code [from, to)} over wall time {@code [start, end]}, the relative steps {@code [first, last)} in it. */
    private Window window(int from, int to, long start, long end, int firstRel, int lastRel) {
        int n = to - from;
        int first = from + Math.min(firstRel, n);
        int last = Math.max(first, from + Math.min(Math.max(lastRel, 0), n));
        long excluded = 0;
        for (int i = from; i < first; i++) {
            excluded += proc[i];
        }
        for (int i = last; i < to; i++) {
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
        double seconds = (end - start - excluded) / 1e9;
        int stepsIn = last - first;
        boolean defined = stepsIn > 0 && seconds > 0;
        return new Window(stepsIn, seconds, c / 1e9, s, st, d, defined ? 100 * (c / 1e9) / seconds : null,
                defined ? s / seconds : null);
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
     * @param auPercent AU in percent (0 when nothing was computed, as DLIO), or null when undefined
     * @param samplesPerSecond samples per second, or null when undefined
     */
    public record Window(int steps, double seconds, double computeSeconds, long samples, double storageBytes, long decodedBytes,
            Double auPercent, Double samplesPerSecond) {

        /** Whether the window holds a step and time: DLIO's figures are undefined otherwise. */
        public boolean defined() {
            return steps > 0 && seconds > 0;
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
