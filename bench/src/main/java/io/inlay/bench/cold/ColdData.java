package io.inlay.bench.cold;

import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.write.WriterOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The cold benchmark's files: each case's dataset is written once with Inlay's generator (the
 * library behind {@code inlay generate}, default writer options but no page CRC, as pyarrow writes
 * the baseline file: readers that check CRCs would otherwise pay for a pass the others skip),
 * flushed to the device, and kept while the marker beside it matches the case. Beside the dataset
 * go the workload config {@code inlay read} takes ({@code workload.yaml}) and the reference sum of
 * the projected floats ({@code reference.sum}), computed once by parquet-java, an implementation
 * independent of Inlay.
 *
 * <p>Layout: {@code <case folder>/train/img_*.parquet}, {@code <case folder>/case.ok},
 * {@code <case folder>/workload.yaml}, {@code <case folder>/reference.sum}.
 */
public final class ColdData {
    private ColdData() {}

    /** The seed of every case's values. */
    static final long SEED = GenerateOptions.DEFAULT_SEED;

    /** Writes the case's files unless a complete set is there; returns the reference sum of its projected floats. */
    public static double ensure(ColdCase c) throws Exception {
        DatasetSpec d = c.dataset();
        Path folder = d.dataFolder();
        Path marker = folder.resolve("case.ok");
        String expected = markerText(c);
        boolean complete = Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(expected)
                && c.files().stream().allMatch(Files::isRegularFile);
        if (!complete) {
            deleteTree(folder);
            Files.createDirectories(folder);
            long start = System.nanoTime();
            System.err.printf(Locale.ROOT, "cold: writing %s (%s) ...%n", folder, c.description());
            GenerateOptions options = GenerateOptions.defaults().withSeed(SEED)
                    .withThreads(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))
                    .withWriter(WriterOptions.defaults().withPageCrc(false));
            DatasetGenerator.generate(d, options);
            for (Path f : c.files()) {
                // dirty pages survive POSIX_FADV_DONTNEED: make them clean before the first eviction
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            Files.writeString(folder.resolve("workload.yaml"), workloadYaml(d), StandardCharsets.UTF_8);
            Files.writeString(marker, expected, StandardCharsets.UTF_8);
            System.err.printf(Locale.ROOT, "cold: %s written, %,d bytes in %d files, %.1f s%n", c.id(), fileBytes(c),
                    c.files().size(), (System.nanoTime() - start) / 1e9);
        }
        return reference(c);
    }

    /** The workload config of the case for {@code inlay read} (epochs and threads are set on its command line). */
    public static Path workload(ColdCase c) {
        return c.dataset().dataFolder().resolve("workload.yaml");
    }

    /** Bytes of the case's files. */
    public static long fileBytes(ColdCase c) throws IOException {
        long total = 0;
        for (Path f : c.files()) {
            total += Files.size(f);
        }
        return total;
    }

    /** The sum of the projected floats, cached in {@code reference.sum} (keyed by the files' sizes and times). */
    static double reference(ColdCase c) throws Exception {
        Path cache = c.dataset().dataFolder().resolve("reference.sum");
        StringBuilder key = new StringBuilder();
        for (Path f : c.files()) {
            key.append(Files.size(f)).append('@').append(Files.getLastModifiedTime(f).toMillis()).append(' ');
        }
        if (Files.exists(cache)) {
            String text = Files.readString(cache, StandardCharsets.UTF_8).trim();
            if (text.startsWith(key.toString())) {
                return Double.parseDouble(text.substring(key.length()));
            }
        }
        double sum;
        try (JvmReader reader = JvmReaders.PARQUET_JAVA.open(c, 1)) {
            sum = reader.sum();
        }
        Files.writeString(cache, key + Double.toHexString(sum) + "\n", StandardCharsets.UTF_8);
        return sum;
    }

    private static String markerText(ColdCase c) {
        DatasetSpec d = c.dataset();
        StringBuilder s = new StringBuilder();
        s.append("case ").append(c.id()).append('\n')
                .append("files ").append(d.numFilesTrain()).append(" rows ").append(d.numSamplesPerFile())
                .append(" row_group_size ").append(d.rowGroupSize()).append(" compression ")
                .append(d.compression().configName()).append(" seed ").append(SEED).append(" crc false\n");
        for (ColumnSpec col : d.columns()) {
            s.append(col.name()).append(' ').append(col.dtype().configName()).append(' ').append(col.size())
                    .append(col.read() ? "" : " read:false").append('\n');
        }
        return s.toString();
    }

    /** A DLIO workload config describing the dataset exactly (what {@code inlay generate} would have been given). */
    static String workloadYaml(DatasetSpec d) {
        StringBuilder y = new StringBuilder();
        y.append("# written by bench/run.sh cold (io.inlay.bench.cold.ColdData) for inlay read; do not edit\n");
        y.append("dataset:\n");
        y.append("  data_folder: ").append(yamlString(d.dataFolder().toAbsolutePath().toString())).append('\n');
        y.append("  format: parquet\n");
        y.append("  num_files_train: ").append(d.numFilesTrain()).append('\n');
        y.append("  num_samples_per_file: ").append(d.numSamplesPerFile()).append('\n');
        y.append("  compression: ").append(d.compression().configName()).append('\n');
        y.append("  parquet:\n");
        y.append("    row_group_size: ").append(d.rowGroupSize()).append('\n');
        y.append("    read_mode: ").append(d.readMode().configName()).append('\n');
        y.append("    columns:\n");
        for (ColumnSpec col : d.columns()) {
            y.append("      - {name: ").append(col.name()).append(", dtype: ").append(col.dtype().configName())
                    .append(", size: ").append(col.size()).append(", read: ").append(col.read()).append("}\n");
        }
        y.append("reader:\n");
        y.append("  batch_size: 32\n");
        y.append("  read_threads: 1\n");
        y.append("  file_shuffle: off\n");
        y.append("  sample_shuffle: off\n");
        y.append("train:\n");
        y.append("  epochs: 1\n");
        y.append("  computation_time: 0\n");
        return y.toString();
    }

    private static String yamlString(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
