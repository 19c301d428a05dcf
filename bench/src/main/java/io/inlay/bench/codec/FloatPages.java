package io.inlay.bench.codec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded pages of little-endian float32 values, as Parquet stores PLAIN floats, for the codec
 * benchmarks. Pages are allocated from the caller's arena; the caller owns and closes it.
 */
public final class FloatPages {

    /** Little-endian float32, as Parquet stores PLAIN floats. */
    public static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What the floats on a page look like. */
    public enum Kind {
        /**
         * Uniform in [0, 1) with a 24-bit mantissa, as {@code numpy.random.rand(...).astype(float32)}
         * and DLIO's generators produce: close to incompressible (only the exponent byte repeats).
         */
        UNIFORM,
        /**
         * Uniform in [0, 1) rounded to multiples of 1/256 (8-bit quantised features such as
         * normalised pixels): the low mantissa bytes are zero, so every codec finds matches.
         */
        QUANTIZED;

        /** The kind for a JMH parameter value, case-insensitively. */
        public static Kind of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private FloatPages() {}

    /**
     * A page of {@code bytes / 4} floats of the given kind, from a {@link SplittableRandom} with
     * the given seed. {@code bytes} must be a multiple of 4.
     */
    public static MemorySegment page(Arena arena, Kind kind, int bytes, long seed) {
        if (bytes < 0 || (bytes & 3) != 0) {
            throw new IllegalArgumentException("page of " + bytes + " bytes is not a whole number of floats");
        }
        MemorySegment page = arena.allocate(bytes, 64);
        SplittableRandom random = new SplittableRandom(seed);
        for (long off = 0; off < bytes; off += 4) {
            float f = switch (kind) {
                case UNIFORM -> (random.nextInt() >>> 8) * 0x1.0p-24f;
                case QUANTIZED -> random.nextInt(256) * 0x1.0p-8f;
            };
            page.set(LE_FLOAT, off, f);
        }
        return page;
    }
}
