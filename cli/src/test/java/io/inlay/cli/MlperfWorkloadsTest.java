package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.mpi.MpiRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MLPerf Storage's nine training workloads ({@code ../shared/configs/mlpstorage/workload/}, unchanged)
 * through {@code bin/dlio_benchmark} under a 2-rank mpirun, with {@code ++workload.dataset.format=parquet}
 * and only their scale overridden (files, samples per file, batch, compute time, unet3d's sample and model
 * size): each model's {@code _datagen} variant generates, then its {@code _a100} and {@code _h100}
 * variants read; the result folders complete; unet3d's checkpoint (after epoch 5) written by rank 0 at
 * the model's size, timed in {@code save_ckpt1} and the {@code save_checkpoint_*} summary keys.
 */
class MlperfWorkloadsTest {
    @TempDir
    Path dir;

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    private static MpiRunner.Flavour flavour() {
        for (MpiRunner.Flavour f : MpiRunner.Flavour.values()) {
            if (f.find().isPresent()) {
                return f;
            }
        }
        assumeTrue(false, "no mpirun installed (apt-get install openmpi-bin)");
        return null;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            unet3d    | dataset.num_files_train=8,dataset.record_length_bytes=1466006,dataset.record_length_bytes_stdev=683418,reader.batch_size=2,train.computation_time=0.001,model.model_size=3158073
            resnet50  | dataset.num_files_train=4,dataset.num_samples_per_file=24,reader.batch_size=8,train.computation_time=0.001,train.epochs=2
            cosmoflow | dataset.num_files_train=16,reader.batch_size=2,train.computation_time=0.0005,train.epochs=2
            """)
    void datagenThenA100AndH100_twoRanks(String model, String scale) throws Exception {
        MpiRunner.Flavour flavour = flavour();
        Path conf = Files.createDirectories(dir.resolve("configs/workload"));
        for (String v : List.of("datagen", "a100", "h100")) {
            Files.copy(SharedConfigs.config("mlpstorage/workload/" + model + "_" + v + ".yaml"), conf.resolve(model + "_" + v + ".yaml"));
        }
        Path data = dir.resolve("data");
        Path ckpt = dir.resolve("ckpt");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<String> common = new ArrayList<>(List.of("--config-dir=" + dir.resolve("configs"), "++workload.dataset.format=parquet",
                "++workload.dataset.data_folder=" + data, "++workload.checkpoint.checkpoint_folder=" + ckpt,
                "++hydra.output_subdir=dlio_config"));
        for (String s : scale.split(",")) {
            common.add("++workload." + s);
        }
        Map<String, String> env = Map.of("INLAY_CLASSPATH", System.getProperty("java.class.path"));

        List<String> g = new ArrayList<>(List.of(ROOT.resolve("bin/dlio_benchmark").toString(), "workload=" + model + "_datagen"));
        g.addAll(common);
        g.add("++hydra.run.dir=" + dir.resolve("gen"));
        MpiRunner.Result rg = MpiRunner.run(flavour, 2, g, env, elsewhere.resolve("gen.log"), 300);
        assertEquals(0, rg.exit(), rg.output());
        List<Path> files;
        try (Stream<Path> s = Files.walk(data.resolve("train"))) {
            files = s.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
        int numFiles = Integer.parseInt(scale.replaceAll(".*num_files_train=(\\d+).*", "$1"));
        assertEquals(numFiles, files.size(), "the ranks generated the files together");
        if (model.equals("unet3d") || model.equals("cosmoflow")) {
            long distinct = files.stream().map(f -> f.toFile().length()).distinct().count();
            assertTrue(distinct > 1, "record_length_bytes_stdev draws each file's sample length: " + distinct);
        }

        for (String variant : List.of("a100", "h100")) {
            Path run = dir.resolve("run-" + variant);
            List<String> r = new ArrayList<>(List.of(ROOT.resolve("bin/dlio_benchmark").toString(), "workload=" + model + "_" + variant));
            r.addAll(common);
            r.add("++hydra.run.dir=" + run);
            MpiRunner.Result rr = MpiRunner.run(flavour, 2, r, env, elsewhere.resolve(variant + ".log"), 300);
            assertEquals(0, rr.exit(), rr.output());
            for (String f : List.of("summary.json", "0_output.json", "1_output.json", "0_per_epoch_stats.json", "1_per_epoch_stats.json",
                    "dlio.log", "dlio_config/config.yaml", "dlio_config/hydra.yaml", "dlio_config/overrides.yaml")) {
                assertTrue(Files.isRegularFile(run.resolve(f)), variant + ": " + f + " is in the folder");
            }
            Map<String, Object> summary = JSON.std.mapFrom(run.resolve("summary.json").toFile());
            assertEquals(2, ((Number) summary.get("num_accelerators")).intValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> metric = (Map<String, Object>) summary.get("metric");
            assertTrue(metric.get("train_au_mean_percentage") instanceof Number, variant + ": " + metric);
            double tp = ((Number) metric.get("train_throughput_mean_samples_per_second")).doubleValue();
            assertTrue(tp > 0, metric.toString());
            if (model.equals("resnet50")) {
                assertEquals(tp * 114660.07 / 1048576, ((Number) metric.get("train_io_mean_MB_per_second")).doubleValue(), 1e-6 * tp,
                        "DLIO's I/O figure takes the fractional record length as given");
            }
            if (model.equals("unet3d")) {
                // workflow.checkpoint: True, checkpoint_after_epoch 5: one checkpoint, after the 5th epoch, of rank 0 (rank_zero)
                Path folder;
                try (Stream<Path> s = Files.list(ckpt)) {
                    List<Path> ids = s.filter(p -> p.getFileName().toString().startsWith("global_epoch5_step")).toList();
                    assertEquals(1, ids.size(), variant + ": " + ids);
                    folder = ids.get(0);
                }
                try (Stream<Path> s = Files.list(folder)) {
                    List<String> names = s.map(p -> p.getFileName().toString()).toList();
                    assertEquals(List.of("model_states-0.pt"), names, "unet3d (cnn, rank_zero): rank 0's model state only");
                }
                assertEquals(3158073, Files.size(folder.resolve("model_states-0.pt")), "model.model_size bytes");
                assertEquals(3158073 / Math.pow(2, 30), ((Number) metric.get("checkpoint_size_GB")).doubleValue(), 1e-12);
                double rate = ((Number) metric.get("save_checkpoint_io_mean_GB_per_second")).doubleValue();
                double seconds = ((Number) metric.get("save_checkpoint_duration_mean_seconds")).doubleValue();
                assertTrue(seconds > 0, metric.toString());
                assertEquals(3158073 / Math.pow(2, 30) / seconds, rate, 1e-9 * rate);
                for (int rank = 0; rank < 2; rank++) {
                    Map<String, Object> stats = JSON.std.mapFrom(run.resolve(rank + "_per_epoch_stats.json").toFile());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e5 = (Map<String, Object>) stats.get("5");
                    assertTrue(e5.containsKey("save_ckpt1"), rank + ": " + e5);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e4 = (Map<String, Object>) stats.get("4");
                    assertTrue(!e4.containsKey("save_ckpt1"), "no checkpoint before checkpoint_after_epoch: " + e4);
                }
                String log = Files.readString(run.resolve("dlio.log"));
                assertTrue(log.contains("Finished saving checkpoint 1 for epoch 5"), log);
                try (Stream<Path> s = Files.walk(ckpt)) {
                    assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".inlay-tmp")).toList(), "no temporaries");
                }
                deleteTree(ckpt);
            } else {
                assertTrue(!metric.containsKey("save_checkpoint_io_mean_GB_per_second"), "no checkpoints asked: " + metric);
            }
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
