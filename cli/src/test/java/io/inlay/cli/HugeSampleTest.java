package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.engine.read.ParquetFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unet3d-sized sample (record_length_bytes 146600628, stdev 0: DLIO's square of floor(sqrt(L))
 * = 12107^2 = 146579449 bytes) generated and read back in a JVM of {@code -Xmx64m}, from mlpstorage's
 * own unet3d configs with only the format and scale overridden: both exit 0, the file holds one
 * sample of that size, the read takes it whole and the heap's peak stays under 64 MiB.
 */
class HugeSampleTest {
    @TempDir
    Path dir;

    private static String run(Path log, List<String> args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finishes");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void unet3dSample_generatedAndRead_atXmx64m() throws Exception {
        Path data = dir.resolve("data");
        List<String> scale = List.of("dataset.format=parquet", "dataset.data_folder=" + data, "dataset.num_files_train=1",
                "dataset.record_length_bytes_stdev=0");
        List<String> g = new ArrayList<>(List.of("generate", "--config",
                SharedConfigs.config("mlpstorage/workload/unet3d_datagen.yaml").toString(), "--quiet"));
        g.addAll(scale);
        run(dir.resolve("gen.log"), g);
        Path file = data.resolve("train/img_0_of_1.parquet");
        assertTrue(Files.isRegularFile(file), file + " written");
        assertTrue(Files.size(file) > 146579449L, "one whole sample in the file: " + Files.size(file));
        try (ParquetFile f = ParquetFile.open(file)) {
            assertEquals(1, f.metadata().rows(), "one sample per file (num_samples_per_file: 1)");
        }

        List<String> r = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("mlpstorage/workload/unet3d_h100.yaml").toString(),
                "reader.batch_size=1", "train.epochs=1", "train.computation_time=0", "workflow.checkpoint=False", "--quiet",
                "--json", dir.resolve("read.json").toString(), "--output", dir.resolve("out").toString()));
        r.addAll(scale);
        run(dir.resolve("read.log"), r);
        Map<String, Object> json = JSON.std.mapFrom(dir.resolve("read.json").toFile());
        assertEquals(1L, ((Number) json.get("samples")).longValue(), json.toString());
        long heap = ((Number) json.get("peak_heap_bytes")).longValue();
        assertTrue(heap > 0 && heap <= 64L << 20, "peak heap " + heap);
        assertTrue(((Number) json.get("bytes_read")).longValue() >= 146579449L, json.toString());
    }

    /**
     * Reader memory is one row group of samples, never the whole file (issue 18): a 537 MB file of
     * 32 samples of 16 MiB, one per row group, read at -Xmx64m in the default read mode. Decoded
     * whole, the file alone would take more RssAnon than the bound (half the file); a row group at a
     * time it takes one sample to decode and one per batch (batch_size 1, 2 batches per worker).
     */
    @Test
    void aFileOfManySamples_isNotHeldWhole() throws Exception {
        Path data = dir.resolve("data");
        long sample = 16L << 20;
        List<String> scale = List.of("dataset.format=parquet", "dataset.data_folder=" + data, "dataset.num_files_train=1",
                "dataset.record_length_bytes=" + sample, "dataset.record_length_bytes_stdev=0",
                "dataset.num_samples_per_file=32", "dataset.parquet.row_group_size=1");
        List<String> g = new ArrayList<>(List.of("generate", "--config",
                SharedConfigs.config("mlpstorage/workload/unet3d_datagen.yaml").toString(), "--quiet"));
        g.addAll(scale);
        run(dir.resolve("gen.log"), g);
        Path file = data.resolve("train/img_0_of_1.parquet");
        long fileBytes = Files.size(file);
        assertTrue(fileBytes > 32 * sample, "32 samples of 16 MiB: " + fileBytes);
        try (ParquetFile f = ParquetFile.open(file)) {
            assertEquals(32, f.rowGroupCount(), "one sample per row group");
        }
        List<String> r = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("mlpstorage/workload/unet3d_h100.yaml").toString(),
                "reader.batch_size=1", "train.epochs=1", "train.computation_time=0", "workflow.checkpoint=False", "--quiet",
                "--json", dir.resolve("read.json").toString(), "--output", dir.resolve("out").toString()));
        r.addAll(scale);
        run(dir.resolve("read.log"), r);
        Map<String, Object> json = JSON.std.mapFrom(dir.resolve("read.json").toFile());
        assertEquals(32L, ((Number) json.get("samples")).longValue(), json.toString());
        assertEquals("default", json.get("read_mode"), json.toString());
        assertTrue(((Number) json.get("bytes_read")).longValue() >= 32 * sample, json.toString());
        long heap = ((Number) json.get("peak_heap_bytes")).longValue();
        assertTrue(heap > 0 && heap <= 64L << 20, "peak heap " + heap);
        long rss = ((Number) json.get("peak_rss_anon_bytes")).longValue();
        assertTrue(rss > 0 && rss < fileBytes / 2, "peak RssAnon " + rss + " bytes, file " + fileBytes + " bytes");
    }
}
