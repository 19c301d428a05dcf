package io.inlay.bench.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples this process's anonymous resident memory ({@code RssAnon} in {@code /proc/self/status})
 * and its heap use on a daemon thread at a fixed period, keeping the peaks. Linux only; where
 * {@code /proc} is missing the RSS figures are -1.
 */
final class RssSampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Thread thread;
    private final long periodMillis;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private volatile boolean running = true;
    private volatile long peakRss = -1;
    private volatile long peakHeap;
    private volatile long samples;

    private RssSampler(long periodMillis) {
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::run, "rss-sampler");
        this.thread.setDaemon(true);
    }

    static RssSampler start(long periodMillis) {
        RssSampler s = new RssSampler(periodMillis);
        s.sample();
        s.thread.start();
        return s;
    }

    /** {@code RssAnon} now, in bytes, or -1 if unknown. */
    static long rssAnonBytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("RssAnon:")) {
                    String[] parts = line.substring(8).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long rss = rssAnonBytes();
        long heap = memory.getHeapMemoryUsage().getUsed();
        if (rss > peakRss) {
            peakRss = rss;
        }
        if (heap > peakHeap) {
            peakHeap = heap;
        }
        samples++;
    }

    /** Stops sampling after one last sample. */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    long peakRssAnon() {
        return peakRss;
    }

    long peakHeapUsed() {
        return peakHeap;
    }

    long samples() {
        return samples;
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }
}
