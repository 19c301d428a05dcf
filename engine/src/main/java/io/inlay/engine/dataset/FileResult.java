package io.inlay.engine.dataset;

import io.inlay.engine.write.ColumnChecksum;
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
 */
public record FileResult(Path path, Split split, int index, String partitionValue, long rows, long bytes,
        boolean skipped, List<ColumnChecksum> checksums) {

    public FileResult {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        checksums = List.copyOf(checksums);
    }
}
