package io.inlay.cli;

import io.inlay.engine.read.ParquetCorruptionException;
import io.inlay.engine.read.UnsupportedParquetException;
import io.inlay.engine.schema.SchemaMismatchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns a failure into one readable line on stderr and the exit code it deserves. */
final class Failures {
    private Failures() {}

    /**
     * Prints {@code inlay <command>: <message>} (and the stack trace when verbose) and returns the
     * exit code: {@link Main#EXIT_USAGE} for a missing column or bad arguments, otherwise
     * {@link Main#EXIT_FAILURE}.
     */
    static int report(PrintWriter err, String command, Throwable e, boolean verbose) {
        err.println("inlay " + command + ": " + message(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof SchemaMismatchException || e instanceof IllegalArgumentException ? Main.EXIT_USAGE
                : Main.EXIT_FAILURE;
    }

    /** A message that names the file and the problem, whatever the exception. */
    static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof ParquetCorruptionException || e instanceof UnsupportedParquetException
                || e instanceof SchemaMismatchException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof IOException) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        if (e instanceof IllegalStateException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + " (an internal error; --verbose shows where)";
    }
}
