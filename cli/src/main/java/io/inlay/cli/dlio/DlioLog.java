package io.inlay.cli.dlio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * DLIO's {@code dlio.log}: lines {@code [LEVEL] message}, where messages start with a timestamp
 * ({@code [OUTPUT] 2026-07-04T05:21:10.959754 Starting epoch 1: 16 steps expected}); the
 * {@code [METRIC]} block at the end. Every rank appends whole lines (O_APPEND); rank 0 deletes
 * the previous log before the start-up barrier. Thread-safe.
 */
public final class DlioLog {
    private final Path file;

    public DlioLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Deletes the previous run's log (rank 0, before the start-up barrier). */
    public void reset() throws IOException {
        Files.deleteIfExists(file);
    }

    public void output(String timestamp, String message) {
        append("[OUTPUT] " + timestamp + " " + message);
    }

    public void warning(String message) {
        append("[WARNING] " + message);
    }

    public void error(String message) {
        append("[ERROR] " + message);
    }

    /** Appends text as it is (the METRIC block carries its own prefixes). */
    public synchronized void append(String text) {
        try {
            Files.writeString(file, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }
}
