package io.inlay.bench.data;

import java.util.Locale;
import java.util.Objects;

/**
 * One benchmark file: a single float32 column of the given shape holding {@code floatBytes} bytes
 * of float values (levels and headers come on top), compressed with {@code codec} (a workload
 * config name: none, snappy, gzip, zstd, lz4 = LZ4_RAW), in row groups of {@code rowGroupRows}.
 *
 * <p>The values ({@link FloatSource}) are uniform in [0, 1) and multiples of 2<sup>-23</sup>, made
 * from a seeded hash of each value's position. That keeps them realistic for codecs (23 random
 * mantissa bits) and
 * makes every sum exact: with at most 2<sup>30</sup> values each below 1, every partial sum is a
 * multiple of 2<sup>-23</sup> below 2<sup>30</sup>, which a double holds exactly. So every reader
 * that adds the floats as doubles, in any order and with any number of threads, reaches the same
 * sum bit for bit, and the checksum gate compares sums exactly.
 */
public record DatasetSpec(Shape shape, long floatBytes, String codec, int rowGroupRows, long seed) {

    /** The most values a file may hold for its sums to stay exact (see the class comment). */
    public static final long MAX_VALUES = 1L << 30;

    /** The seed used unless a spec says otherwise. */
    public static final long DEFAULT_SEED = 42;

    public DatasetSpec {
        Objects.requireNonNull(shape, "shape");
        codec = Objects.requireNonNull(codec, "codec").trim().toLowerCase(Locale.ROOT);
        if (rowGroupRows <= 0) {
            rowGroupRows = shape.defaultRowGroupRows();
        }
        long rowBytes = 4L * shape.floatsPerRow();
        if (floatBytes <= 0 || floatBytes % rowBytes != 0) {
            throw new IllegalArgumentException("a " + shape.id() + " file holds whole rows of " + rowBytes
                    + " bytes; " + floatBytes + " is not a positive multiple");
        }
        if (floatBytes / 4 > MAX_VALUES) {
            throw new IllegalArgumentException(floatBytes / 4 + " values are more than the " + MAX_VALUES
                    + " for which sums stay exact in a double");
        }
    }

    /** A spec with the shape's default row group size and the default seed. */
    public static DatasetSpec of(Shape shape, long floatBytes, String codec) {
        return new DatasetSpec(shape, floatBytes, codec, 0, DEFAULT_SEED);
    }

    /** Rows in the file. */
    public long rows() {
        return floatBytes / (4L * shape.floatsPerRow());
    }

    /** Float values in the file. */
    public long values() {
        return floatBytes / 4;
    }

    /** A file name that identifies the content: shape, size, codec, row group, seed and writer. */
    public String fileName(String writerId) {
        return shape.id() + "-" + Sizes.format(floatBytes) + "-" + codec + "-rg" + rowGroupRows + "-s" + seed
                + "-" + writerId + ".parquet";
    }

    @Override
    public String toString() {
        return shape.id() + " " + Sizes.format(floatBytes) + " " + codec + " (row groups of " + rowGroupRows + " rows)";
    }
}
