package io.inlay.bench.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The benchmark data directory: files are written once per {@link DatasetSpec} and writer, and
 * reused while their marker says they are complete and of the recorded size.
 *
 * <p>Layout: {@code <dir>/<spec file name>} and beside it {@code <name>.ok}, written last, holding
 * the spec, the writer and the file size. A file without a matching marker is rewritten. Not safe
 * for two processes writing the same file at once (JMH runs forks one after another).
 */
public final class Datasets {

    /** System property choosing the writer: {@code inlay} (default), {@code parquet-java} or {@code duckdb}. */
    public static final String WRITER_PROPERTY = "inlay.bench.writer";

    /** System property, then environment variable, naming the data directory. */
    public static final String DIR_PROPERTY = "inlay.bench.data";
    public static final String DIR_ENV = "INLAY_BENCH_DATA";

    private Datasets() {}

    /** The data directory: {@code -Dinlay.bench.data}, else {@code $INLAY_BENCH_DATA}, else {@code ./bench-data}. */
    public static Path directory() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(DIR_ENV);
        }
        return Path.of(dir == null || dir.isBlank() ? "bench-data" : dir).toAbsolutePath();
    }

    /**
     * The writer the benchmarks use: Inlay's own, unless {@code -Dinlay.bench.writer=parquet-java}
     * or {@code duckdb}.
     */
    public static DatasetWriter writer() {
        String name = System.getProperty(WRITER_PROPERTY, "inlay").trim();
        return switch (name) {
            case "inlay" -> new InlayDatasetWriter();
            case "parquet-java" -> new ParquetJavaDatasetWriter();
            case "duckdb" -> new DuckDbDatasetWriter();
            default -> throw new IllegalArgumentException("-D" + WRITER_PROPERTY + "=" + name
                    + " is not a known writer (inlay, parquet-java, duckdb)");
        };
    }

    /** The file for {@code spec} in the {@linkplain #directory() data directory}, written with {@link #writer()} if needed. */
    public static Path ensure(DatasetSpec spec) throws Exception {
        return ensure(directory(), spec, writer());
    }

    /** The file for {@code spec} in {@code dir}, written with {@code writer} unless a complete one is there. */
    public static Path ensure(Path dir, DatasetSpec spec, DatasetWriter writer) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve(spec.fileName(writer.id()));
        Path marker = dir.resolve(file.getFileName() + ".ok");
        if (Files.exists(file) && Files.exists(marker)
                && Files.readString(marker, StandardCharsets.UTF_8).equals(markerText(spec, writer, Files.size(file)))) {
            return file;
        }
        Files.deleteIfExists(marker);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        long start = System.nanoTime();
        System.err.printf(Locale.ROOT, "bench data: writing %s with %s ...%n", file, writer.id());
        writer.write(spec, FloatSource.of(spec), tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(marker, markerText(spec, writer, Files.size(file)), StandardCharsets.UTF_8);
        System.err.printf(Locale.ROOT, "bench data: %s written, %d bytes in %.1f s%n", file.getFileName(),
                Files.size(file), (System.nanoTime() - start) / 1e9);
        return file;
    }

    private static String markerText(DatasetSpec spec, DatasetWriter writer, long size) {
        return String.format(Locale.ROOT,
                "{\"shape\": \"%s\", \"floatBytes\": %d, \"codec\": \"%s\", \"rowGroupRows\": %d, \"seed\": %d, \"writer\": \"%s\", \"fileBytes\": %d}%n",
                spec.shape().id(), spec.floatBytes(), spec.codec(), spec.rowGroupRows(), spec.seed(), writer.id(), size);
    }
}
