package io.inlay.engine.error;

import java.io.IOException;
import java.util.List;

/** A file does not hold the columns a workload expects; lists every mismatch at once. */
public final class SchemaMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SchemaMismatchException(String file, List<String> problems) {
        super(file + " does not match the workload: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each mismatch, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
