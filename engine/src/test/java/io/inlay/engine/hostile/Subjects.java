package io.inlay.engine.hostile;

import io.inlay.engine.read.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The valid files the corruption tests mutate, each with its layout and the digests of its columns
 * as read unmutated. Built once per test JVM: DuckDB writes its files into a temporary directory;
 * corpus files are read in place.
 */
public final class Subjects {

    /**
     * The limits the corruption tests read with: far below the defaults, so that "no allocation
     * larger than the file justifies" is a bound that can be checked (see {@link #offHeapLimit}).
     * The I/O engine is {@code auto} unless {@code -Dhostile.engine=pread} (or another) says otherwise.
     */
    public static final ReadOptions OPTIONS = ReadOptions.DEFAULT.withMaxValuesPerByte(256).withMaxPageBytes(4L << 20)
            .withMaxValuesPerPage(1 << 20)
            .withIoEngine(io.inlay.engine.io.IoEngine.parse(System.getProperty("hostile.engine", "auto")));

    /**
     * A valid file.
     *
     * @param name its name
     * @param layout its bytes and structure
     * @param digests its supported columns' digests as read unmutated
     */
    public record Subject(String name, FileLayout layout, Map<String, Long> digests) {
        public byte[] bytes() {
            return layout.bytes();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The subjects of the byte-by-byte flip tests unless {@code -Dhostile.full=true}: every byte of a
     * footer costs two full reads, so three of the DuckDB files (one per page version and codec family)
     * and the corpus files with footers under 1 KiB; the others are covered by the random and field
     * mutations.
     */
    private static final List<String> FLIP_SUBJECTS_SKIPPED = List.of("duck_v1_snappy.parquet",
            "duck_v2_uncompressed.parquet", "duck_v2_lz4.parquet");

    private static List<Subject> all;

    private Subjects() {}

    /** Every subject; the first call writes the DuckDB files and reads each subject once. */
    public static synchronized List<Subject> all() throws Exception {
        if (all == null) {
            Path dir = Files.createTempDirectory("inlay-hostile-subjects");
            dir.toFile().deleteOnExit();
            List<Path> files = new ArrayList<>(SmallFiles.duckdb(dir));
            files.forEach(f -> f.toFile().deleteOnExit());
            Path corpus = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
            files.addAll(SmallFiles.corpus(corpus));
            List<Subject> subjects = new ArrayList<>();
            for (Path f : files) {
                ReadProbe.Result r = ReadProbe.probe(f, OPTIONS);
                if (!r.clean()) {
                    throw new AssertionError(f + " does not read cleanly unmutated: " + r);
                }
                subjects.add(new Subject(f.getFileName().toString(), FileLayout.of(Files.readAllBytes(f)), r.digests()));
            }
            all = List.copyOf(subjects);
        }
        return all;
    }

    /** The subjects of the flip tests (see {@link #FLIP_SUBJECTS_SKIPPED}). */
    public static List<Subject> forFlips() throws Exception {
        if (Boolean.getBoolean("hostile.full")) {
            return all();
        }
        return all().stream().filter(s -> !FLIP_SUBJECTS_SKIPPED.contains(s.name()) && s.layout().footerLength() < 1024)
                .toList();
    }

    /**
     * The off-heap bytes one read of a {@code size}-byte file may request at most under {@link #OPTIONS}:
     * every value the limits let the file claim ({@code maxValuesPerByte} per byte) at up to 17 bytes
     * each (8 value bytes, a 4-byte offset, validity and list structure), three times over (a plan, one
     * growth, the exact copy into the caller's arena), plus two pages of the largest size allowed.
     */
    public static long offHeapLimit(long size) {
        return 3 * 17 * OPTIONS.maxValuesPerByte() * size + 2 * OPTIONS.maxPageBytes() + (1 << 20);
    }

    /**
     * The largest single off-heap request a read of a {@code size}-byte file may make: one buffer for
     * every value the limits allow, at 16 bytes each, or one page.
     */
    public static long largestRequestLimit(long size) {
        return Math.max(16 * OPTIONS.maxValuesPerByte() * size, OPTIONS.maxPageBytes()) + (1 << 20);
    }
}
