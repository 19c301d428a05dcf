package io.inlay.bench.data;

import java.util.Locale;

/** Byte sizes written as JMH parameters: {@code 64MiB}, {@code 1GiB}, {@code 512KiB}, {@code 4096}. */
public final class Sizes {
    private Sizes() {}

    /** Parses a size with an optional binary suffix (KiB, MiB, GiB). */
    public static long parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (lower.endsWith("kib")) {
            unit = 1L << 10;
        } else if (lower.endsWith("mib")) {
            unit = 1L << 20;
        } else if (lower.endsWith("gib")) {
            unit = 1L << 30;
        }
        String number = unit == 1 ? t : t.substring(0, t.length() - 3);
        try {
            return Math.multiplyExact(Long.parseLong(number.trim()), unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is not a number of bytes with an optional KiB/MiB/GiB suffix");
        }
    }

    /** The shortest exact form: {@code 1GiB}, {@code 64MiB}, {@code 1000}. */
    public static String format(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
