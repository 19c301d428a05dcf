package io.inlay.bench.read;

/**
 * A named kind of contender, registered in {@link Contenders}. Implementations are stateless;
 * everything a read needs is made by {@link #open}.
 */
public interface ContenderFactory {

    /** The name used in {@code -p contender=...} and in the results, e.g. {@code parquet-java}. */
    String name();

    /** Whether {@link #open} accepts the given thread count. */
    default boolean supportsThreads(int threads) {
        return threads >= 1;
    }

    /** Whether the contender can read files of this codec (zero-copy reads only uncompressed pages). */
    default boolean supportsCodec(String codec) {
        return true;
    }

    /** Opens a contender for the target; the caller closes it. */
    Contender open(ReadTarget target) throws Exception;
}
