package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.engine.read.PageCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's command-line parts: {@code generate} leaves its files out of the page cache
 * ({@code --keep-cached} keeps them), {@code read} takes the engine from {@code --io-engine} (or
 * {@code reader.io_engine}) and reports, in text and JSON, per epoch and in total, the engine,
 * bytes from storage beside the projected bytes, where the readers' time went and CPU per GB.
 */
class StorageEnginesCliTest {
    @TempDir
    Path dir;

    private List<String> scale(Path data) {
        return List.of("dataset.data_folder=" + data, "dataset.num_files_train=4", "dataset.num_samples=400",
                "reader.batch_size=50", "train.epochs=2", "train.computation_time=0");
    }

    private Path generate(boolean keepCached) throws Exception {
        Path data = dir.resolve(keepCached ? "kept" : "data");
        List<String> g = new ArrayList<>(List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "--quiet"));
        if (keepCached) {
            g.add("--keep-cached");
        }
        g.addAll(scale(data));
        Cli.Result r = Cli.run(g.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return data;
    }

    private static List<Path> files(Path data) throws Exception {
        try (var s = Files.walk(data)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    @Test
    void generate_leavesTheFilesOutOfThePageCache_unlessKeepCached() throws Exception {
        if (!PageCache.supported()) {
            return;
        }
        for (Path f : files(generate(false))) {
            assertTrue(PageCache.residentBytes(f) <= 4096, f + " is still cached: " + PageCache.residentBytes(f));
        }
        long kept = 0;
        for (Path f : files(generate(true))) {
            kept += PageCache.residentBytes(f);
        }
        assertTrue(kept > 0, "--keep-cached leaves them cached");
        assertTrue(Cli.run("generate", "--help").out().contains("--keep-cached"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void read_everyEngine_sameSamples_accountingInTextAndJson() throws Exception {
        Path data = generate(false);
        Long samples = null;
        for (String engine : List.of("mmap", "pread", "direct", "io_uring", "auto")) {
            Path json = dir.resolve(engine + ".json");
            List<String> r = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                    "--json", json.toString(), "--output", dir.resolve("out-" + engine).toString(), "--io-engine", engine,
                    "--io-depth", "4", "--transfer-size", "65536", "--evict-cache"));
            r.addAll(scale(data));
            Cli.Result rr = Cli.run(r.toArray(String[]::new));
            assertEquals(0, rr.exit(), rr.err());
            assertTrue(rr.out().contains("storage: ") && rr.out().contains("MB read from storage") && rr.out().contains("MB projected")
                    && rr.out().contains("CPU s per GB read (all epochs)"), rr.out());
            Map<String, Object> j = JSON.std.mapFrom(Files.readString(json));
            long s = ((Number) j.get("samples")).longValue();
            if (samples == null) {
                samples = s;
            }
            assertEquals(samples, s, engine + ": the same samples as mmap");
            Map<String, Object> io = (Map<String, Object>) j.get("io");
            List<String> engines = ((List<Map<String, Object>>) io.get("engines")).stream().map(e -> (String) e.get("engine")).toList();
            long projected = ((Number) io.get("projected_bytes")).longValue();
            long storage = ((Number) io.get("storage_bytes")).longValue();
            assertEquals(((Number) j.get("bytes_read")).longValue(), projected);
            if (!engine.equals("auto")) {
                assertEquals(List.of(engine), engines, engine + ": " + engines);
            }
            if (!engine.equals("mmap")) {
                // pread/direct count what they read: the projected chunks (and the footers, and alignment)
                assertTrue(storage >= projected && storage < 2 * projected + (1 << 20), engine + ": " + io);
            }
            long reads = ((Number) io.get("storage_reads")).longValue();
            long uring = ((Number) io.get("uring_reads")).longValue();
            assertTrue(reads > 0 && uring <= reads, engine + ": " + io);
            if (engine.equals("pread") || engine.equals("direct") || engine.equals("mmap")) {
                assertEquals(0, uring, engine + ": nothing through io_uring: " + io);
            }
            if (engine.equals("io_uring") && !rr.err().contains("io_uring")) {
                // no fallback notice: the reads went through the ring (all but a few: 222 of 226 in one run, the
                // rest of them side reads outside a worker's queue), and the text says so
                assertTrue(uring >= 0.9 * reads, io.toString());
                assertTrue(rr.out().contains(String.format(java.util.Locale.ROOT, "in %,d reads (%,d through io_uring)", reads, uring)),
                        rr.out());
            }
            assertTrue(((Number) io.get("cpu_seconds")).doubleValue() > 0, io.toString());
            assertTrue(((Number) io.get("storage_wait_seconds")).doubleValue() >= 0, io.toString());
            List<Map<String, Object>> epochs = (List<Map<String, Object>>) j.get("per_epoch");
            assertEquals(2, epochs.size());
            long perEpoch = 0;
            for (Map<String, Object> e : epochs) {
                perEpoch += ((Number) ((Map<String, Object>) e.get("io")).get("projected_bytes")).longValue();
            }
            assertEquals(projected, perEpoch, "the total is the epochs' sum");
            Map<String, Object> cfg = (Map<String, Object>) j.get("config");
            assertEquals(engine, cfg.get("io_engine"));
            assertEquals(4, ((Number) cfg.get("io_depth")).intValue());
            assertEquals(65536, ((Number) cfg.get("transfer_size")).intValue());
        }
    }
}
