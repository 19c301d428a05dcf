package io.inlay.cli.run;

import io.inlay.engine.read.PageCache;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.vector.ColumnVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A DLIO-style training read: {@code threads} workers read this rank's files with Inlay's reader
 * and fill batches of {@code batchSize} samples; one consumer (the calling thread) emulates the
 * accelerator. Per step, as DLIO: wait for a whole batch ({@code load}), compute for the
 * configured time, then {@link Sync#afterStep()} (DLIO's barrier standing in for the gradient
 * allreduce). An epoch is {@link ReadPlan#stepsPerEpoch()} whole batches: the partial batches
 * workers end their shares with are joined into whole ones by the consumer, and what is left
 * over is dropped, so every rank takes the same steps. After each epoch's training,
 * {@link Sync#afterEpoch()}; then, when due, an evaluation over the {@code valid/} files with its
 * own batch size and time per step (no barriers, as DLIO).
 *
 * <p>Each worker keeps at most {@code prefetch} batches in flight; batch and decode buffers are
 * reused, not reallocated. Files of blob samples are decoded a row group at a time even in the
 * default read mode (memory: one row group, not the whole file). Every time comes from one {@link Clock}. {@link #interrupt()} (from
 * any thread) ends the run at the next step: {@link #run()} then returns what was measured,
 * marked incomplete.
 */
public final class TrainingRead {

    /** Sees every batch the accelerator consumes (tests use it to check sample coverage). */
    public interface Listener {
        /**
         * @param phase {@code block1} (training) or {@code eval}
         */
        void batch(String phase, int epoch, long[] sampleIds, int count);

        /**
         * The batch's samples as handed on to the accelerator (the first column's bytes of each),
         * valid during the call only. Called after {@link #batch}; nothing by default.
         */
        default void samples(String phase, int epoch, List<java.lang.foreign.MemorySegment> samples) {}
    }

    /** Sees the run's progress, for a live status line. */
    public interface Progress {
        void update(int epoch, long steps, long samples, long bytesRead, double seconds);
    }

    /** Where the ranks meet, as DLIO's barriers: after every training step and after every epoch's training. */
    public interface Sync {
        void afterStep();

        void afterEpoch();

        /** No other rank to meet. */
        Sync NONE = new Sync() {
            @Override
            public void afterStep() {}

            @Override
            public void afterEpoch() {}
        };
    }

    private static final Object END = new Object();
    /** Shorter waits for a free batch are not put on the timeline (they are counted all the same). */
    static final long CONSUMER_WAIT_TRACED_NANOS = 5_000;

    private final ReadPlan plan;
    /**
     * Whether workers decode each file whole (read_mode default), rather than a row group at a time.
     * Not when a projected column holds samples (blob): a file of them decoded whole would hold the
     * whole file in memory (a 268 MB file of 16 MiB samples took 421 MB of RssAnon), where a row
     * group is one sample, or as many as make the generator's 128 MiB: the reader's memory stays
     * O(one sample or one row group), never a whole file of them (issue 18). Samples are then
     * shuffled within a row group, not the whole file (no difference with one sample per file).
     */
    private final boolean wholeFiles;
    private final Listener listener;
    private final Progress progress;
    private final Sync sync;
    private final Clock clock;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private volatile RunReport report;

    public TrainingRead(ReadPlan plan, Listener listener, Progress progress) {
        this(plan, listener, progress, Sync.NONE, Clock.system());
    }

    public TrainingRead(ReadPlan plan, Listener listener, Progress progress, Sync sync, Clock clock) {
        this.plan = plan;
        this.wholeFiles = plan.readMode() == ReadMode.DEFAULT && plan.columns().stream().noneMatch(ColumnSpec::isBlob);
        this.listener = listener;
        this.progress = progress;
        this.sync = sync;
        this.clock = clock;
    }

    private Checkpoints checkpoints = Checkpoints.NONE;
    /** DLIO's {@code resized_image}, handed on for every sample, or null (set before {@link #run()}). */
    private java.lang.foreign.MemorySegment resized;

    /**
     * {@code dataset.record_length_bytes_resize} as DLIO's readers apply it: DLIO makes one random
     * uint8 tensor of {@code int(sqrt(n))} x {@code int(sqrt(n))} bytes at start-up
     * ({@code ConfigArguments.derive_configurations}) and every reader hands that tensor on for
     * each sample it reads, the sample's own bytes discarded. With {@code n} > 0 the batches hold
     * that tensor once per sample (each file is still read and decoded in full); 0 hands on the
     * samples' own bytes. Set before {@link #run()}.
     *
     * @return this
     */
    public TrainingRead resize(long n) {
        if (n <= 0) {
            resized = null;
            return this;
        }
        long side = (long) Math.sqrt((double) n);
        long len = side * side;
        if (len < 1 || len > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("dataset.record_length_bytes_resize: " + n + " makes a tensor of " + len + " bytes");
        }
        java.lang.foreign.MemorySegment t = java.lang.foreign.Arena.ofAuto().allocate(len, 64);
        java.util.SplittableRandom random = new java.util.SplittableRandom(plan.seed());
        for (long i = 0; i < len; i++) {
            t.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(255)); // numpy's randint(255): 0..254
        }
        resized = t;
        return this;
    }

    /** Bytes handed on per sample: the resized tensor's, or -1 when the samples' own bytes are. */
    public long resizedBytes() {
        return resized == null ? -1 : resized.byteSize();
    }
    /** The epoch being read (consumer thread). */
    private EpochStats current;

    /**
     * Checkpoints taken during the run, as DLIO's training loop takes them: after a step's
     * barrier every {@code checkpoint.steps_between_checkpoints} steps (ending the training block,
     * the next block starting after the checkpoint), or after an epoch's training and its barrier.
     * Each is timed, its time in no block. Set before {@link #run()}.
     */
    public TrainingRead checkpoints(Checkpoints c) {
        this.checkpoints = c;
        return this;
    }

    /** Saves a checkpoint after {@code step} of {@code epoch}; {@code phase} (a block ends and the next starts) or null after the epoch. */
    private void saveCheckpoint(EpochStats e, PhaseStats phase, int epoch, long step, boolean moreSteps) throws RunFailure {
        long start = clock.nanoTime();
        if (phase != null) {
            phase.endBlock(start);
        }
        String key = "save_ckpt" + e.train().blocks();
        Checkpoints.Moved m;
        try {
            m = checkpoints.save(epoch, step);
        } catch (IOException ex) {
            throw new RunFailure(ex.getMessage(), ex);
        }
        long end = clock.nanoTime();
        e.addCheckpoint(new EpochStats.CheckpointStats(key, step, start, end, m.rankBytes(), m.totalBytes(), m.direct()));
        if (phase != null && moreSteps) {
            phase.startBlock(end);
        }
    }

    /** Ends the run at the next step; {@link #run()} returns the partial report. Any thread. */
    public void interrupt() {
        interrupted.set(true);
    }

    /** Whether {@link #interrupt()} was called. */
    public boolean interrupted() {
        return interrupted.get();
    }

    /** The report being filled (null before {@link #run()} starts): a snapshot may be taken at any time. */
    public RunReport report() {
        return report;
    }

    /** The files of one dataset (train or eval) and the workers that read them, kept for the whole run. */
    private final class Loader {
        final String phase;
        final List<Path> files;
        final int batchSize;
        final List<Worker> workers = new ArrayList<>();
        final Batch carry;
        final long salt;

        Loader(String phase, List<Path> files, int batchSize, long salt) {
            this.phase = phase;
            this.files = files;
            this.batchSize = batchSize;
            this.salt = salt;
            int n = files.isEmpty() ? 0 : plan.threads();
            for (int i = 0; i < n; i++) {
                workers.add(new Worker(i, batchSize, phase.equals("eval") ? "eval" : "train"));
            }
            this.carry = new Batch(batchSize, plan.columns().size(), null, resized);
        }

        void close() {
            for (Worker w : workers) {
                w.close();
            }
            carry.close();
        }
    }

    /**
     * Per-worker state that lives for the whole run, on a thread of its own for the whole run: its
     * read buffers hold its I/O queue, and an io_uring queue works only on the thread that made it.
     */
    private final class Worker {
        /** Free batches, the most recently given back first (its memory is the warmest). */
        final BlockingDeque<Batch> free;
        final ReadBuffers buffers = new ReadBuffers();
        final ExecutorService thread;
        /** Time spent waiting for the consumer to take a batch (on the worker's thread only). */
        long blockedNanos;
        final List<Batch> all = new ArrayList<>();
        /** The batch being filled, or null between a hand-off and the next sample. */
        Batch current;
        /** Samples in the batch handed off last (for the consumer-wait trace event). */
        int lastHandedOff;
        final RunReport.ThreadStats stats;

        Worker(int index, int batchSize, String phase) {
            thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("inlay-reader-" + phase + "-" + index)
                    .daemon().factory());
            int n = plan.effectivePrefetch();
            free = new LinkedBlockingDeque<>(n + 1);
            for (int i = 0; i < n; i++) {
                Batch b = new Batch(batchSize, plan.columns().size(), free, resized);
                all.add(b);
                free.add(b);
            }
            stats = new RunReport.ThreadStats(index);
        }

        void close() {
            thread.shutdownNow();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            buffers.close();
            for (Batch b : all) {
                b.close();
            }
        }
    }

    /**
     * Runs every epoch and returns the figures (incomplete when interrupted).
     *
     * @throws RunFailure with one line naming the file and the problem when a file cannot be read,
     *     or when the files hold fewer samples than the planned steps need
     */
    public RunReport run() throws RunFailure {
        List<Path> all = new ArrayList<>(plan.files());
        if (plan.evaluation() != null) {
            all.addAll(plan.evaluation().files());
        }
        for (Path f : all) {
            if (!Files.isRegularFile(f)) {
                throw new RunFailure(f + ": no such file (generate the dataset first with inlay generate)", null);
            }
        }
        RunReport r = new RunReport(plan, clock);
        report = r;
        Loader train = new Loader("block1", plan.files(), plan.batchSize(), -1);
        Loader eval = plan.evaluation() == null ? null : new Loader("eval", plan.evaluation().files(),
                plan.evaluation().batchSize(), -2);
        Random computeRandom = new Random(plan.seed());
        Random evalRandom = new Random(plan.seed() + 1);
        r.start(clock.nanoTime());
        List<RunReport.ThreadStats> threadStats = new ArrayList<>();
        train.workers.forEach(w -> threadStats.add(w.stats));
        try (MemorySampler memory = new MemorySampler(20)) {
            boolean done = true;
            for (int epoch = 1; epoch <= plan.epochs(); epoch++) {
                if (interrupted.get()) {
                    done = false;
                    break;
                }
                long traceEpoch = Trace.start();
                EpochStats e = r.startEpoch(epoch, clock.nanoTime());
                long tracePhase = Trace.start();
                current = e;
                checkpoints.startEpoch(epoch);
                PhaseStats trainPhase = e.startTrain(clock.nanoTime());
                runPhase(train, epoch, plan.stepsPerEpoch(), trainPhase, plan.computeTime(), computeRandom, true);
                if (interrupted.get()) {
                    trainPhase.finish(clock.nanoTime()); // the figures stop where the run did
                    Trace.end(TraceEvents.PHASE, tracePhase, "block1", null, epoch, trainPhase.steps(), 0, 0);
                    Trace.end(TraceEvents.EPOCH, traceEpoch, epoch, 0);
                    done = false;
                    break;
                }
                trainPhase.finish(clock.nanoTime());
                sync.afterEpoch();
                e.endTrain(clock.nanoTime());
                Trace.end(TraceEvents.PHASE, tracePhase, "block1", null, epoch, trainPhase.steps(), 0, 0);
                if (checkpoints.dueAfterEpoch(epoch)) {
                    saveCheckpoint(e, null, epoch, trainPhase.steps(), false);
                }
                if (eval != null && plan.evaluation().after(epoch)) {
                    long traceEval = Trace.start();
                    PhaseStats ev = e.startEval(clock.nanoTime());
                    runPhase(eval, epoch, plan.evaluation().steps(), ev, plan.evaluation().time(), evalRandom, false);
                    ev.finish(clock.nanoTime());
                    Trace.end(TraceEvents.PHASE, traceEval, "eval", null, epoch, ev.steps(), 0, 0);
                    if (interrupted.get()) {
                        Trace.end(TraceEvents.EPOCH, traceEpoch, epoch, 0);
                        done = false;
                        break;
                    }
                }
                e.finish(clock.nanoTime());
                Trace.end(TraceEvents.EPOCH, traceEpoch, epoch, 0);
                Trace.collect(); // the epoch's events leave the rings between epochs (written to the file when the trace closes)
            }
            r.finish(clock.nanoTime(), done, memory.peakHeap(), memory.peakRssAnon(), memory.gcCountSinceStart(),
                    memory.gcSecondsSinceStart(), threadStats);
        } finally {
            train.close();
            if (eval != null) {
                eval.close();
            }
        }
        return r;
    }

    private static RunFailure failure(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.ExecutionException && t.getCause() != null ? t.getCause() : t;
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof RuntimeException && !(cause instanceof IllegalStateException)) {
            m = cause.getClass().getSimpleName() + ": " + m;
        }
        return new RunFailure(m, cause);
    }

    /** One phase of an epoch: {@code target} whole batches from the loader's files. */
    private void runPhase(Loader loader, int epoch, long target, PhaseStats phase, ComputeTime time,
            Random random, boolean training) throws RunFailure {
        if (loader.files.isEmpty()) {
            // an idle rank (allowed by the user): it meets the others at every step, reading nothing
            for (long s = 0; s < target && !interrupted.get(); s++) {
                if (training) {
                    sync.afterStep();
                }
            }
            return;
        }
        phase.cpuStart(processCpuNanos());
        try {
            readPhase(loader, epoch, target, phase, time, random, training);
        } finally {
            phase.cpuEnd(processCpuNanos());
        }
    }

    private static final java.lang.management.OperatingSystemMXBean OS = java.lang.management.ManagementFactory
            .getOperatingSystemMXBean();

    /** The process's CPU time so far, or -1 where the JVM does not say. */
    static long processCpuNanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private void readPhase(Loader loader, int epoch, long target, PhaseStats phase, ComputeTime time,
            Random random, boolean training) throws RunFailure {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        int[] order = order(loader.files.size(), plan.fileShuffle(), seedFor(epoch, loader.salt));
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Future<?>> futures = new ArrayList<>();
        List<String> names = plan.columns().stream().map(ColumnSpec::name).toList();
        for (Worker w : loader.workers) {
            futures.add(w.thread.submit(() -> {
                try {
                    readShare(w, loader, epoch, order, next, stop, queue, names, phase);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    queue.add(END);
                }
            }));
        }
        long steps = consume(loader, epoch, target, queue, phase, failure, stop, time, random, training);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception ex) {
                failure.compareAndSet(null, ex);
            }
        }
        if (failure.get() != null) {
            throw failure(failure.get());
        }
        if (steps < target && !interrupted.get()) {
            throw new RunFailure("rank " + plan.rank() + ": its " + loader.files.size() + " " + (training ? "training" : "evaluation")
                    + " files gave only " + steps + " whole batches of " + loader.batchSize + " where " + target
                    + " steps were planned: they hold fewer samples than dataset.num_samples_per_file says", null);
        }
    }

    /** The consumer: takes whole batches and "computes" on each, as the accelerator would; returns the steps taken. */
    private long consume(Loader loader, int epoch, long target, LinkedBlockingQueue<Object> queue, PhaseStats phase,
            AtomicReference<Throwable> failure, AtomicBoolean stop, ComputeTime time, Random random, boolean training)
            throws RunFailure {
        int workers = loader.workers.size();
        Batch carry = loader.carry;
        carry.clear();
        Batch pending = null;
        int pendingPos = 0;
        int ended = 0;
        long steps = 0;
        long started = clock.nanoTime();
        long t0 = clock.nanoTime();
        try {
            String phaseName = loader.phase;
            while (steps < target && !interrupted.get()) {
                long traceStep = Trace.start();
                Batch b = null;
                while (b == null) {
                    if (pending != null) {
                        int n = Math.min(carry.room(), pending.size - pendingPos);
                        carry.appendFrom(pending, pendingPos, pendingPos + n);
                        pendingPos += n;
                        if (pendingPos == pending.size) {
                            pending.release();
                            pending = null;
                        }
                        if (carry.isFull()) {
                            b = carry;
                        }
                        continue;
                    }
                    if (ended == workers || interrupted.get() || failure.get() != null) {
                        break;
                    }
                    Object o = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (o == null) {
                        continue;
                    }
                    if (o == END) {
                        ended++;
                        continue;
                    }
                    Batch x = (Batch) o;
                    if (x.isFull()) {
                        b = x;
                    } else {
                        pending = x;
                        pendingPos = 0;
                    }
                }
                if (b == null) {
                    break;
                }
                long loaded = clock.nanoTime();
                Trace.end(TraceEvents.DATA_WAIT, traceStep, epoch, steps + 1);
                long compute = time.sampleNanos(random);
                if (compute > 0) {
                    long traceCompute = Trace.start();
                    sleepNanos(compute);
                    Trace.end(TraceEvents.COMPUTE, traceCompute, epoch, steps + 1);
                }
                long computed = clock.nanoTime();
                int stepSamples = b.size;
                if (listener != null) {
                    listener.batch(loader.phase, epoch, b.sampleIds, b.size);
                    List<java.lang.foreign.MemorySegment> samples = new ArrayList<>(b.size);
                    for (int i = 0; i < b.size; i++) {
                        samples.add(b.sample(0, i));
                    }
                    listener.samples(loader.phase, epoch, samples);
                }
                phase.step(loaded - t0, computed - loaded, computed - t0, b.size, b.storageBytes, b.bytes);
                if (b == carry) {
                    carry.clear();
                } else {
                    b.release();
                }
                steps++;
                if (progress != null) {
                    progress.update(epoch, phase.steps(), phase.samples(), phase.bytesRead(), (clock.nanoTime() - started) / 1e9);
                }
                if (training) {
                    long b0 = clock.nanoTime();
                    sync.afterStep();
                    phase.barrier(clock.nanoTime() - b0);
                    if (checkpoints.dueAfterStep(epoch, steps)) {
                        saveCheckpoint(current, phase, epoch, steps, steps < target);
                    }
                }
                Trace.end(TraceEvents.STEP, traceStep, phaseName, null, epoch, steps, stepSamples, 0);
                t0 = clock.nanoTime();
            }
            // the epoch's steps are taken (or the run ends): stop the workers and give back what they made
            stop.set(true);
            if (pending != null) {
                pending.release();
                pending = null;
            }
            while (ended < workers) {
                Object o = queue.poll(200, TimeUnit.MILLISECONDS);
                if (o == END) {
                    ended++;
                } else if (o != null) {
                    ((Batch) o).release();
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new RunFailure("interrupted", ie);
        }
        return steps;
    }

    private static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            LockSupport.parkNanos(left);
            left = end - System.nanoTime();
        }
    }

    /** File order of an epoch of the training files. */
    int[] fileOrder(int epoch) {
        return order(plan.files().size(), plan.fileShuffle(), seedFor(epoch, -1));
    }

    private static int[] order(int n, Shuffle mode, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, mode, seed);
        return order;
    }

    private long seedFor(int epoch, long salt) {
        long e = plan.seedChangeEpoch() ? epoch : 0;
        return plan.seed() * 0x9E3779B97F4A7C15L + e * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
    }

    private static void shuffle(int[] a, Shuffle mode, long seed) {
        if (mode == Shuffle.OFF || a.length < 2) {
            return;
        }
        SplittableRandom r = mode == Shuffle.SEED ? new SplittableRandom(seed) : new SplittableRandom();
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** One worker's share of a phase: files taken from the shared order until none is left or the consumer stops. */
    private void readShare(Worker w, Loader loader, int epoch, int[] order, AtomicInteger next, AtomicBoolean stop,
            LinkedBlockingQueue<Object> queue, List<String> names, PhaseStats phase) throws IOException, InterruptedException {
        ReadOptions options = plan.readOptions();
        if (w.current != null) {
            w.current.clear(); // samples left over from the previous epoch are not this epoch's
        }
        // positions in the order this worker has claimed ahead of the file it reads, announced to its
        // reader so that their reads overlap this file's decoding (enough to fill the queue)
        java.util.ArrayDeque<Integer> claimed = new java.util.ArrayDeque<>();
        while (!stop.get()) {
            int i = claimed.isEmpty() ? next.getAndIncrement() : claimed.poll();
            if (i >= order.length) {
                break;
            }
            int fileIndex = order[i];
            Path path = loader.files.get(fileIndex);
            long traceFile = Trace.start();
            long started = System.nanoTime();
            long bytesRead = 0;
            long decoded = 0;
            long rows = 0;
            io.inlay.engine.io.IoStats ioBefore = w.buffers.ioStats();
            long blockedBefore = w.blockedNanos;
            String engine;
            io.inlay.engine.io.IoStats fileIo;
            try (ParquetFile file = ParquetFile.open(path, options, w.buffers)) {
                engine = file.ioEngine().configName();
                file.validate(plan.columns());
                if (options.readAhead()) {
                    announce(w, loader, order, next, claimed, file.size(), names, options);
                }
                long idBase = (long) fileIndex << 32;
                if (wholeFiles) {
                    // the whole file at once, into the worker's buffers: memory is taken once, not per file
                    List<RowGroupData> groups = file.readAll(names, w.buffers);
                    for (RowGroupData g : groups) {
                        bytesRead += g.storedBytes();
                        decoded += VectorBytes.of(g);
                        rows += g.rows();
                    }
                    emitFile(w, groups, names, idBase, epoch, fileIndex + loader.salt * 7_919L, queue, stop);
                } else {
                    try (RowGroupReader reader = file.rowGroups(names, w.buffers)) {
                        long firstRow = 0;
                        for (int g = 0; g < file.rowGroupCount() && !stop.get(); g++) {
                            RowGroupData data = reader.read(g);
                            bytesRead += data.storedBytes();
                            decoded += VectorBytes.of(data);
                            rows += data.rows();
                            emitFile(w, List.of(data), names, idBase + firstRow, epoch, fileIndex * 1_000_003L + g + loader.salt,
                                    queue, stop);
                            firstRow += data.rows();
                        }
                    }
                }
                fileIo = file.ioStats();
            }
            long busy = System.nanoTime() - started;
            Trace.end(TraceEvents.FILE, traceFile, path, null, rows, bytesRead, decoded, 0);
            long waited = w.buffers.ioStats().minus(ioBefore).storageWaitNanos();
            long blocked = w.blockedNanos - blockedBefore;
            long traceEvict = Trace.start();
            PageCache.Eviction evicted = plan.evictCache() ? PageCache.evict(path) : null;
            if (evicted != null) {
                Trace.end(TraceEvents.EVICT, traceEvict, path, null, evicted.residentAfter(), 0, 0, 0);
            }
            w.stats.file(rows, bytesRead, decoded, busy, busy - blocked);
            phase.file(bytesRead, decoded, evicted);
            phase.io(engine, fileIo.bytesFromStorage(), fileIo.readRequests(), fileIo.uringReads(), waited, Math.max(0, busy - waited - blocked), blocked);
        }
        if (w.current != null && w.current.size > 0 && !stop.get()) {
            handOff(w, queue);
        }
    }

    /**
     * Turns decoded row groups into samples, in order or shuffled, filling batches and handing
     * each full one to the consumer. Each group's storage bytes are spread over its rows.
     */
    private void emitFile(Worker w, List<RowGroupData> groups, List<String> names, long idBase, int epoch, long shuffleSalt,
            LinkedBlockingQueue<Object> queue, AtomicBoolean stop) throws InterruptedException {
        int columns = names.size();
        ColumnVector[][] vectors = new ColumnVector[groups.size()][columns];
        long[] starts = new long[groups.size() + 1];
        double[] perRow = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            for (int c = 0; c < columns; c++) {
                vectors[g][c] = groups.get(g).column(names.get(c));
            }
            long rows = groups.get(g).rows();
            starts[g + 1] = starts[g] + rows;
            perRow[g] = rows == 0 ? 0 : (double) groups.get(g).storedBytes() / rows;
        }
        long total = starts[groups.size()];
        if (plan.sampleShuffle() == Shuffle.OFF) {
            for (int g = 0; g < groups.size(); g++) {
                long r = 0;
                long rows = groups.get(g).rows();
                while (r < rows && !stop.get()) {
                    int room = batch(w).room();
                    long to = Math.min(rows, r + room);
                    w.current.appendRun(vectors[g], r, to, idBase + starts[g]);
                    w.current.storageBytes += perRow[g] * (to - r);
                    r = to;
                    if (w.current.isFull()) {
                        handOff(w, queue);
                    }
                }
            }
            return;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("more than 2^31 samples in one file cannot be shuffled");
        }
        int[] perm = new int[(int) total];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        shuffle(perm, plan.sampleShuffle(), seedFor(epoch, shuffleSalt));
        int g = 0;
        for (int k = 0; k < perm.length && !stop.get(); k++) {
            long s = perm[k];
            if (s < starts[g] || s >= starts[g + 1]) {
                g = group(starts, s);
            }
            long row = s - starts[g];
            batch(w).appendRun(vectors[g], row, row + 1, idBase + starts[g]);
            w.current.storageBytes += perRow[g];
            if (w.current.isFull()) {
                handOff(w, queue);
            }
        }
    }

    private static int group(long[] starts, long sample) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= sample) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Claims positions of the order ahead of the current file until their bytes (guessed from the
     * current file's size) fill the reader's queue ({@code io_depth x transfer_size}, at most 16
     * files), and announces them to the worker's reader: their footers and first ranges are read
     * while this file decodes. Claimed positions are this worker's, read in claim order.
     */
    private static void announce(Worker w, Loader loader, int[] order, AtomicInteger next, java.util.ArrayDeque<Integer> claimed,
            long fileBytes, List<String> names, ReadOptions options) {
        int want = ReadBuffers.filesToAnnounce(options, fileBytes);
        // never more than a fair share of the files left: a worker that claimed them all would read
        // them one after another while the other workers find nothing left and stop
        int left = Math.max(0, order.length - next.get());
        want = Math.min(want, Math.max(1, left / Math.max(1, loader.workers.size())));
        while (claimed.size() < want) {
            int j = next.getAndIncrement();
            if (j >= order.length) {
                break;
            }
            claimed.add(j);
        }
        if (claimed.isEmpty()) {
            return;
        }
        List<Path> ahead = new ArrayList<>(claimed.size());
        for (int j : claimed) {
            ahead.add(loader.files.get(order[j]));
        }
        w.buffers.readAhead(ahead, options, names);
    }

    /**
     * Hands the worker's batch to the consumer. The next batch is taken only when the worker has
     * samples for it ({@link #batch}): by then the consumer has often given this one back, and the
     * worker fills it again rather than a batch whose memory was never touched (a huge sample's
     * batch is hundreds of MB; fresh memory costs a page fault and the kernel's zeroing per 4 KiB,
     * which made a cold first epoch of unet3d files several times slower than the next ones).
     */
    private void handOff(Worker w, LinkedBlockingQueue<Object> queue) {
        w.lastHandedOff = w.current.size;
        queue.add(w.current);
        w.current = null;
    }

    /** The worker's batch being filled, taken from its free ones (waiting for the consumer if none is) when it has none. */
    private Batch batch(Worker w) throws InterruptedException {
        if (w.current != null) {
            return w.current;
        }
        long t = System.nanoTime();
        w.current = w.free.takeFirst();
        long t1 = System.nanoTime();
        long b = t1 - t;
        w.stats.blocked(b);
        w.blockedNanos += b;
        if (b >= CONSUMER_WAIT_TRACED_NANOS) {
            Trace.complete(TraceEvents.CONSUMER_WAIT, t, t1, null, null, w.lastHandedOff, 0, 0, 0);
        }
        return w.current;
    }
}
