package io.inlay.bench.read;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a multi-threaded contender: part 0 of the work runs on the calling thread,
 * parts 1 to n-1 on a fixed pool of daemon threads made once when the contender opens.
 */
final class Workers implements AutoCloseable {

    /** One part of a read: returns the sum of the values it read. */
    @FunctionalInterface
    interface Part {
        double run(int part, int parts) throws Exception;
    }

    private final int threads;
    private final ExecutorService pool;
    private final List<Future<Double>> futures;

    Workers(int threads, String name) {
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.futures = new ArrayList<>(Collections.nCopies(threads, null));
    }

    int threads() {
        return threads;
    }

    /** Runs every part and adds their sums in part order. */
    double sum(Part part) throws Exception {
        if (threads == 1) {
            return part.run(0, 1);
        }
        for (int i = 1; i < threads; i++) {
            int p = i;
            Callable<Double> task = () -> part.run(p, threads);
            futures.set(i, pool.submit(task));
        }
        double total = part.run(0, threads);
        try {
            for (int i = 1; i < threads; i++) {
                total += futures.get(i).get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
        return total;
    }

    /** The first index of {@code part}'s share of {@code n} items split into {@code parts} contiguous ranges. */
    static int from(int part, int parts, int n) {
        return (int) ((long) n * part / parts);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
