package io.inlay.cli.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a rank's training time went, from two sides, and which resource bounds the run.
 *
 * <ul>
 *   <li>The accelerator (the consumer thread), over the training phases' wall time: computing
 *       ({@code train.computation_time}), waiting for a whole batch (DLIO's load time), the
 *       per-step barriers with the other ranks, and the rest (joining batches, bookkeeping).</li>
 *   <li>The reader threads, over {@code read_threads} x the same wall time: waiting on storage
 *       (the I/O layer's count of the time a reading thread waited for its bytes; null when the
 *       I/O layer does not count it), decoding (reading a file less that wait: decompression,
 *       decoding, filling batches), waiting on the consumer (a reader with every batch of its
 *       prefetch depth full, waiting for the accelerator to take one), and idle (no file left).</li>
 * </ul>
 *
 * The bound: when the accelerator waited for data at most {@value #INPUT_BOUND_SHARE} of its time
 * (not counting the waits of the steps DLIO leaves out of its metrics, the first of each epoch by
 * default: the pipeline filling up; counting them when they are nearly the whole run, as in epochs
 * of a single step), the run is bound by the accelerator (consumer) or, when the
 * barriers took more than compute and at least that share, by the other ranks. Otherwise, when the
 * readers still waited for the accelerator at least {@value #BURST_SHARE} of their time, by the
 * prefetch depth (batches come in bursts); else by the readers' largest share: storage, CPU decode,
 * or readers idle (too few files or threads to keep the accelerator fed). Immutable.
 *
 * @param seconds wall seconds of the training phases (every epoch)
 * @param computeSeconds the accelerator's emulated compute
 * @param dataWaitSeconds the accelerator waiting for batches
 * @param startupWaitSeconds the part of {@code dataWaitSeconds} in the steps left out of DLIO's metrics
 * @param barrierSeconds the accelerator at the per-step barriers
 * @param threads reader threads
 * @param readerWallSeconds the reader threads' time: {@code threads x seconds} for one rank, summed over ranks
 * @param storageWaitSeconds reader threads waiting on storage, summed; null when not counted
 * @param readSeconds reader threads reading files (storage wait included), summed
 * @param consumerWaitSeconds reader threads waiting for the accelerator, summed
 * @param cores logical CPUs of the host (summed over ranks: each rank's share of its node's)
 */
public record TimeBreakdown(double seconds, double computeSeconds, double dataWaitSeconds, double startupWaitSeconds,
        double barrierSeconds, int threads, double readerWallSeconds, Double storageWaitSeconds, double readSeconds,
        double consumerWaitSeconds, double cores) {

    /** One rank's breakdown: its reader threads' time is {@code threads x seconds}. */
    public static TimeBreakdown of(double seconds, double computeSeconds, double dataWaitSeconds, double startupWaitSeconds,
            double barrierSeconds, int threads, Double storageWaitSeconds, double readSeconds, double consumerWaitSeconds,
            double cores) {
        return new TimeBreakdown(seconds, computeSeconds, dataWaitSeconds, startupWaitSeconds, barrierSeconds, threads,
                threads * seconds, storageWaitSeconds, readSeconds, consumerWaitSeconds, cores);
    }

    /** The sum of two ranks' breakdowns (storage wait known only when both know it). */
    public TimeBreakdown plus(TimeBreakdown o) {
        return new TimeBreakdown(seconds + o.seconds, computeSeconds + o.computeSeconds, dataWaitSeconds + o.dataWaitSeconds,
                startupWaitSeconds + o.startupWaitSeconds, barrierSeconds + o.barrierSeconds, threads + o.threads,
                readerWallSeconds + o.readerWallSeconds, storageWaitSeconds == null || o.storageWaitSeconds == null ? null
                        : storageWaitSeconds + o.storageWaitSeconds, readSeconds + o.readSeconds,
                consumerWaitSeconds + o.consumerWaitSeconds, cores + o.cores);
    }

    /** The accelerator waiting for data at most this share of its time is not input-bound. */
    public static final double INPUT_BOUND_SHARE = 0.10;
    /** Readers waiting for the accelerator this share of their time while it waits for them: bursts. */
    public static final double BURST_SHARE = 0.25;

    /** What bounds the run, as the JSON's {@code bound} names it. */
    public enum Bound {
        /** The emulated accelerator: the input keeps up. */
        CONSUMER,
        /** Barriers: this rank waits for slower ranks. */
        BARRIER,
        /** Storage: readers wait on their bytes. */
        STORAGE,
        /** CPU: readers decode (and fill batches) most of the time. */
        CPU_DECODE,
        /** Prefetch depth: the readers keep up on average but their batches come in bursts. */
        PREFETCH,
        /** Reading as a whole, storage and decode not told apart (no storage wait counted). */
        READING,
        /** Readers idle while the accelerator waits: too few files or threads. */
        READERS_IDLE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The accelerator's waits for data past the first steps of each epoch. */
    public double steadyWaitSeconds() {
        return Math.max(0, dataWaitSeconds - startupWaitSeconds);
    }

    /**
     * Whether the first steps' waits are (nearly) the whole run, at least {@code 1 - }{@value #INPUT_BOUND_SHARE}
     * of it: epochs of one step or two, say, whose first steps cannot be left out of the judgement
     * since nothing else is left.
     */
    public boolean firstStepsAreTheRun() {
        return seconds > 0 && startupWaitSeconds >= (1 - INPUT_BOUND_SHARE) * seconds;
    }

    /** The waits the bound is judged on: past the first steps, or all of them when the first steps are the run. */
    public double judgedWaitSeconds() {
        return firstStepsAreTheRun() ? dataWaitSeconds : steadyWaitSeconds();
    }

    public double otherSeconds() {
        return Math.max(0, seconds - computeSeconds - dataWaitSeconds - barrierSeconds);
    }

    /** Reader threads' time. */
    public double readerSeconds() {
        return readerWallSeconds;
    }

    /** Decoding: reading less the storage wait (all of reading when storage wait is not counted). */
    public double decodeSeconds() {
        return Math.max(0, readSeconds - (storageWaitSeconds == null ? 0 : storageWaitSeconds));
    }

    public double idleSeconds() {
        return Math.max(0, readerSeconds() - readSeconds - consumerWaitSeconds);
    }

    private static Double share(double part, double whole) {
        return whole <= 0 ? null : Math.min(1, part / whole);
    }

    /** The bound, or null when nothing ran. */
    public Bound bound() {
        if (seconds <= 0) {
            return null;
        }
        double wait = judgedWaitSeconds() / seconds;
        if (wait <= INPUT_BOUND_SHARE || threads == 0 || readerSeconds() <= 0) {
            return barrierSeconds > computeSeconds && barrierSeconds / seconds >= INPUT_BOUND_SHARE ? Bound.BARRIER
                    : Bound.CONSUMER;
        }
        if (consumerWaitSeconds / readerSeconds() >= BURST_SHARE) {
            return Bound.PREFETCH;
        }
        double idle = idleSeconds();
        if (storageWaitSeconds == null) {
            return readSeconds >= idle ? Bound.READING : Bound.READERS_IDLE;
        }
        double storage = storageWaitSeconds;
        double decode = decodeSeconds();
        if (storage >= decode && storage >= idle) {
            return Bound.STORAGE;
        }
        return decode >= idle ? Bound.CPU_DECODE : Bound.READERS_IDLE;
    }

    /** The verdict in words: which resource, and what its figures say. */
    public String verdict() {
        Bound b = bound();
        if (b == null) {
            return "nothing was read";
        }
        String acc = pct(computeSeconds / seconds);
        String wait = pct(judgedWaitSeconds() / seconds) + (firstStepsAreTheRun()
                ? " (in the epochs' first steps, which are nearly the whole run: too few steps per epoch to leave them out)"
                : startupWaitSeconds > 0 ? " (past the first steps)" : "");
        return switch (b) {
            case CONSUMER -> "bound by the consumer: the emulated accelerator computed " + acc + " of the time and waited for data "
                    + wait + "; storage and decoding keep up (the readers waited for the accelerator "
                    + pct(consumerWaitSeconds / Math.max(1e-12, readerSeconds())) + " of their time)";
            case BARRIER -> "bound by the other ranks: " + pct(barrierSeconds / seconds) + " of this rank's time went to the"
                    + " per-step barriers, more than to compute (" + acc + "): a slower rank holds this one back";
            case STORAGE -> "bound by storage: the accelerator waited for data " + wait + " of the time, and the readers spent "
                    + pct(storageWaitSeconds / readerSeconds()) + " of theirs waiting on storage (decoding: "
                    + pct(decodeSeconds() / readerSeconds()) + ")";
            case CPU_DECODE -> "bound by CPU decode: the accelerator waited for data " + wait + " of the time, and the readers spent "
                    + pct(decodeSeconds() / readerSeconds()) + " of theirs decoding (storage wait: "
                    + pct((storageWaitSeconds == null ? 0 : storageWaitSeconds) / readerSeconds()) + ")"
                    + (threads >= cores ? "; " + threads + " reader threads on " + coresText() + " cores: more cores would help, more"
                            + " threads would not" : "; " + threads + " reader threads on " + coresText() + " cores: more"
                            + " reader.read_threads may help");
            case PREFETCH -> "bound by the prefetch depth: the accelerator waited for data " + wait + " of the time although the"
                    + " readers, fast enough on average, waited for it " + pct(consumerWaitSeconds / readerSeconds()) + " of theirs:"
                    + " batches come in bursts (a file at a time); a larger reader.prefetch_size smooths them";
            case READING -> "bound by reading: the accelerator waited for data " + wait + " of the time, and the readers spent "
                    + pct(readSeconds / readerSeconds()) + " of theirs reading (storage wait and decoding not told apart)";
            case READERS_IDLE -> "bound by too little reading in parallel: the accelerator waited for data " + wait
                    + " of the time while the readers were idle " + pct(idleSeconds() / readerSeconds())
                    + " of theirs (too few files per reader thread, or too few reader.read_threads)";
        };
    }

    private String coresText() {
        return cores == Math.rint(cores) ? String.valueOf((long) cores) : String.format(Locale.ROOT, "%.1f", cores);
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** The {@code time_breakdown} object of the JSON (docs/RESULTS.md). */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("compute_seconds", computeSeconds);
        a.put("data_wait_seconds", dataWaitSeconds);
        a.put("startup_wait_seconds", startupWaitSeconds);
        a.put("barrier_seconds", barrierSeconds);
        a.put("other_seconds", otherSeconds());
        m.put("accelerator", a);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("threads", threads);
        r.put("storage_wait_seconds", storageWaitSeconds);
        r.put("decode_seconds", decodeSeconds());
        r.put("consumer_wait_seconds", consumerWaitSeconds);
        r.put("idle_seconds", idleSeconds());
        m.put("readers", r);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("storage_wait", storageWaitSeconds == null ? null : share(storageWaitSeconds, readerSeconds()));
        p.put("decode", share(decodeSeconds(), readerSeconds()));
        p.put("consumer_wait", share(consumerWaitSeconds, readerSeconds()));
        p.put("compute", share(computeSeconds, seconds));
        m.put("share", p);
        Bound b = bound();
        m.put("bound", b == null ? null : b.key());
        m.put("verdict", verdict());
        return m;
    }

    /** The one-screen text {@code inlay read} ends with. */
    public List<String> lines() {
        return lines(1);
    }

    /** The same for a breakdown summed over {@code ranks} ranks. */
    public List<String> lines(int ranks) {
        if (seconds <= 0) {
            return List.of("where the time went: nothing was read");
        }
        double rs = readerSeconds();
        String storage = storageWaitSeconds == null ? "storage wait not counted, reading " + pct(readSeconds / Math.max(1e-12, rs))
                : "storage wait " + pct(storageWaitSeconds / Math.max(1e-12, rs)) + ", decode " + pct(decodeSeconds() / Math.max(1e-12, rs));
        return List.of(
                ranks == 1 ? String.format(Locale.ROOT, "where the time went (training, %.2f s):", seconds)
                        : String.format(Locale.ROOT, "where the time went (training, %d ranks, %.2f s each on average):", ranks,
                                seconds / ranks),
                "  accelerator: compute " + pct(computeSeconds / seconds) + ", waiting for data " + pct(dataWaitSeconds / seconds)
                        + (startupWaitSeconds > 0 ? " (first steps " + pct(startupWaitSeconds / seconds) + ")" : "")
                        + ", barriers " + pct(barrierSeconds / seconds) + ", other " + pct(otherSeconds() / seconds),
                "  readers (" + threads + " thread" + (threads == 1 ? "" : "s") + (ranks == 1 ? "" : " in all") + "): " + storage + ", waiting on the consumer "
                        + pct(consumerWaitSeconds / Math.max(1e-12, rs)) + ", idle " + pct(idleSeconds() / Math.max(1e-12, rs)),
                "verdict: " + verdict());
    }
}
