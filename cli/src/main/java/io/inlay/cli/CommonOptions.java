package io.inlay.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options every {@code inlay} command has, defined once and mixed into each command:
 * {@code -h}/{@code --help} and {@code -V}/{@code --version} (picocli's standard help, which no
 * required option or parameter blocks), {@code --quiet} and {@code --verbose}. Warnings and errors
 * are printed whatever {@code --quiet} says.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
final class CommonOptions {
    @Option(names = "--quiet", description = "No progress display and no summary (warnings and errors are still printed).")
    boolean quiet;

    @Option(names = "--verbose", description = "Print the stack trace of a failure.")
    boolean verbose;
}
