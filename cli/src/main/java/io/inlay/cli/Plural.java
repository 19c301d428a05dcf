package io.inlay.cli;

import java.util.Locale;

/** Counts with their noun in the right number: "1 file", "2 files", "1,024 rows". */
final class Plural {
    private Plural() {}

    static String of(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? noun : noun + "s");
    }
}
