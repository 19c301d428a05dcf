package io.inlay.engine.dataset;

import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a file left by an earlier run can be kept: it must open with Inlay's reader
 * (both magics, a footer that parses and whose every offset and size fits the file), hold the
 * expected row count (in the footer and summed over row groups) and the expected top-level
 * columns. Only the footer is read, so a dataset of many files is checked quickly. Stateless and
 * thread-safe.
 */
final class ExistingFileCheck {
    /** No read-ahead: only the footer is looked at. */
    private static final ReadOptions FOOTER_ONLY = ReadOptions.DEFAULT.withReadAhead(false);

    private ExistingFileCheck() {}

    /**
     * Why {@code file} cannot be kept, or empty when it verifies.
     *
     * @param rows the rows it must hold
     * @param columns the top-level column names it must have, in order
     */
    static Optional<String> problem(Path file, long rows, List<String> columns) {
        try (ParquetFile pf = ParquetFile.open(file, FOOTER_ONLY)) {
            if (pf.metadata().footerRows() != rows) {
                return Optional.of("it has " + pf.metadata().footerRows() + " rows, not " + rows);
            }
            if (pf.rows() != rows) {
                return Optional.of("its row groups hold " + pf.rows() + " rows, not " + rows);
            }
            List<String> names = pf.schema().names();
            if (!names.equals(columns)) {
                return Optional.of("its columns are " + names + ", not " + columns);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
