package io.inlay.bench.read;

/**
 * One open way of reading a {@link ReadTarget}: each {@link #sum()} reads the whole column of the
 * file again and returns the sum of its float values, added as doubles. What an operation
 * includes (opening the file, parsing the footer) is up to the implementation and said in its
 * Javadoc; long-lived resources (thread pools, connections, allocators, a mapping for the floor)
 * are made when the contender is opened and released by {@link #close()}.
 *
 * <p>A contender is used by one benchmark thread at a time; it may use its own threads inside
 * {@link #sum()} when the target asks for more than one.
 */
public interface Contender extends AutoCloseable {

    /** Reads the whole column once and returns the sum of its values. */
    double sum() throws Exception;

    /**
     * {@link DecodeBenchmark}'s operation: does all the work of making the column's values
     * available (mapping slices, decompressing, decoding into vectors) without necessarily reading
     * every value afterwards, and returns something derived from the result (so the work is not
     * optimised away). By default the same as {@link #sum()}.
     */
    default double decode() throws Exception {
        return sum();
    }

    /** Releases what {@link ContenderFactory#open} made; failures are unchecked. */
    @Override
    void close();
}
