package io.inlay.cli.run;

import java.util.Random;

/**
 * The emulated accelerator's time per step ({@code train.computation_time}): a constant, or a
 * normal or uniform distribution as DLIO allows. Immutable.
 *
 * @param mean seconds per step (normal and constant)
 * @param stdev standard deviation (normal), 0 for a constant
 * @param min lower bound (uniform)
 * @param max upper bound (uniform)
 * @param uniform whether the uniform distribution is used
 */
public record ComputeTime(double mean, double stdev, double min, double max, boolean uniform) {

    public ComputeTime {
        if (mean < 0 || stdev < 0 || min < 0 || max < min || Double.isNaN(mean) || Double.isNaN(stdev)) {
            throw new IllegalArgumentException("computation time must be non-negative (mean " + mean + ", stdev " + stdev
                    + ", min " + min + ", max " + max + ")");
        }
    }

    public static ComputeTime constant(double seconds) {
        return new ComputeTime(seconds, 0, 0, 0, false);
    }

    public static ComputeTime normal(double mean, double stdev) {
        return new ComputeTime(mean, stdev, 0, 0, false);
    }

    public static ComputeTime uniform(double min, double max) {
        return new ComputeTime((min + max) / 2, 0, min, max, true);
    }

    /** One step's time in nanoseconds (never negative). */
    public long sampleNanos(Random random) {
        double s;
        if (uniform) {
            s = min + random.nextDouble() * (max - min);
        } else if (stdev > 0) {
            s = Math.max(0, mean + random.nextGaussian() * stdev);
        } else {
            s = mean;
        }
        return (long) (s * 1e9);
    }
}
