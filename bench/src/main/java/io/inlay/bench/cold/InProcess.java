package io.inlay.bench.cold;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-process contender: a {@link JvmReader.Factory} whose readers are opened once per case and
 * thread count (when first used, before the warm-up) and kept for the run. A run is one
 * {@link JvmReader#sum()}, timed with {@link System#nanoTime()}; its storage bytes and CPU time are
 * this process's counters around it (nothing else in the JVM reads files meanwhile).
 */
final class InProcess implements ColdContender {
    private final JvmReader.Factory factory;
    private final Cache cache;
    private final Map<String, JvmReader> readers = new HashMap<>();

    /** A contender reading evicted files, named as its factory. */
    InProcess(JvmReader.Factory factory) {
        this(factory, Cache.COLD);
    }

    /**
     * A contender reading with the page cache as {@code cache} says; a hot one is named
     * {@code <factory>-hot} (the same reader on files read into the page cache first: the rate the
     * cold read is held against where decoding, not storage, bounds it).
     */
    InProcess(JvmReader.Factory factory, Cache cache) {
        this.factory = factory;
        this.cache = cache;
    }

    @Override
    public String name() {
        return cache == Cache.HOT ? factory.name() + "-hot" : factory.name();
    }

    @Override
    public String kind() {
        return factory.name().startsWith("inlay") ? "inlay" : "peer";
    }

    @Override
    public View view() {
        return View.MATRIX;
    }

    @Override
    public Cache cache() {
        return cache;
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public Outcome run(ColdCase c, int threads) throws Exception {
        String key = c.id() + "/" + threads;
        JvmReader reader = readers.get(key);
        if (reader == null) {
            reader = factory.open(c, threads);
            readers.put(key, reader);
        }
        long io0 = Counters.processReadBytes();
        double cpu0 = Counters.processCpuSeconds();
        long t0 = System.nanoTime();
        double sum = reader.sum();
        long t1 = System.nanoTime();
        double cpu1 = Counters.processCpuSeconds();
        long io1 = Counters.processReadBytes();
        return new Outcome((t1 - t0) / 1e9, ColdData.fileBytes(c), sum, io0 < 0 || io1 < 0 ? -1 : io1 - io0, cpu1 - cpu0,
                new LinkedHashMap<>(reader.lastDetail()));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (JvmReader r : readers.values()) {
            try {
                r.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        readers.clear();
        if (first != null) {
            throw first;
        }
    }
}
