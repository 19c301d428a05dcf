package io.inlay.bench.data;

/**
 * The values of a benchmark file, as a pure function of their position: value {@code k} (in
 * row-major order over the whole file) is the top 23 bits of a SplitMix64 hash of {@code k} and
 * the seed, scaled to [0, 1). Counter-based, so any range can be made independently, in any order
 * or thread, and every writer given the same source writes the same floats.
 *
 * <p>Every value is a multiple of 2<sup>-23</sup> below 1: see {@link DatasetSpec} for why that
 * makes all sums exact. Immutable and thread-safe.
 */
public final class FloatSource {
    private final long seed;

    public FloatSource(long seed) {
        this.seed = seed;
    }

    /** The source of a spec's values. */
    public static FloatSource of(DatasetSpec spec) {
        return new FloatSource(spec.seed());
    }

    /** Value number {@code k}. */
    public float value(long k) {
        long z = (k + 1) * 0x9E3779B97F4A7C15L + seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 41) * 0x1.0p-23f;
    }

    /** Values {@code first .. first + n - 1} into {@code dst[off, off + n)}. */
    public void fill(long first, float[] dst, int off, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i] = value(first + i);
        }
    }
}
