package io.inlay.engine.dataset;

import io.inlay.engine.vector.ColumnChecksum;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One file of a generated dataset.
 *
 * @param path where it is
 * @param split train or eval
 * @param index its index within the split
 * @param partitionValue the partition column's value of its rows, or null when unpartitioned
 * @param rows rows in the file
 * @param bytes its size
 * @param skipped true when it already existed, verified, and was kept
 * @param checksums per column as the generator wrote them, including the partition column (whose
 *     values are in the folder name, not in the file); empty for skipped files
 * @param rewriteReason when a file of that name existed and could not be kept, why, in words that
 *     files with the same problem share ({@code damaged}, {@code compression snappy (now zstd)});
 *     null when no file was there, it was kept, or the run overwrote every file
 * @param rewriteDetail this file's problem in full (for a damaged file, what failed); null with
 *     {@code rewriteReason}
 */
public record FileResult(Path path, Split split, int index, String partitionValue, long rows, long bytes,
        boolean skipped, List<ColumnChecksum> checksums, String rewriteReason, String rewriteDetail) {

    public FileResult {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        checksums = List.copyOf(checksums);
        if ((rewriteReason == null) != (rewriteDetail == null)) {
            throw new IllegalArgumentException("a rewrite reason comes with its detail");
        }
    }

    /** Whether a file of this name existed and was replaced because it could not be kept. */
    public boolean rewritten() {
        return rewriteReason != null;
    }
}
