package io.inlay.bench.cold;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetLayout;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.Split;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One case of the cold-read benchmark: a DLIO dataset (one or many files, written by Inlay's
 * generator exactly as {@code inlay generate --no-crc} writes it) and the columns a training read
 * projects. Every contender reads the same files and returns the sum of the projected floats.
 *
 * <p>The generator's float32 values are multiples of 2<sup>-24</sup> in [0, 1), so as long as a
 * case projects at most 2<sup>29</sup> values, every partial sum is a multiple of 2<sup>-24</sup>
 * below 2<sup>29</sup>, which a double holds exactly: every reader, in any order and with any
 * number of threads, reaches the same sum bit for bit, and the gate compares sums exactly.
 *
 * @param id short name used in results ({@code vector-1GiB-none}, {@code files-256x4MiB}, ...)
 * @param description one line saying what the case is
 * @param dataset the dataset: folder, files, rows, row groups, codec, columns with their read flags
 */
public record ColdCase(String id, String description, DatasetSpec dataset) {

    /** The most projected values a case may hold for its sums to stay exact (see the class comment). */
    public static final long MAX_PROJECTED_VALUES = 1L << 29;

    /** Floats per row of the vector cases, as in ../shared/BASELINE.md. */
    public static final int VECTOR_LENGTH = 1024;

    /** The DLRM-like file's column widths, repeated over its {@value #DLRM_COLUMNS} columns: half scalars. */
    static final int[] DLRM_WIDTHS = {1, 4, 1, 16, 1, 64, 1, 8, 1, 128};

    /** Columns of the DLRM-like file. */
    static final int DLRM_COLUMNS = 200;

    public ColdCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataset, "dataset");
        long values = projectedValuesPerRow(dataset) * dataset.numSamplesPerFile() * dataset.numFilesTrain();
        if (values > MAX_PROJECTED_VALUES) {
            throw new IllegalArgumentException("case " + id + " projects " + values + " values, more than the "
                    + MAX_PROJECTED_VALUES + " for which sums stay exact in a double");
        }
    }

    /** Sizes of the cases: {@code full} is issue 13's, {@code quick} a few minutes' run, {@code tiny} the build's test. */
    public enum Scale {
        /** One 1 GiB vector file (16,384-row row groups), 256 files of 4 MiB, a ~1 GiB 200-column file. */
        FULL(262_144, 16_384, 256, 1024, 57_344, 4096),
        /** 64 MiB vector file (4 row groups), 16 files of 4 MiB, a ~74 MB 200-column file. */
        QUICK(16_384, 4096, 16, 1024, 4096, 1024),
        /** 256 KiB vector file (4 row groups), 4 files of 64 KiB, a ~1 MB 200-column file. */
        TINY(64, 16, 4, 16, 64, 16);

        final long vectorRows;
        final long vectorGroupRows;
        final int smallFiles;
        final long smallFileRows;
        final long dlrmRows;
        final long dlrmGroupRows;

        Scale(long vectorRows, long vectorGroupRows, int smallFiles, long smallFileRows, long dlrmRows, long dlrmGroupRows) {
            this.vectorRows = vectorRows;
            this.vectorGroupRows = vectorGroupRows;
            this.smallFiles = smallFiles;
            this.smallFileRows = smallFileRows;
            this.dlrmRows = dlrmRows;
            this.dlrmGroupRows = dlrmGroupRows;
        }

        /** The scale for a command-line value, case-insensitively. */
        public static Scale of(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("scale '" + name + "' is not one of full, quick, tiny");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The four cases of issue 13 at a scale, with their datasets under {@code root}: the vector
     * file uncompressed and with zstd, the many small files, the 200-column file with 10% of its
     * columns projected.
     */
    public static List<ColdCase> all(Scale scale, Path root) {
        long vectorBytes = scale.vectorRows * VECTOR_LENGTH * 4;
        long smallBytes = scale.smallFileRows * VECTOR_LENGTH * 4;
        List<ColumnSpec> vector = List.of(new ColumnSpec("features", DType.FLOAT32, VECTOR_LENGTH));
        List<ColdCase> cases = new ArrayList<>();
        for (CompressionCodec codec : List.of(CompressionCodec.UNCOMPRESSED, CompressionCodec.ZSTD)) {
            String id = "vector-" + size(vectorBytes) + "-" + codec.configName();
            cases.add(new ColdCase(id, "one file, " + size(vectorBytes) + " of float32 vectors (" + VECTOR_LENGTH
                    + " per row, row groups of " + scale.vectorGroupRows + " rows), " + codec.configName(),
                    dataset(root.resolve(id), 1, scale.vectorRows, scale.vectorGroupRows, codec, vector)));
        }
        String many = "files-" + scale.smallFiles + "x" + size(smallBytes);
        cases.add(new ColdCase(many, scale.smallFiles + " files of " + size(smallBytes) + " of float32 vectors (one row group each), none",
                dataset(root.resolve(many), scale.smallFiles, scale.smallFileRows, scale.smallFileRows,
                        CompressionCodec.UNCOMPRESSED, vector)));
        List<ColumnSpec> dlrm = dlrmColumns();
        long rowFloats = dlrm.stream().mapToLong(ColumnSpec::valuesPerRow).sum();
        String wide = "dlrm-" + DLRM_COLUMNS + "col";
        cases.add(new ColdCase(wide, "one file, " + DLRM_COLUMNS + " float32 columns (scalars and vectors of 4..128; "
                + rowFloats * 4 + " bytes per row, " + scale.dlrmRows + " rows, row groups of " + scale.dlrmGroupRows
                + "), none, " + dlrm.stream().filter(ColumnSpec::read).count() + " columns (10% of the bytes) projected",
                dataset(root.resolve(wide), 1, scale.dlrmRows, scale.dlrmGroupRows, CompressionCodec.UNCOMPRESSED, dlrm)));
        return cases;
    }

    /**
     * The DLRM-like file's columns {@code c000 .. c199}: widths cycle through {@link #DLRM_WIDTHS};
     * column {@code 10k + (k mod 10)} is read for k = 0..19, so the projection holds each width twice:
     * 10% of the columns and 10% of the bytes.
     */
    static List<ColumnSpec> dlrmColumns() {
        List<ColumnSpec> columns = new ArrayList<>(DLRM_COLUMNS);
        for (int i = 0; i < DLRM_COLUMNS; i++) {
            int width = DLRM_WIDTHS[i % DLRM_WIDTHS.length];
            boolean read = i % 10 == (i / 10) % 10;
            columns.add(new ColumnSpec(String.format(Locale.ROOT, "c%03d", i), DType.FLOAT32, width, read));
        }
        return columns;
    }

    private static DatasetSpec dataset(Path folder, int files, long rows, long groupRows, CompressionCodec codec,
            List<ColumnSpec> columns) {
        return DatasetSpec.builder(folder).numFilesTrain(files).numSamplesPerFile(rows).rowGroupSize(groupRows)
                .compression(codec).columns(columns).readMode(ReadMode.DEFAULT).build();
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return (bytes >> 10) + "KiB";
    }

    /** The training files, in order. */
    public List<Path> files() {
        DatasetLayout layout = new DatasetLayout(dataset);
        List<Path> files = new ArrayList<>(dataset.numFilesTrain());
        for (int i = 0; i < dataset.numFilesTrain(); i++) {
            files.add(layout.file(Split.TRAIN, i));
        }
        return files;
    }

    /** The folder holding the training files (what pyarrow_read.py's {@code --data} takes). */
    public Path trainFolder() {
        return new DatasetLayout(dataset).splitFolder(Split.TRAIN);
    }

    /** The projected columns ({@code read: true}), in file order. */
    public List<ColumnSpec> projected() {
        return dataset.columns().stream().filter(ColumnSpec::read).toList();
    }

    /** The projected columns' names. */
    public List<String> projectedNames() {
        return projected().stream().map(ColumnSpec::name).toList();
    }

    /** Whether the case reads every column of its files. */
    public boolean projectsAll() {
        return projected().size() == dataset.columns().size();
    }

    /** Row groups per file. */
    public int rowGroupsPerFile() {
        return Math.toIntExact((dataset.numSamplesPerFile() + dataset.rowGroupSize() - 1) / dataset.rowGroupSize());
    }

    /** Bytes of projected float values in the whole case. */
    public long projectedValueBytes() {
        return 4 * projectedValuesPerRow(dataset) * dataset.numSamplesPerFile() * dataset.numFilesTrain();
    }

    private static long projectedValuesPerRow(DatasetSpec d) {
        return d.columns().stream().filter(ColumnSpec::read).mapToLong(ColumnSpec::valuesPerRow).sum();
    }

    /**
     * Part {@code part} of {@code parts} of the case's work, as every contender splits it over its
     * threads: with many files, files {@code part, part + parts, ...} whole; with one file, its row
     * groups {@code part, part + parts, ...}.
     */
    public Share share(int part, int parts) {
        Objects.checkIndex(part, parts);
        List<Path> all = files();
        if (all.size() == 1) {
            return new Share(all, part, parts);
        }
        List<Path> mine = new ArrayList<>();
        for (int i = part; i < all.size(); i += parts) {
            mine.add(all.get(i));
        }
        return new Share(mine, 0, 1);
    }

    /**
     * One thread's share of a case: these files, and in each of them the row groups
     * {@code firstGroup, firstGroup + groupStep, ...}.
     */
    public record Share(List<Path> files, int firstGroup, int groupStep) {
        public Share {
            files = List.copyOf(files);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
