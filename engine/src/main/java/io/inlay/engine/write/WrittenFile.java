package io.inlay.engine.write;

import io.inlay.engine.vector.ColumnChecksum;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ParquetWriter} wrote: the final file and what it holds.
 *
 * @param path the file, under its final name
 * @param rows rows in the file
 * @param rowGroups row groups in the file
 * @param bytes the file's size in bytes
 * @param checksums one per column of the schema, in schema order, over the values as written
 *     (empty when checksums were turned off)
 */
public record WrittenFile(Path path, long rows, int rowGroups, long bytes, List<ColumnChecksum> checksums) {

    public WrittenFile {
        Objects.requireNonNull(path, "path");
        checksums = List.copyOf(checksums);
    }
}
