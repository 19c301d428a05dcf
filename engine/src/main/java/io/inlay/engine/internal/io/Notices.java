package io.inlay.engine.internal.io;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One-line notices of the I/O layer (an engine falling back to another), each given once per JVM
 * for its key, so that 256 files on a file system that refuses O_DIRECT give one line, not 256.
 * They go to standard error as {@code inlay: <line>} unless a sink is installed. Thread-safe.
 */
public final class Notices {
    private static final Set<String> GIVEN = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> sink;

    private Notices() {}

    /** Gives {@code line} unless a notice of {@code key} was given before. */
    public static void once(String key, String line) {
        if (GIVEN.add(key)) {
            Consumer<String> s = sink;
            if (s != null) {
                s.accept(line);
            } else {
                System.err.println("inlay: " + line);
            }
        }
    }

    /** Sends notices to {@code s} instead of standard error (null: back to standard error). */
    public static void sink(Consumer<String> s) {
        sink = s;
    }

    /** Forgets which notices were given (for tests). */
    public static void reset() {
        GIVEN.clear();
    }
}
