package io.inlay.bench.cold;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a reader that splits a case itself ({@link ColdCase#share}): part 0 runs on the
 * calling thread, parts 1 to n-1 on daemon threads made once when the reader opens.
 */
final class Parts implements AutoCloseable {

    /** One thread's part of a read: returns the sum of the values it read. */
    @FunctionalInterface
    interface Part {
        double run(int part, int parts) throws Exception;
    }

    private final int threads;
    private final ExecutorService pool;

    Parts(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs every part and adds their sums in part order. */
    double sum(Part part) throws Exception {
        if (threads == 1) {
            return part.run(0, 1);
        }
        List<Future<Double>> others = new ArrayList<>(threads - 1);
        for (int i = 1; i < threads; i++) {
            int p = i;
            others.add(pool.submit(() -> part.run(p, threads)));
        }
        double total = part.run(0, threads);
        try {
            for (Future<Double> f : others) {
                total += f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
        return total;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
