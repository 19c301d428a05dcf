package io.inlay.cli.run;

import java.util.List;
import java.util.Objects;

/** Means and population standard deviations as DLIO takes them over epochs (numpy's mean and std), skipping nulls. */
public final class Stats {
    private Stats() {}

    /** The mean of the non-null values, or null when there is none. */
    public static Double mean(List<Double> values) {
        double s = 0;
        int n = 0;
        for (Double v : values) {
            if (v != null) {
                s += v;
                n++;
            }
        }
        return n == 0 ? null : s / n;
    }

    /** The population standard deviation of the non-null values (numpy.std), or null when there is none. */
    public static Double stdev(List<Double> values) {
        Double m = mean(values);
        if (m == null) {
            return null;
        }
        double s = 0;
        int n = 0;
        for (Double v : values.stream().filter(Objects::nonNull).toList()) {
            s += (v - m) * (v - m);
            n++;
        }
        return Math.sqrt(s / n);
    }
}
