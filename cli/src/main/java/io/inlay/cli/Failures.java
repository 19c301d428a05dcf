package io.inlay.cli;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.UnsupportedParquetException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns a failure into one readable line on stderr and the exit code it deserves: the file and
 * the reason in words ({@code data/x.yaml: not found}, {@code data/train: permission denied}),
 * never a Java exception's name.
 */
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

    /** A message that names the file and the problem, whatever the exception; one line. */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return message(u.getCause());
        }
        if (e instanceof OutOfMemoryError oom) {
            return outOfMemory(oom);
        }
        String m;
        if (e instanceof FileSystemException f) {
            m = describe(f);
        } else if (e instanceof ParquetCorruptionException || e instanceof UnsupportedParquetException
                || e instanceof SchemaMismatchException || e instanceof IllegalArgumentException) {
            m = e.getMessage();
        } else if (e instanceof IOException) {
            m = ioMessage((IOException) e);
        } else if (e instanceof IllegalStateException && e.getMessage() != null) {
            m = e.getMessage();
        } else {
            m = "internal error" + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (--verbose shows where)";
        }
        return oneLine(m);
    }

    /** {@code <file>: <reason>} for a file system error ({@code <file> -> <other>: <reason>} for two files). */
    static String describe(FileSystemException e) {
        String file = e.getFile();
        String other = e.getOtherFile();
        String where = file == null ? "" : other == null ? file + ": " : file + " -> " + other + ": ";
        return where + reason(e);
    }

    /** The reason of an I/O error in words: "not found", "permission denied", "is a directory", ... */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the directory is not empty";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason());
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : lowerFirst(m);
    }

    /**
     * An I/O error's message; when it wraps a file system error whose bare message (often just a
     * path) it repeats, that part is replaced by the path and the reason in words.
     */
    private static String ioMessage(IOException e) {
        String m = e.getMessage();
        if (e.getCause() instanceof FileSystemException f) {
            String inner = f.getMessage();
            if (m == null || m.equals(inner)) {
                return describe(f);
            }
            if (inner != null && m.endsWith(inner)) {
                return m.substring(0, m.length() - inner.length()) + describe(f);
            }
        }
        return m == null ? "input/output error" : m;
    }

    /** The line for running out of memory: how much heap there was and how to give more. */
    static String outOfMemory(OutOfMemoryError e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("Java heap space") || m.contains("GC overhead") || m.contains("array size") || m.isEmpty()) {
            long max = Runtime.getRuntime().maxMemory();
            long suggest = Math.max(256L << 20, Long.highestOneBit(Math.max(max, 1)) << 2);
            return "out of Java heap (the limit is " + mib(max) + "): give the JVM more with JAVA_OPTS=-Xmx"
                    + (suggest >> 20) + "m (or larger)";
        }
        return "out of memory (" + m + "): free memory or raise the limit that was reached";
    }

    private static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%,d MiB", Math.round(bytes / 1048576.0));
    }

    private static String lowerFirst(String s) {
        String t = s.strip();
        if (t.length() > 1 && Character.isUpperCase(t.charAt(0)) && Character.isLowerCase(t.charAt(1))) {
            return Character.toLowerCase(t.charAt(0)) + t.substring(1);
        }
        return t;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
