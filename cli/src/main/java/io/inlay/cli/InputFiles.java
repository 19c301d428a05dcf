package io.inlay.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Input files named on the command line, checked before they are opened. Stateless. */
final class InputFiles {
    private InputFiles() {}

    /**
     * Why {@code p} cannot be read as a file ({@code not found}, {@code is a directory},
     * {@code permission denied}), or null when it can be tried.
     */
    static String problem(Path p) {
        if (!Files.exists(p)) {
            return Files.exists(p.toAbsolutePath().getParent() == null ? p : p.toAbsolutePath().getParent())
                    ? "not found" : "not found (nor its folder)";
        }
        if (Files.isDirectory(p)) {
            return "is a directory";
        }
        if (!Files.isRegularFile(p)) {
            return "not a regular file";
        }
        if (!Files.isReadable(p)) {
            return "permission denied";
        }
        return null;
    }
}
