package io.inlay.cli.run;

import io.inlay.engine.read.PageCache;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.vector.ColumnVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A DLIO-style training read: {@code threads} workers read this rank's files with Inlay's reader
 * and hand batches of {@code batchSize} samples to one consumer that emulates the accelerator by
 * waiting the computation time per batch. Each worker keeps at most {@code prefetch} batches in
 * flight; batch buffers and decode buffers are reused, not reallocated.
 */
public final class TrainingRead {

    /** Sees every batch the accelerator consumes (tests use it to check sample coverage). */
    public interface Listener {
        void batch(int epoch, long[] sampleIds, int count);
    }

    /** Sees the run's progress, for a live status line. */
    public interface Progress {
        void update(int epoch, long steps, long samples, long bytesRead, double seconds);
    }

    private static final Object END = new Object();

    private final ReadPlan plan;
    private final Listener listener;
    private final Progress progress;

    public TrainingRead(ReadPlan plan, Listener listener, Progress progress) {
        this.plan = plan;
        this.listener = listener;
        this.progress = progress;
    }

    /** Per-worker state that lives for the whole run. */
    private final class Worker {
        final int index;
        final BlockingQueue<Batch> free;
        final ReadBuffers buffers = new ReadBuffers();
        final List<Batch> all = new ArrayList<>();
        Batch current;
        final RunReport.ThreadStats stats;

        Worker(int index) {
            this.index = index;
            int n = plan.effectivePrefetch();
            free = new ArrayBlockingQueue<>(n + 1);
            for (int i = 0; i < n; i++) {
                Batch b = new Batch(plan.batchSize(), plan.columns().size(), free);
                all.add(b);
                free.add(b);
            }
            stats = new RunReport.ThreadStats(index);
        }

        void close() {
            buffers.close();
            for (Batch b : all) {
                b.close();
            }
        }
    }

    /**
     * Runs every epoch and returns the figures.
     *
     * @throws RunFailure with one line naming the file and the problem when a file cannot be read
     */
    public RunReport run() throws RunFailure {
        for (Path f : plan.files()) {
            if (!Files.isRegularFile(f)) {
                throw new RunFailure(f + ": no such file (generate the dataset first with inlay generate)", null);
            }
        }
        List<String> names = plan.columns().stream().map(ColumnSpec::name).toList();
        ReadOptions options = ReadOptions.DEFAULT;
        RunReport report = new RunReport(plan);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < plan.threads(); i++) {
            workers.add(new Worker(i));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(plan.threads(),
                Thread.ofPlatform().name("inlay-reader-", 0).daemon().factory());
        Random computeRandom = new Random(plan.seed());
        long runStart = System.nanoTime();
        try (MemorySampler memory = new MemorySampler(20)) {
            for (int epoch = 1; epoch <= plan.epochs(); epoch++) {
                LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
                int[] order = fileOrder(epoch);
                AtomicInteger next = new AtomicInteger();
                AtomicInteger stop = new AtomicInteger();
                RunReport.Epoch e = report.startEpoch(epoch);
                List<Future<?>> futures = new ArrayList<>();
                final int ep = epoch;
                for (Worker w : workers) {
                    futures.add(pool.submit(() -> {
                        try {
                            readEpoch(w, ep, order, next, stop, queue, names, options, e);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        } finally {
                            queue.add(END);
                        }
                    }));
                }
                consume(epoch, queue, e, failure, stop, computeRandom, runStart);
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
                e.finish();
            }
            report.finish((System.nanoTime() - runStart) / 1e9, memory.peakHeap(), memory.peakRssAnon(),
                    memory.gcCountSinceStart(), memory.gcSecondsSinceStart(), workers.stream().map(w -> w.stats).toList());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            for (Worker w : workers) {
                w.close();
            }
        }
        return report;
    }

    private static RunFailure failure(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.ExecutionException && t.getCause() != null ? t.getCause() : t;
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof RuntimeException && !(cause instanceof IllegalStateException)) {
            m = cause.getClass().getSimpleName() + ": " + m;
        }
        return new RunFailure(m, cause);
    }

    /** The consumer: waits for batches and "computes" on each, as the accelerator would. */
    private void consume(int epoch, LinkedBlockingQueue<Object> queue, RunReport.Epoch e, AtomicReference<Throwable> failure,
            AtomicInteger stop, Random computeRandom, long runStart) throws RunFailure {
        int ended = 0;
        long steps = 0;
        while (ended < plan.threads()) {
            long waitStart = System.nanoTime();
            Object o;
            try {
                o = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new RunFailure("interrupted", ie);
            }
            if (o == null) {
                if (failure.get() != null) {
                    stop.set(1);
                }
                continue;
            }
            if (o == END) {
                ended++;
                continue;
            }
            Batch b = (Batch) o;
            if (stop.get() != 0) {
                b.release();
                continue;
            }
            long waited = System.nanoTime() - waitStart;
            steps++;
            long computeStart = System.nanoTime();
            long compute = plan.computeTime().sampleNanos(computeRandom);
            if (compute > 0) {
                sleepNanos(compute);
            }
            long computed = System.nanoTime() - computeStart;
            if (listener != null) {
                listener.batch(epoch, b.sampleIds, b.size);
            }
            e.step(waited, computed, b.size, b.bytes);
            b.release();
            if (progress != null) {
                progress.update(epoch, e.steps(), e.samples(), e.bytesRead(), (System.nanoTime() - runStart) / 1e9);
            }
            if (plan.totalTrainingSteps() > 0 && steps >= plan.totalTrainingSteps()) {
                stop.set(1);
            }
        }
    }

    private static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            LockSupport.parkNanos(left);
            left = end - System.nanoTime();
        }
    }

    /** File order of an epoch. */
    int[] fileOrder(int epoch) {
        int n = plan.files().size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, plan.fileShuffle(), seedFor(epoch, -1));
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

    /** One worker's share of an epoch: files taken from the shared order until none is left. */
    private void readEpoch(Worker w, int epoch, int[] order, AtomicInteger next, AtomicInteger stop,
            LinkedBlockingQueue<Object> queue, List<String> names, ReadOptions options, RunReport.Epoch e)
            throws IOException, InterruptedException {
        if (w.current == null) {
            w.current = w.free.take();
        }
        while (stop.get() == 0) {
            int i = next.getAndIncrement();
            if (i >= order.length) {
                break;
            }
            int fileIndex = order[i];
            Path path = plan.files().get(fileIndex);
            long started = System.nanoTime();
            long bytesRead = 0;
            long decoded = 0;
            long rows = 0;
            try (ParquetFile file = ParquetFile.open(path, options)) {
                file.validate(plan.columns());
                long idBase = (long) fileIndex << 32;
                if (plan.readMode() == ReadMode.DEFAULT) {
                    // the whole file at once, into the worker's buffers: memory is taken once, not per file
                    List<RowGroupData> groups = file.readAll(names, w.buffers);
                    for (RowGroupData g : groups) {
                        bytesRead += g.bytesRead();
                        decoded += VectorBytes.of(g);
                        rows += g.rows();
                    }
                    emitFile(w, groups, names, idBase, epoch, fileIndex, queue, stop);
                } else {
                    try (RowGroupReader reader = file.rowGroups(names, w.buffers)) {
                        long firstRow = 0;
                        for (int g = 0; g < file.rowGroupCount() && stop.get() == 0; g++) {
                            RowGroupData data = reader.read(g);
                            bytesRead += data.bytesRead();
                            decoded += VectorBytes.of(data);
                            rows += data.rows();
                            emitFile(w, List.of(data), names, idBase + firstRow, epoch, fileIndex * 1_000_003L + g, queue, stop);
                            firstRow += data.rows();
                        }
                    }
                }
            }
            long busy = System.nanoTime() - started;
            PageCache.Eviction evicted = plan.evictCache() ? PageCache.evict(path) : null;
            w.stats.file(rows, bytesRead, decoded, busy);
            e.file(bytesRead, decoded, evicted);
        }
        if (w.current.size > 0) {
            handOff(w, queue);
        }
    }

    /**
     * Turns decoded row groups into samples, in order or shuffled, filling batches and handing
     * each full one to the consumer.
     */
    private void emitFile(Worker w, List<RowGroupData> groups, List<String> names, long idBase, int epoch, long shuffleSalt,
            LinkedBlockingQueue<Object> queue, AtomicInteger stop) throws InterruptedException {
        int columns = names.size();
        ColumnVector[][] vectors = new ColumnVector[groups.size()][columns];
        long[] starts = new long[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            for (int c = 0; c < columns; c++) {
                vectors[g][c] = groups.get(g).column(names.get(c));
            }
            starts[g + 1] = starts[g] + groups.get(g).rows();
        }
        long total = starts[groups.size()];
        if (plan.sampleShuffle() == Shuffle.OFF) {
            for (int g = 0; g < groups.size(); g++) {
                long r = 0;
                long rows = groups.get(g).rows();
                while (r < rows && stop.get() == 0) {
                    int room = w.current.capacity() - w.current.size;
                    long to = Math.min(rows, r + room);
                    w.current.appendRun(vectors[g], r, to, idBase + starts[g]);
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
        for (int k = 0; k < perm.length && stop.get() == 0; k++) {
            long s = perm[k];
            if (s < starts[g] || s >= starts[g + 1]) {
                g = group(starts, s);
            }
            long row = s - starts[g];
            w.current.appendRun(vectors[g], row, row + 1, idBase + starts[g]);
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

    private void handOff(Worker w, LinkedBlockingQueue<Object> queue) throws InterruptedException {
        queue.add(w.current);
        long t = System.nanoTime();
        w.current = w.free.take();
        w.stats.blocked(System.nanoTime() - t);
    }
}
