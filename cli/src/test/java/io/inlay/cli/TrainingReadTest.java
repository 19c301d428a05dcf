package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.run.ReadPlan;
import io.inlay.cli.run.RunReport;
import io.inlay.cli.run.TrainingRead;
import io.inlay.engine.read.ColumnChunkMetadata;
import io.inlay.engine.read.PageCache;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.RowGroupMetadata;
import io.inlay.engine.schema.ColumnSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code inlay read} over datasets made by {@code inlay generate} from the shared configs (scaled
 * down): every sample of every file is read exactly once per epoch, the bytes read are the
 * projected column chunks' bytes, and the skipped columns' bytes are never touched.
 */
class TrainingReadTest {
    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("selective_read.yaml", List.of("dataset.num_files_train=5", "dataset.num_samples_per_file=600",
                        "dataset.parquet.row_group_size=150")),
                Arguments.of("dlrm_parquet.yaml", List.of("dataset.num_files_train=40")),
                Arguments.of("all_dtypes.yaml", List.of("dataset.num_files_train=3", "dataset.num_samples_per_file=1500",
                        "dataset.parquet.row_group_size=400")),
                Arguments.of("seed_example.yaml", List.of("dataset.num_files_train=3", "dataset.num_samples=300")),
                Arguments.of("partitioned.yaml", List.of("dataset.num_files_train=2", "dataset.num_samples_per_file=700")));
    }

    static void generate(Path config, Path data, List<String> overrides) {
        List<String> args = new ArrayList<>(List.of("generate", "--config", config.toString(), "dataset.data_folder=" + data,
                "--quiet"));
        args.addAll(overrides);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
    }

    static ReadPlan plan(Path config, Path data, List<String> overrides, boolean evict) throws Exception {
        List<String> all = new ArrayList<>(overrides);
        all.add("dataset.data_folder=" + data);
        WorkloadConfig w = ConfigLoader.load(config, all);
        return Workflow.localPlan(w, TrainingConfig.of(w), Ranks.single(), evict);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everySampleExactlyOncePerEpoch_bytesAreTheProjectedChunks(String name, List<String> scale) throws Exception {
        Path config = SharedConfigs.config(name);
        Path data = dir.resolve("data");
        generate(config, data, scale);
        List<String> runOverrides = new ArrayList<>(scale);
        runOverrides.addAll(List.of("train.epochs=2", "train.computation_time=0", "reader.read_threads=2",
                "reader.batch_size=20", "reader.file_shuffle=seed", "reader.sample_shuffle=seed"));
        ReadPlan plan = plan(config, data, runOverrides, false);

        Map<Integer, Set<Long>> seen = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        TrainingRead.Listener listener = (phase, epoch, ids, n) -> {
            Set<Long> s = seen.computeIfAbsent(epoch, e -> new HashSet<>());
            for (int i = 0; i < n; i++) {
                if (!s.add(ids[i])) {
                    duplicates.add("epoch " + epoch + " sample " + Long.toHexString(ids[i]));
                }
            }
        };
        RunReport report = new TrainingRead(plan, listener, null).run();

        Set<Long> expected = new HashSet<>();
        long projected = 0;
        List<String> names = plan.columns().stream().map(ColumnSpec::name).toList();
        for (int f = 0; f < plan.files().size(); f++) {
            try (ParquetFile pf = ParquetFile.open(plan.files().get(f))) {
                for (long r = 0; r < pf.rows(); r++) {
                    expected.add(((long) f << 32) | r);
                }
                projected += pf.projectedBytes(names);
            }
        }
        assertEquals(List.of(), duplicates, "no sample is read twice in an epoch");
        assertEquals(2, seen.size(), "two epochs");
        for (var e : seen.entrySet()) {
            assertEquals(expected.size(), e.getValue().size(), "epoch " + e.getKey() + " sample count");
            assertEquals(expected, e.getValue(), "epoch " + e.getKey() + " reads every sample");
        }
        assertEquals(2L * expected.size(), report.samples());
        assertEquals(2 * projected, report.bytesRead(), "bytes read are the projected chunks' bytes");
        Map<String, Object> json = report.json();
        assertEquals(2L * plan.files().size(), ((Number) json.get("files_read")).longValue());
    }

    /**
     * {@code dataset.record_length_bytes_resize} as DLIO's readers apply it: every sample read is
     * handed on as the one random uint8 tensor of int(sqrt(n))^2 bytes DLIO makes at start-up (its
     * {@code resized_image}); the files are still read in full. Without it the samples' own bytes.
     */
    @Test
    void recordLengthResize_handsOnDliosResizedTensorPerSample() throws Exception {
        Path config = SharedConfigs.config("mlpstorage/workload/unet3d_h100.yaml");
        Path data = dir.resolve("data");
        List<String> scale = List.of("dataset.format=parquet", "dataset.num_files_train=3", "dataset.record_length_bytes=65536",
                "dataset.record_length_bytes_stdev=0");
        generate(config, data, scale);
        List<String> run = new ArrayList<>(scale);
        run.addAll(List.of("train.epochs=1", "train.computation_time=0", "reader.batch_size=1", "reader.read_threads=2"));
        for (long resize : new long[] {0, 20_000, 2_097_152}) {
            List<String> o = new ArrayList<>(run);
            o.add("dataset.record_length_bytes_resize=" + resize);
            WorkloadConfig w = ConfigLoader.load(config, concat(o, "dataset.data_folder=" + data));
            assertEquals(resize, w.recordLengthResize());
            ReadPlan plan = plan(config, data, o, false);
            List<Long> sizes = new ArrayList<>();
            Set<String> contents = new HashSet<>();
            List<String> outOfRange = new ArrayList<>();
            TrainingRead.Listener listener = new TrainingRead.Listener() {
                @Override
                public void batch(String phase, int epoch, long[] sampleIds, int count) {}

                @Override
                public void samples(String phase, int epoch, List<java.lang.foreign.MemorySegment> samples) {
                    for (java.lang.foreign.MemorySegment m : samples) {
                        sizes.add(m.byteSize());
                        byte[] b = m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                        contents.add(java.util.Arrays.toString(java.util.Arrays.copyOf(b, 64)) + java.util.Arrays.hashCode(b));
                        for (byte x : b) {
                            if ((x & 0xFF) > 254) {
                                outOfRange.add("" + (x & 0xFF));
                                break;
                            }
                        }
                    }
                }
            };
            TrainingRead read = new TrainingRead(plan, listener, null).resize(w.recordLengthResize());
            RunReport report = read.run();
            long projected = 0;
            for (Path f : plan.files()) {
                try (ParquetFile pf = ParquetFile.open(f)) {
                    projected += pf.projectedBytes(plan.columns().stream().map(ColumnSpec::name).toList());
                }
            }
            assertEquals(3, sizes.size(), "one sample per file, one per step");
            assertEquals(projected, report.bytesRead(), "the files are read in full whatever is handed on");
            if (resize == 0) {
                assertEquals(List.of(65536L, 65536L, 65536L), sizes, "the samples' own bytes (256 x 256)");
                assertEquals(-1, read.resizedBytes());
                assertEquals(3, contents.size(), "three different samples");
            } else {
                long side = resize == 20_000 ? 141 : 1448; // int(sqrt(20000)), int(sqrt(2097152)): DLIO's max_dimension
                assertEquals(List.of(side * side, side * side, side * side), sizes);
                assertEquals(side * side, read.resizedBytes());
                assertEquals(1, contents.size(), "the same tensor for every sample, as DLIO's resized_image");
                assertEquals(List.of(), outOfRange, "numpy's randint(255): 0..254");
            }
        }
    }

    private static List<String> concat(List<String> l, String more) {
        List<String> out = new ArrayList<>(l);
        out.add(more);
        return out;
    }

    @Test
    void skippedColumns_bytesNeverTouched() throws Exception {
        assumeTrue(PageCache.supported(), "page cache residency cannot be measured on this platform");
        Path config = SharedConfigs.config("selective_read.yaml");
        Path data = dir.resolve("data");
        // one large row group per file, uncompressed: each skipped chunk is megabytes
        List<String> scale = List.of("dataset.num_files_train=2", "dataset.num_samples_per_file=4000",
                "dataset.parquet.row_group_size=4000", "dataset.compression=none");
        generate(config, data, scale);
        List<String> runOverrides = new ArrayList<>(scale);
        // the page cache shows what mmap read; the direct engines read around it (checked below by their count)
        runOverrides.addAll(List.of("train.computation_time=0", "reader.read_threads=1", "reader.io_engine=mmap"));
        ReadPlan plan = plan(config, data, runOverrides, false);
        for (Path f : plan.files()) {
            assumeTrue(PageCache.evict(f).worked(), "posix_fadvise(DONTNEED) does not evict on this file system");
        }
        new TrainingRead(plan, null, null).run();

        Set<String> read = new HashSet<>(plan.columns().stream().map(ColumnSpec::name).toList());
        // with Inlay managing read-ahead (WILLNEED and POPULATE_READ of the projected chunks only) nothing
        // but the pages shared with a neighbouring chunk may be resident
        long readAheadSlack = 64 << 10;
        for (Path f : plan.files()) {
            List<ColumnChunkMetadata> chunks;
            try (ParquetFile pf = ParquetFile.open(f)) {
                chunks = new ArrayList<>();
                for (RowGroupMetadata g : pf.metadata().rowGroups()) {
                    chunks.addAll(g.columns());
                }
            }
            for (ColumnChunkMetadata c : chunks) {
                String column = c.path().split("\\.")[0];
                long resident = PageCache.residentBytes(f, c.startOffset(), c.compressedSize());
                if (read.contains(column)) {
                    assertTrue(resident >= c.compressedSize() * 9 / 10, f + " " + c.path() + ": a read chunk is resident ("
                            + resident + " of " + c.compressedSize() + ")");
                } else {
                    assertTrue(c.compressedSize() > 4 * readAheadSlack, "the skipped chunk is large enough to tell");
                    assertTrue(resident <= readAheadSlack, f + " " + c.path() + ": a skipped chunk of " + c.compressedSize()
                            + " bytes has " + resident + " bytes resident; only the pages it shares with read chunks may be");
                }
            }
        }
        // the direct engine counts what it reads: the projected chunks, their alignment and the footers
        List<String> direct = new ArrayList<>(scale);
        direct.addAll(List.of("train.computation_time=0", "reader.read_threads=1", "reader.io_engine=direct"));
        RunReport report = new TrainingRead(plan(config, data, direct, false), null, null).run();
        @SuppressWarnings("unchecked")
        Map<String, Object> io = (Map<String, Object>) report.json().get("io");
        long projected = ((Number) io.get("projected_bytes")).longValue();
        long storage = ((Number) io.get("storage_bytes")).longValue();
        long footers = 0;
        for (Path f : plan.files()) {
            footers += Math.min(Files.size(f), 64 << 10) + 4096;
        }
        assertTrue(storage >= projected && storage <= projected + footers + 2 * 8192 * 3 * plan.files().size(),
                "direct read " + storage + " bytes for " + projected + " projected: " + io);
    }

    @Test
    void accelerationUtilisation_fallsWithShortCompute_risesWithLongCompute() throws Exception {
        Path config = SharedConfigs.config("seed_example.yaml");
        Path data = dir.resolve("data");
        List<String> scale = List.of("dataset.num_files_train=4", "dataset.num_samples=400", "dataset.compression=gzip");
        generate(config, data, scale);
        double shortAu = au(config, data, scale, "0.00002");
        double longAu = au(config, data, scale, "0.02");
        assertTrue(shortAu < longAu, "AU rises with compute time: " + shortAu + " vs " + longAu);
        assertTrue(shortAu < 0.6, "compute much shorter than reading leaves the accelerator waiting: AU " + shortAu);
        assertTrue(longAu > 0.8, "compute much longer than reading keeps the accelerator busy: AU " + longAu);
    }

    private double au(Path config, Path data, List<String> scale, String computeSeconds) throws Exception {
        List<String> o = new ArrayList<>(scale);
        o.addAll(List.of("train.computation_time=" + computeSeconds, "reader.batch_size=16", "reader.read_threads=1",
                "train.epochs=1"));
        RunReport r = new TrainingRead(plan(config, data, o, false), null, null).run();
        return r.au();
    }

    @Test
    void jsonHasEveryDocumentedKey() throws Exception {
        Path config = SharedConfigs.config("selective_read.yaml");
        Path data = dir.resolve("data");
        List<String> scale = List.of("dataset.num_files_train=3", "dataset.num_samples_per_file=200");
        generate(config, data, scale);
        List<String> o = new ArrayList<>(scale);
        o.add("train.computation_time=0.0001");
        RunReport r = new TrainingRead(plan(config, data, o, false), null, null).run();
        Map<String, Object> json = r.json();
        for (String key : List.of("samples", "epochs", "files", "files_digest", "bytes_read", "bytes_decoded", "seconds",
                "samples_per_second", "storage_read_mb_per_second", "au_percent", "peak_heap_bytes", "peak_rss_anon_bytes",
                "gc_count", "rank", "world_size", "latency_ms", "per_epoch", "threads", "config", "eviction", "complete")) {
            if (!json.containsKey(key) || json.get(key) == null) {
                fail("JSON key '" + key + "' is missing or null: " + json.keySet());
            }
        }
        assertTrue(((Number) json.get("peak_rss_anon_bytes")).longValue() > 0, "RssAnon was sampled");
        assertTrue(((Number) json.get("bytes_decoded")).longValue() >= ((Number) json.get("bytes_read")).longValue() / 2);
    }
}
