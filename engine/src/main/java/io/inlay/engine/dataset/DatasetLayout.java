package io.inlay.engine.dataset;

import java.nio.file.Path;
import java.util.Objects;

/**
 * DLIO's file names and folders for a {@link DatasetSpec}:
 *
 * <pre>
 * {data_folder}/train/{prefix}_{i}_of_{n}.parquet          i zero-padded to the width of n
 * {data_folder}/train/{i % k}/{prefix}_{i}_of_{n}.parquet  with num_subfolders_train = k &gt; 1
 * {data_folder}/valid/...                                   the eval files, likewise
 * {data_folder}/train/{col}={value}/[{i % k}/]...           with partition_by: one file per value present
 * </pre>
 *
 * Partition folders sit directly under the split, the way Hive-partitioned datasets are laid out,
 * so {@code read_parquet('train/**&#47;*.parquet', hive_partitioning = true)} restores the column.
 * Immutable and thread-safe.
 */
public final class DatasetLayout {
    private final DatasetSpec spec;

    public DatasetLayout(DatasetSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The folder of a split. */
    public Path splitFolder(Split split) {
        return spec.dataFolder().resolve(split.folder());
    }

    /** The file name of file {@code index} of a split. */
    public String fileName(Split split, int index) {
        int n = spec.numFiles(split);
        Objects.checkIndex(index, n);
        String i = Integer.toString(index);
        String padded = "0".repeat(Integer.toString(n).length() - i.length()) + i;
        return spec.filePrefix() + "_" + padded + "_of_" + n + ".parquet";
    }

    /** The path of file {@code index} of an unpartitioned dataset. */
    public Path file(Split split, int index) {
        return subfolder(splitFolder(split), split, index).resolve(fileName(split, index));
    }

    /** The path of file {@code index}'s part holding the rows whose partition column is {@code value}. */
    public Path partitionFile(Split split, int index, String value) {
        Path dir = splitFolder(split).resolve(spec.partitionBy() + "=" + value);
        return subfolder(dir, split, index).resolve(fileName(split, index));
    }

    private Path subfolder(Path dir, Split split, int index) {
        int k = spec.numSubfolders(split);
        return k > 1 ? dir.resolve(Integer.toString(index % k)) : dir;
    }
}
