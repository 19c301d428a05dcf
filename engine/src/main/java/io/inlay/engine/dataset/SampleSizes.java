package io.inlay.engine.dataset;

import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.vector.ValueHasher;

/**
 * The sample length of each file of a dataset with the default schema, drawn as DLIO's generators
 * draw it ({@code DataGenerator.get_dimension} and the npz, tfrecord and parquet generators): a
 * sample is a {@code d1 x d2} image of bytes, its two sides drawn from a normal distribution of
 * mean {@code d = floor(sqrt(record_length_bytes))} and standard deviation
 * {@code record_length_bytes_stdev / 2 / sqrt(record_length_bytes)}, each truncated to an integer
 * and clipped to at least 1; every sample of a file has the file's length. Without a standard
 * deviation every sample is {@code d x d} bytes (DLIO's generators write 114,244-byte samples for
 * resnet50's 114660.07, as they do). Lengths are clipped to {@link ColumnSpec#MAX_BLOB_SIZE}.
 *
 * <p>DLIO draws from numpy's global generator (seeded with 10 in DLIO 2.0, with a per-rank seed
 * in MLCommons' fork), so its lengths depend on its version and even its rank count; Inlay draws
 * from a counter-based stream keyed by the seed, the split and the file index, so a file's length
 * depends on nothing else: the same seed gives the same lengths whatever the ranks or threads.
 * Stateless.
 */
public final class SampleSizes {
    private SampleSizes() {}

    /** DLIO's {@code dimension}: the side of a sample of {@code recordLength} bytes. */
    public static long dimension(double recordLength) {
        return Math.max(1, (long) Math.floor(Math.sqrt(recordLength)));
    }

    /** The nominal sample length: {@code dimension(recordLength)} squared, clipped. */
    public static long nominal(double recordLength) {
        long d = dimension(recordLength);
        return Math.min(ColumnSpec.MAX_BLOB_SIZE, d * d);
    }

    /**
     * The length of every sample of file {@code index} of {@code split}.
     *
     * @param stdev {@code record_length_bytes_stdev}; 0 for none
     */
    public static long of(double recordLength, double stdev, long seed, Split split, int index) {
        long d = dimension(recordLength);
        if (!(stdev > 0)) {
            return nominal(recordLength);
        }
        double sigma = stdev / 2.0 / Math.sqrt(recordLength);
        long key = ValueHasher.mix64(ValueHasher.mix64(seed ^ 0x5A3F_12C9_7E01_B44DL) + (split.ordinal() + 1) * 0xA24BAED4963EE407L
                + index * ValueHasher.PHI);
        long d1 = side(d, sigma, key, 0);
        long d2 = side(d, sigma, key, 1);
        return d1 > ColumnSpec.MAX_BLOB_SIZE / d2 ? ColumnSpec.MAX_BLOB_SIZE : d1 * d2;
    }

    /** {@code max(int(normal(d, sigma)), 1)}, by Box-Muller from two words of the stream. */
    private static long side(long d, double sigma, long key, int which) {
        double u1 = 1.0 - (ValueHasher.mix64(key + (2L * which) * ValueHasher.PHI) >>> 11) * 0x1p-53; // (0, 1]
        double u2 = (ValueHasher.mix64(key + (2L * which + 1) * ValueHasher.PHI) >>> 11) * 0x1p-53;
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        double v = d + sigma * z;
        long side = (long) v; // toward zero, as Python's int()
        return Math.max(1, Math.min(side, Integer.MAX_VALUE));
    }
}
