package io.inlay.engine.hostile;

import io.inlay.engine.internal.memory.NativeMemory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs reads of hostile input on a worker thread, each within a time limit (a read that does not
 * finish is reported with the worker's stack, as a hang), and measures what each allocated: heap
 * bytes through the thread's allocation counter, off-heap bytes through the engine's counting hook
 * in {@link NativeMemory}. The worker is reused from read to read, so the limit costs no thread
 * start per read. Confined to the test thread.
 */
public final class Guard implements AutoCloseable {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * What a task did.
     *
     * @param value its result, or null
     * @param thrown what it threw, or null
     * @param heapBytes heap bytes the worker allocated while running it
     * @param offHeapBytes off-heap bytes it requested through the engine
     * @param largestOffHeap its largest single off-heap request
     */
    public record Measured<T>(T value, Throwable thrown, long heapBytes, long offHeapBytes, long largestOffHeap) {}

    private final Duration limit;
    private ExecutorService worker;
    private volatile Thread workerThread;

    public Guard(Duration limit) {
        this.limit = limit;
        this.worker = newWorker();
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hostile-read");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    /**
     * Runs {@code task}; whatever it throws is returned, not rethrown.
     *
     * @throws AssertionError naming {@code what} if it does not finish within the limit
     */
    public <T> Measured<T> run(Callable<T> task, Supplier<String> what) {
        Future<Measured<T>> f = worker.submit(() -> {
            long heap = THREADS.getCurrentThreadAllocatedBytes();
            long off = NativeMemory.requestedByCurrentThread();
            NativeMemory.resetLargestRequest();
            T value = null;
            Throwable thrown = null;
            try {
                value = task.call();
            } catch (Throwable t) {
                thrown = t;
            }
            return new Measured<>(value, thrown, THREADS.getCurrentThreadAllocatedBytes() - heap,
                    NativeMemory.requestedByCurrentThread() - off, NativeMemory.largestRequestOfCurrentThread());
        });
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Thread stuck = workerThread;
            StackTraceElement[] stack = stuck == null ? new StackTraceElement[0] : stuck.getStackTrace();
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            AssertionError hang = new AssertionError(what.get() + ": the read did not finish within " + limit
                    + "; the reading thread was at:\n  " + String.join("\n  ", Arrays.stream(stack).map(String::valueOf).toList()));
            throw hang;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(what.get() + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
