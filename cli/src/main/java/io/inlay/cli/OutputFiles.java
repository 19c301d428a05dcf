package io.inlay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Output files named on the command line ({@code --json FILE}): checked before the work starts,
 * so that a run is never lost at its end to a missing folder or a typo. {@code -} means standard
 * output. Stateless.
 */
final class OutputFiles {
    /** The name that means standard output. */
    static final String STDOUT = "-";

    private OutputFiles() {}

    /** An output path that cannot be written; its message names the option, the path and the reason. */
    static final class Unwritable extends Exception {
        private static final long serialVersionUID = 1L;

        Unwritable(String message) {
            super(message);
        }
    }

    static boolean isStdout(Path p) {
        return p != null && p.toString().equals(STDOUT);
    }

    /**
     * Makes sure {@code path} can be written: creates its parent folders and opens it for writing
     * without changing it (a file that did not exist is removed again). Nothing to do for null
     * or {@code -}.
     *
     * @param option the option that named it, for the message ({@code --json})
     */
    static void check(Path path, String option) throws Unwritable {
        if (path == null || isStdout(path)) {
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            String problem = createFolders(parent);
            if (problem != null) {
                throw new Unwritable(option + " " + path + ": cannot create its folder: " + problem);
            }
        }
        if (Files.isDirectory(path)) {
            throw new Unwritable(option + " " + path + ": is a directory");
        }
        boolean existed = Files.exists(path);
        try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // opened: writable
        } catch (FileSystemException e) {
            throw new Unwritable(option + " " + path + ": " + Failures.reason(e));
        } catch (IOException e) {
            throw new Unwritable(option + " " + path + ": " + Failures.message(e));
        }
        if (!existed) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // it will be overwritten
            }
        }
    }

    /**
     * Creates {@code folder} and its parents; returns why that failed ({@code data is a file, not
     * a folder}, {@code /srv: permission denied}), or null.
     */
    static String createFolders(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        Path at = abs.getRoot();
        for (Path part : abs) {
            at = at == null ? part : at.resolve(part);
            if (Files.exists(at) && !Files.isDirectory(at)) {
                return at + " is a file, not a folder";
            }
        }
        try {
            Files.createDirectories(folder);
            return null;
        } catch (IOException e) {
            return Failures.message(e);
        }
    }

    /** Writes {@code text} to {@code path}, or to {@code stdout} for {@code -}. */
    static void write(Path path, String text, PrintWriter stdout) throws IOException {
        if (isStdout(path)) {
            stdout.print(text);
            stdout.flush();
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
