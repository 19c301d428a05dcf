package io.inlay.codec;

/**
 * The service interface for a page codec, found through {@link java.util.ServiceLoader}
 * ({@code provides io.inlay.codec.CodecProvider with ...} in a module, or
 * {@code META-INF/services/io.inlay.codec.CodecProvider} on the class path).
 *
 * <p>A provider is stateless and thread-safe; the {@link Decompressor}s and {@link Compressor}s
 * it makes are confined to one thread each.
 */
public interface CodecProvider {

    /** The Parquet codec this provider implements. */
    CompressionCodec codec();

    /** A new decompressor. */
    Decompressor newDecompressor();

    /** Whether {@link #newCompressor(int)} is supported (legacy LZ4 is read-only). */
    default boolean canCompress() {
        return true;
    }

    /** The level used when none is given; 0 for codecs without levels. */
    default int defaultLevel() {
        return 0;
    }

    /** The lowest level {@link #newCompressor(int)} accepts. */
    default int minLevel() {
        return 0;
    }

    /** The highest level {@link #newCompressor(int)} accepts. */
    default int maxLevel() {
        return 0;
    }

    /**
     * A new compressor at the given level.
     *
     * @throws IllegalArgumentException if the level is outside {@link #minLevel()}..{@link #maxLevel()}
     * @throws UnsupportedOperationException if this codec cannot compress
     */
    Compressor newCompressor(int level);

    /** A new compressor at {@link #defaultLevel()}. */
    default Compressor newCompressor() {
        return newCompressor(defaultLevel());
    }

    /** Checks a level against this provider's range; for use by implementations. */
    default int checkLevel(int level) {
        if (minLevel() == maxLevel() && level != minLevel()) {
            throw new IllegalArgumentException(codec() + " has no compression levels (asked for level " + level
                    + "): leave the level out");
        }
        if (level < minLevel() || level > maxLevel()) {
            throw new IllegalArgumentException(codec() + " compression level " + level
                    + " is outside " + minLevel() + ".." + maxLevel());
        }
        return level;
    }
}
