package io.inlay.engine.dataset;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The storage part of a DLIO workload: where the dataset lives, how many files of how many rows,
 * and the columns. The values mirror the config's {@code dataset} section, and validation messages
 * name the config keys ({@code dataset.num_files_train}, ...). Plain data: immutable and
 * thread-safe; the engine reads no YAML (the CLI maps configs onto this record).
 *
 * @param dataFolder {@code dataset.data_folder}: the dataset's root
 * @param numFilesTrain {@code dataset.num_files_train}: files under {@code train/}
 * @param numFilesEval {@code dataset.num_files_eval}: files under {@code valid/}
 * @param numSamplesPerFile {@code dataset.num_samples_per_file} (alias {@code num_samples}): rows per file
 * @param numSubfoldersTrain {@code dataset.num_subfolders_train}: train files spread over
 *     {@code train/0 .. train/k-1} when above 1
 * @param numSubfoldersEval {@code dataset.num_subfolders_eval}: likewise for {@code valid/}
 * @param filePrefix {@code dataset.file_prefix} (default {@code img})
 * @param recordLengthBytes {@code dataset.record_length_bytes}, as given (DLIO allows a fraction:
 *     resnet50's 114660.07): the nominal sample of the default {@code data} column (see
 *     {@link #defaultColumns(double)}), and DLIO's I/O figure's unit
 * @param recordLengthBytesStdev {@code dataset.record_length_bytes_stdev} (0 for none): with the
 *     default schema each file's sample length is drawn around the record length ({@link SampleSizes})
 * @param compression {@code dataset.compression}
 * @param columns {@code dataset.parquet.columns}
 * @param rowGroupSize {@code dataset.parquet.row_group_size}: rows per row group
 * @param readMode {@code dataset.parquet.read_mode} (for readers)
 * @param partitionBy {@code dataset.parquet.partition_by}: a bool or int8 scalar column, or null
 * @param defaultSchema whether the config listed no columns: the files hold {@link #defaultColumns(double)},
 *     whose sample lengths follow the record length and its standard deviation
 */
public record DatasetSpec(
        Path dataFolder,
        int numFilesTrain,
        int numFilesEval,
        long numSamplesPerFile,
        int numSubfoldersTrain,
        int numSubfoldersEval,
        String filePrefix,
        double recordLengthBytes,
        double recordLengthBytesStdev,
        CompressionCodec compression,
        List<ColumnSpec> columns,
        long rowGroupSize,
        ReadMode readMode,
        String partitionBy,
        boolean defaultSchema) {

    /** DLIO's default file prefix. */
    public static final String DEFAULT_PREFIX = "img";
    /** DLIO's default record length. */
    public static final long DEFAULT_RECORD_LENGTH = 65536;
    /** Rows per row group when the config does not say (pyarrow's default). */
    public static final long DEFAULT_ROW_GROUP_SIZE = 1L << 20;
    /**
     * Sample bytes per row group the default schema aims for when the config does not say: whole
     * row groups are what other readers (pyarrow, DuckDB) hold in memory at once.
     */
    public static final long DEFAULT_BLOB_ROW_GROUP_BYTES = 128L << 20;
    /** The name of the column written when the config lists none. */
    public static final String DEFAULT_COLUMN = "data";

    public DatasetSpec {
        Objects.requireNonNull(dataFolder, "dataset.data_folder");
        Objects.requireNonNull(filePrefix, "dataset.file_prefix");
        Objects.requireNonNull(compression, "dataset.compression");
        Objects.requireNonNull(readMode, "dataset.parquet.read_mode");
        columns = List.copyOf(columns);
        atLeast("dataset.num_files_train", numFilesTrain, 0);
        atLeast("dataset.num_files_eval", numFilesEval, 0);
        atLeast("dataset.num_samples_per_file", numSamplesPerFile, 1);
        atLeast("dataset.num_subfolders_train", numSubfoldersTrain, 0);
        atLeast("dataset.num_subfolders_eval", numSubfoldersEval, 0);
        if (!(recordLengthBytes >= 1) || recordLengthBytes > ColumnSpec.MAX_BLOB_SIZE) {
            throw new IllegalArgumentException("dataset.record_length_bytes: " + recordLengthBytes + " is outside 1.."
                    + ColumnSpec.MAX_BLOB_SIZE + " (a sample of 2 GiB - 1 bytes at most)");
        }
        if (!(recordLengthBytesStdev >= 0) || Double.isInfinite(recordLengthBytesStdev)) {
            throw new IllegalArgumentException("dataset.record_length_bytes_stdev: " + recordLengthBytesStdev
                    + " must be 0 or more");
        }
        atLeast("dataset.parquet.row_group_size", rowGroupSize, 1);
        if (filePrefix.isEmpty() || filePrefix.contains("/") || filePrefix.contains("\\")) {
            throw new IllegalArgumentException("dataset.file_prefix: '" + filePrefix
                    + "' must be a non-empty file name part without slashes");
        }
        switch (compression) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
            default -> throw new IllegalArgumentException("dataset.compression: " + compression
                    + " cannot be written; valid: " + CompressionCodec.VALID_CONFIG_NAMES);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("dataset.parquet.columns: no columns");
        }
        Set<String> names = new HashSet<>();
        for (ColumnSpec c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("dataset.parquet.columns: column name '" + c.name() + "' appears twice");
            }
        }
        if (partitionBy != null) {
            checkPartition(partitionBy, columns);
        }
    }

    private static void checkPartition(String name, List<ColumnSpec> columns) {
        ColumnSpec c = columns.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("dataset.parquet.partition_by: no column named '" + name
                        + "' (columns: " + String.join(", ", columns.stream().map(ColumnSpec::name).toList()) + ")"));
        if (c.isVector() || (c.dtype() != DType.BOOL && c.dtype() != DType.INT8)) {
            String what = c.isVector() ? c.dtype() + " vector of " + c.size() : c.dtype().toString();
            throw new IllegalArgumentException("dataset.parquet.partition_by: cannot partition by column '" + name
                    + "' (" + what + "): only bool and int8 scalar columns can partition, having a bounded number"
                    + " of distinct values (2 and 256)");
        }
        if (columns.size() == 1) {
            throw new IllegalArgumentException("dataset.parquet.partition_by: '" + name
                    + "' is the only column, and partition columns are not stored in the files");
        }
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + ": " + value + " must be at least " + min);
        }
    }

    /**
     * The columns written when a config lists none: one {@code data} column of dtype {@code blob}
     * (a LIST of BYTE_ARRAY chunks of 1 MiB; the sample is their concatenation) whose nominal
     * length is DLIO's {@code floor(sqrt(record_length_bytes))^2}; see {@link SampleSizes}.
     */
    public static List<ColumnSpec> defaultColumns(double recordLength) {
        if (!(recordLength >= 1) || recordLength > ColumnSpec.MAX_BLOB_SIZE) {
            throw new IllegalArgumentException("dataset.record_length_bytes: " + recordLength + " is outside 1.."
                    + ColumnSpec.MAX_BLOB_SIZE);
        }
        return List.of(new ColumnSpec(DEFAULT_COLUMN, DType.BLOB, (int) SampleSizes.nominal(recordLength)));
    }

    /**
     * The length of every sample of a file, for the default schema: drawn from the record length
     * and its standard deviation ({@link SampleSizes}); the nominal length without one.
     *
     * @throws IllegalStateException when the dataset has its own columns
     */
    public long sampleLength(long seed, Split split, int index) {
        if (!defaultSchema) {
            throw new IllegalStateException("sample lengths are drawn for the default schema only");
        }
        return SampleSizes.of(recordLengthBytes, recordLengthBytesStdev, seed, split, index);
    }

    /** The partition column, if any. */
    public Optional<ColumnSpec> partitionColumn() {
        return partitionBy == null ? Optional.empty()
                : columns.stream().filter(c -> c.name().equals(partitionBy)).findFirst();
    }

    /** The columns stored inside the files: all but the partition column. */
    public List<ColumnSpec> storedColumns() {
        List<ColumnSpec> out = new ArrayList<>(columns);
        out.removeIf(c -> c.name().equals(partitionBy));
        return List.copyOf(out);
    }

    /** Files of a split. */
    public int numFiles(Split split) {
        return split == Split.TRAIN ? numFilesTrain : numFilesEval;
    }

    /** Subfolders of a split (values below 2 mean none). */
    public int numSubfolders(Split split) {
        return split == Split.TRAIN ? numSubfoldersTrain : numSubfoldersEval;
    }

    /** A builder with DLIO's defaults, for code that sets a few fields. */
    public static Builder builder(Path dataFolder) {
        return new Builder(dataFolder);
    }

    /** Builds a {@link DatasetSpec}; not thread-safe. */
    public static final class Builder {
        private Path dataFolder;
        private int numFilesTrain = 8;
        private int numFilesEval;
        private long numSamplesPerFile = 1;
        private int numSubfoldersTrain;
        private int numSubfoldersEval;
        private String filePrefix = DEFAULT_PREFIX;
        private double recordLengthBytes = DEFAULT_RECORD_LENGTH;
        private double recordLengthBytesStdev;
        private CompressionCodec compression = CompressionCodec.UNCOMPRESSED;
        private List<ColumnSpec> columns;
        private long rowGroupSize = -1;
        private ReadMode readMode = ReadMode.DEFAULT;
        private String partitionBy;

        private Builder(Path dataFolder) {
            this.dataFolder = dataFolder;
        }

        public Builder dataFolder(Path v) { dataFolder = v; return this; }
        public Builder numFilesTrain(int v) { numFilesTrain = v; return this; }
        public Builder numFilesEval(int v) { numFilesEval = v; return this; }
        public Builder numSamplesPerFile(long v) { numSamplesPerFile = v; return this; }
        public Builder numSubfoldersTrain(int v) { numSubfoldersTrain = v; return this; }
        public Builder numSubfoldersEval(int v) { numSubfoldersEval = v; return this; }
        public Builder filePrefix(String v) { filePrefix = v; return this; }
        public Builder recordLengthBytes(double v) { recordLengthBytes = v; return this; }
        public Builder recordLengthBytesStdev(double v) { recordLengthBytesStdev = v; return this; }
        public Builder compression(CompressionCodec v) { compression = v; return this; }
        /** The columns; when never set (or null), {@link #defaultColumns(double)} of the record length. */
        public Builder columns(List<ColumnSpec> v) { columns = v; return this; }
        /**
         * Rows per row group; when never set, {@link #DEFAULT_ROW_GROUP_SIZE}, or for blob columns as
         * many samples as make {@link #DEFAULT_BLOB_ROW_GROUP_BYTES} (at least one).
         */
        public Builder rowGroupSize(long v) { rowGroupSize = v; return this; }
        public Builder readMode(ReadMode v) { readMode = v; return this; }
        public Builder partitionBy(String v) { partitionBy = v; return this; }

        /** @throws IllegalArgumentException naming the config key of the first bad value */
        public DatasetSpec build() {
            List<ColumnSpec> cols = columns == null ? defaultColumns(recordLengthBytes) : columns;
            long groups = rowGroupSize;
            if (groups == -1) {
                long blob = cols.stream().filter(ColumnSpec::isBlob).mapToLong(ColumnSpec::size).max().orElse(0);
                groups = blob == 0 ? DEFAULT_ROW_GROUP_SIZE : Math.max(1, DEFAULT_BLOB_ROW_GROUP_BYTES / blob);
            }
            return new DatasetSpec(dataFolder, numFilesTrain, numFilesEval, numSamplesPerFile, numSubfoldersTrain,
                    numSubfoldersEval, filePrefix, recordLengthBytes, recordLengthBytesStdev, compression, cols, groups,
                    readMode, partitionBy, columns == null);
        }
    }
}
