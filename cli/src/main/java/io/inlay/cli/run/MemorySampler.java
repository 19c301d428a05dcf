package io.inlay.cli.run;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples the process's own footprint while a run goes on: heap used (from the memory MX bean)
 * and anonymous resident memory ({@code RssAnon} in {@code /proc/self/status}: the process's own
 * memory, apart from file pages such as the page cache of mapped files). Keeps the peaks.
 */
final class MemorySampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private final long gcCountStart;
    private final long gcMillisStart;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakRssAnon = -1;

    MemorySampler(long intervalMillis) {
        gcCountStart = gcCount();
        gcMillisStart = gcMillis();
        sample();
        thread = Thread.ofPlatform().daemon().name("inlay-memory-sampler").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void sample() {
        long heap = memory.getHeapMemoryUsage().getUsed();
        if (heap > peakHeap) {
            peakHeap = heap;
        }
        long rss = rssAnon();
        if (rss > peakRssAnon) {
            peakRssAnon = rss;
        }
    }

    /** RssAnon in bytes, or -1 where /proc is not available. */
    static long rssAnon() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
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

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    long peakHeap() {
        return peakHeap;
    }

    long peakRssAnon() {
        return peakRssAnon;
    }

    long gcCountSinceStart() {
        return gcCount() - gcCountStart;
    }

    double gcSecondsSinceStart() {
        return (gcMillis() - gcMillisStart) / 1000.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample();
    }
}
