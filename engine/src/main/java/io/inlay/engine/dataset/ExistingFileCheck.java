package io.inlay.engine.dataset;

import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a file left by an earlier run can be kept. It must:
 *
 * <ol>
 *   <li>open with Inlay's reader (both magics, a footer that parses and whose every offset and size
 *       fits the file);</li>
 *   <li>record, under {@value DatasetGenerator#CONFIG_KEY}, exactly the generation config asked for
 *       now: the dataset's shape, codec and columns, the seed and the writer options (page version
 *       and size, encodings, CRCs, statistics, compression level);</li>
 *   <li>hold the expected row count and top-level columns;</li>
 *   <li>verify: every page of every column read, CRCs checked.</li>
 * </ol>
 *
 * The answer is a {@link Problem} saying why not, in words, grouped by kind for the run's summary.
 * Reading every page costs one read of the file. Stateless and thread-safe.
 */
final class ExistingFileCheck {
    /** No read-ahead for the footer checks; pages are then read once by {@code verify}. */
    private static final ReadOptions CHECK = ReadOptions.DEFAULT.withReadAhead(false).withVerifyCrc(true);

    /** Kinds of reasons whose details differ from file to file; other reasons are their own kind. */
    static final String DAMAGED = "damaged";
    static final String FOREIGN = "not written by inlay generate";

    /**
     * Why a file cannot be kept.
     *
     * @param kind what the summary groups by: {@link #DAMAGED}, {@link #FOREIGN}, or the settings
     *     that differ ({@code compression snappy (now zstd)})
     * @param detail this file's case in full (for {@link #DAMAGED}, what failed)
     */
    record Problem(String kind, String detail) {}

    private ExistingFileCheck() {}

    /**
     * Why {@code file} cannot be kept, or empty when it can.
     *
     * @param rows the rows it must hold
     * @param columns the top-level column names it must have, in order
     * @param requested the generation record the run would write
     */
    static Optional<Problem> problem(Path file, long rows, List<String> columns, GenerationRecord requested) {
        try (ParquetFile pf = ParquetFile.open(file, CHECK)) {
            String recordedJson = pf.metadata().keyValue().get(DatasetGenerator.CONFIG_KEY);
            if (recordedJson == null) {
                return Optional.of(new Problem(FOREIGN, "it has no " + DatasetGenerator.CONFIG_KEY + " footer entry"));
            }
            GenerationRecord recorded = GenerationRecord.parse(recordedJson);
            if (recorded == null) {
                return Optional.of(new Problem(DAMAGED, "its " + DatasetGenerator.CONFIG_KEY + " footer entry is not a JSON object"));
            }
            List<String> differences = requested.differences(recorded);
            if (!differences.isEmpty()) {
                String d = String.join(", ", differences);
                return Optional.of(new Problem(d, d));
            }
            if (pf.metadata().footerRows() != rows) {
                return damaged("it has " + pf.metadata().footerRows() + " rows, not " + rows);
            }
            if (pf.rows() != rows) {
                return damaged("its row groups hold " + pf.rows() + " rows, not " + rows);
            }
            List<String> names = pf.schema().names();
            if (!names.equals(columns)) {
                return damaged("its columns are " + names + ", not " + columns);
            }
            pf.verify();
            return Optional.empty();
        } catch (IOException | RuntimeException | InternalError e) {
            return damaged(e.getMessage() == null ? "unreadable" : e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
        }
    }

    private static Optional<Problem> damaged(String detail) {
        return Optional.of(new Problem(DAMAGED, detail));
    }

    static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
