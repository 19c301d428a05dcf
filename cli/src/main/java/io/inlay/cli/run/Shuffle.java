package io.inlay.cli.run;

import java.util.Locale;

/** How an order is shuffled each epoch ({@code reader.file_shuffle}, {@code reader.sample_shuffle}). */
public enum Shuffle {
    /** Natural order. */
    OFF,
    /** Pseudo-random from {@code train.seed} and the epoch: the same run gives the same orders. */
    SEED,
    /** Different every run. */
    RANDOM;

    public static final String VALID = "off, seed, random";

    /**
     * @throws IllegalArgumentException naming the value and listing the valid ones
     */
    public static Shuffle fromConfig(String key, Object value) {
        String s = value == null ? "off" : String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "off", "false", "none" -> OFF;
            case "seed" -> SEED;
            case "random", "true" -> RANDOM;
            default -> throw new IllegalArgumentException(key + ": '" + value + "' is not a shuffle mode; valid: " + VALID);
        };
    }
}
