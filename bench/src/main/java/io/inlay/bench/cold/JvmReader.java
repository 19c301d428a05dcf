package io.inlay.bench.cold;

/**
 * An in-process reader opened on one case with a thread count: each {@link #sum()} reads the
 * case's projected columns from its files again (opening every file, as a training read does) and
 * returns the sum of their floats, added as doubles. Long-lived resources (thread pools,
 * connections, allocators, reused buffers) are made when it opens; no file is held open or mapped
 * between sums, so the files can be evicted from the page cache between them. Used by one thread at
 * a time; it may run its own threads inside {@link #sum()}.
 */
public interface JvmReader extends AutoCloseable {

    /** Reads the case's projected columns once and returns the sum of their values. */
    double sum() throws Exception;

    /**
     * Contender-specific figures of the last {@link #sum()} for the sample's {@code detail} (Inlay:
     * the engines its files were read with, reads through io_uring); empty by default.
     */
    default java.util.Map<String, Object> lastDetail() {
        return java.util.Map.of();
    }

    /** Releases what opening made; failures are unchecked. */
    @Override
    void close();

    /** A named way of opening {@link JvmReader}s. */
    interface Factory {
        /** The contender's name in results, e.g. {@code inlay-mmap}, {@code parquet-java}. */
        String name();

        /** Opens a reader on the case for this many threads; the caller closes it. */
        JvmReader open(ColdCase c, int threads) throws Exception;
    }
}
