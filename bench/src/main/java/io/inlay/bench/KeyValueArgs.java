package io.inlay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} arguments of the bench's command-line runs (ChecksumGate, MemoryRun, ...). */
public final class KeyValueArgs {
    private KeyValueArgs() {}

    /**
     * {@code args} as a map, in their order (a later key replaces an earlier one).
     *
     * @throws IllegalArgumentException for an argument that is not {@code key=value}
     */
    public static Map<String, String> parse(String... args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return o;
    }
}
