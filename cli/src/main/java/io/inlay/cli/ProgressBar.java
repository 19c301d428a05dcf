package io.inlay.cli;

import io.inlay.engine.dataset.GenerateProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on standard error by a daemon thread:
 *
 * <pre>
 * [##########..........]  12/24 files  1.23 GB  0.95 GB/s  ETA 0:01:12
 * </pre>
 *
 * Only used when standard error is a terminal; nothing is drawn into logs.
 */
final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 24;
    private static final long PERIOD_MS = 250;

    private final GenerateProgress progress;
    private final PrintStream err;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private int lastLength;

    ProgressBar(GenerateProgress progress, PrintStream err) {
        this.progress = progress;
        this.err = err;
        this.thread = Thread.ofPlatform().daemon().name("inlay-progress").start(this::loop);
    }

    private void loop() {
        while (running) {
            draw();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw() {
        String line = line(progress, (System.nanoTime() - start) / 1e9);
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /**
     * The bar's text after {@code seconds}: empty and "starting" until the run has counted its
     * files, then files done of the total, bytes, rate and time left.
     */
    static String line(GenerateProgress progress, double seconds) {
        int total = progress.filesTotal();
        if (total == 0 && progress.filesDone() == 0) {
            return "[" + ".".repeat(WIDTH) + "] starting";
        }
        double done = progress.fractionDone();
        int filled = (int) Math.round(done * WIDTH);
        long bytes = progress.bytesWritten();
        String eta = done > 0.001 && done < 1 ? clock(seconds * (1 - done) / done) : "-:--:--";
        return String.format(Locale.ROOT, "[%s%s] %d/%d files  %.2f GB  %.2f GB/s  ETA %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), progress.filesDone(), total,
                bytes / 1e9, seconds > 0 ? bytes / seconds / 1e9 : 0, eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    /** Stops and erases the bar. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }
    }
}
