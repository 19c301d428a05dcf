package io.inlay.bench.cold;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contender of the cold benchmark: an in-process reader, a floor measured with fio, or a
 * separate process (pyarrow, {@code inlay read}). {@link ColdRun} prepares the page cache as
 * {@link #cache()} says right before each {@link #run}, and gates the checksum it returns.
 */
interface ColdContender {

    /** Which table a contender belongs to. */
    enum View {
        /** Issue 13's cases: one pass over the files, every contender, 1 and 2 threads. */
        MATRIX,
        /** The DLIO-level view: multi-epoch {@code inlay read --evict-cache} and DLIO's pyarrow path. */
        DLIO,
        /** The hot whole run: multi-epoch runs from the page cache, whole run against the steady epochs. */
        HOT
    }

    /** The page cache before a run. */
    enum Cache {
        /** The case's files evicted ({@code posix_fadvise(DONTNEED)}), checked with {@code mincore}. */
        COLD,
        /** The case's files read once into the page cache, checked with {@code mincore}. */
        HOT
    }

    /** The name in results. */
    String name();

    /** {@code floor}, {@code inlay}, {@code peer} or {@code python}: how the report groups it. */
    String kind();

    View view();

    Cache cache();

    /** Whether it runs inside this JVM (its storage bytes and CPU time are then this process's counters). */
    boolean inProcess();

    /** Whether it reads this case. */
    default boolean supports(ColdCase c) {
        return true;
    }

    /** Reads the case once with this many threads; the page cache has been prepared. */
    Outcome run(ColdCase c, int threads) throws Exception;

    /** Releases what the contender holds (in-process readers, temporary files). */
    default void close() {}

    /**
     * What one run measured.
     *
     * @param seconds the time the rate is taken over (see {@code bytes})
     * @param bytes file bytes that time covers: the case's files once, or once per epoch counted
     * @param checksum the sum of the projected floats, or null for a contender that does not sum (fio, {@code inlay read})
     * @param storageBytes bytes the contender fetched from storage as the kernel counts them
     *     ({@code /proc/<pid>/io read_bytes}, fio's bytes read), or -1 when unknown
     * @param cpuSeconds CPU time the contender used (user + system), or NaN when unknown
     * @param detail contender-specific figures (per-epoch times, fio's own numbers, ...)
     */
    record Outcome(double seconds, long bytes, Double checksum, long storageBytes, double cpuSeconds,
            Map<String, Object> detail) {
        public Outcome {
            detail = new LinkedHashMap<>(detail);
        }
    }
}
