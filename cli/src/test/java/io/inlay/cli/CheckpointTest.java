package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.checkpoint.CheckpointPlan;
import io.inlay.cli.config.CheckpointConfig;
import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpointing as DLIO emulates it: every {@code steps_between_checkpoints} steps the block ends,
 * the checkpoint is written and timed ({@code save_ckpt<k>}), the next block starts; the files each
 * rank writes (DLIO's rank_zero and all_ranks, predefined layer and optimizer groups); bad keys and
 * an unwritable folder as one clear line.
 */
class CheckpointTest {
    @TempDir
    Path dir;

    private Cli.Result dlio(Path data, Path ckpt, Path out, String... more) throws Exception {
        Path conf = dir.resolve("conf/workload");
        Files.createDirectories(conf);
        if (!Files.exists(conf.resolve("unet3d_h100.yaml"))) {
            Files.copy(SharedConfigs.config("mlpstorage/workload/unet3d_h100.yaml"), conf.resolve("unet3d_h100.yaml"));
        }
        List<String> a = new ArrayList<>(List.of("dlio_benchmark", "workload=unet3d_h100", "--config-dir=" + dir.resolve("conf"),
                "++workload.dataset.format=parquet", "++workload.dataset.data_folder=" + data,
                "++workload.dataset.num_files_train=6", "++workload.dataset.record_length_bytes=65536",
                "++workload.dataset.record_length_bytes_stdev=0", "++workload.reader.batch_size=1", "++workload.reader.read_threads=2",
                "++workload.train.epochs=1", "++workload.train.computation_time=0.001", "++workload.model.model_size=1500000",
                "++workload.checkpoint.checkpoint_folder=" + ckpt, "++hydra.run.dir=" + out));
        for (String m : more) {
            a.add("++workload." + m);
        }
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void stepsBetweenCheckpoints_cutTheEpochIntoBlocks() throws Exception {
        Path data = dir.resolve("data");
        Path ckpt = dir.resolve("ckpt");
        Path out = dir.resolve("out");
        Cli.Result g = dlio(data, ckpt, dir.resolve("gen"), "workflow.generate_data=True", "workflow.train=False");
        assertEquals(0, g.exit(), g.err());
        Cli.Result r = dlio(data, ckpt, out, "checkpoint.steps_between_checkpoints=2");
        assertEquals(0, r.exit(), r.out() + r.err());
        for (int step : new int[] {2, 4, 6}) {
            Path f = ckpt.resolve("global_epoch1_step" + step + "/model_states-0.pt");
            assertEquals(1500000, Files.size(f), f.toString());
        }
        try (Stream<Path> s = Files.list(ckpt)) {
            assertEquals(3, s.count(), "after steps 2, 4 and 6; none after the epoch as well");
        }
        Map<String, Object> stats = JSON.std.mapFrom(out.resolve("0_per_epoch_stats.json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> e1 = (Map<String, Object>) stats.get("1");
        assertEquals(List.of("start", "block1", "block2", "block3", "save_ckpt1", "save_ckpt2", "save_ckpt3", "end", "duration"),
                List.copyOf(e1.keySet()));
        Map<String, Object> output = JSON.std.mapFrom(out.resolve("0_output.json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> load = (Map<String, Object>) ((Map<String, Object>) output.get("1")).get("load");
        assertEquals(List.of("block1", "block2", "block3"), List.copyOf(load.keySet()));
        for (Object steps : load.values()) {
            assertEquals(2, ((List<?>) steps).size(), "two steps per block");
        }
        Map<String, Object> summary = JSON.std.mapFrom(out.resolve("summary.json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> metric = (Map<String, Object>) summary.get("metric");
        for (String k : List.of("save_checkpoint_io_mean_GB_per_second", "save_checkpoint_io_stdev_GB_per_second",
                "save_checkpoint_duration_mean_seconds", "save_checkpoint_duration_stdev_seconds", "checkpoint_size_GB")) {
            assertTrue(metric.get(k) instanceof Number, k + " in " + metric);
        }
        assertFalse(metric.containsKey("load_checkpoint_io_mean_GB_per_second"), "training runs read no checkpoint back");
        String log = Files.readString(out.resolve("dlio.log"));
        assertTrue(log.contains("Ending block 2 - 2 steps completed in"), log);
        assertTrue(log.contains("Starting saving checkpoint 3 after total step 6 for epoch 1"), log);
    }

    @Test
    void unwritableFolder_oneClearLine() throws Exception {
        Path data = dir.resolve("data");
        Path out = dir.resolve("out");
        assertEquals(0, dlio(data, dir.resolve("c"), dir.resolve("gen"), "workflow.generate_data=True", "workflow.train=False").exit());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.Result r = dlio(data, file.resolve("sub"), out, "checkpoint.checkpoint_after_epoch=1");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("writing the checkpoint " + file.resolve("sub")), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static CheckpointConfig config(String yaml) throws ConfigException {
        return CheckpointConfig.of(ConfigLoader.parse("dataset: {num_files_train: 1}\n" + yaml, Path.of("t.yaml"), List.of()));
    }

    @Test
    void plan_whoWritesWhat() throws Exception {
        CheckpointConfig cnn = config("workflow: {checkpoint: true}\nmodel: {type: cnn, model_size: 1000}\nframework: pytorch\n");
        CheckpointPlan p = new CheckpointPlan(cnn, 4);
        assertEquals(List.of(new CheckpointPlan.FileSpec("model_states-0", 1000)), p.files(0));
        assertEquals(List.of(), p.files(1), "rank_zero: the first model-parallel group only");
        assertEquals(1000, p.totalBytes());
        assertEquals("pt", cnn.extension());

        CheckpointConfig all = config("model: {model_size: 1000}\ncheckpoint: {type: all_ranks}\n");
        assertEquals(4000, new CheckpointPlan(all, 4).totalBytes());
        assertEquals(4, new CheckpointPlan(all, 4).writers());
        assertEquals("pb", all.extension(), "tensorflow, DLIO's default framework");

        // predefined layers (int8 elements over tensor parallelism) and optimizer groups (two tensors each and their sum)
        CheckpointConfig layered = config("model: {model_size: 0, num_layers: 2, layer_parameters: [100, 60],"
                + " optimization_groups: [10, 20], parallelism: {tensor: 2}}\n");
        CheckpointPlan lp = new CheckpointPlan(layered, 2);
        List<CheckpointPlan.FileSpec> f0 = lp.files(0);
        assertEquals(List.of(new CheckpointPlan.FileSpec("zero_pp_rank_0_mp_rank_0_model_states", 2 * (50 + 30)),
                new CheckpointPlan.FileSpec("zero_pp_rank_0_mp_rank_0_optim_states", 2 * 30 + 30)), f0);
        assertEquals(2, lp.writers(), "both ranks are in the first model-parallel group");

        assertThrows(IllegalArgumentException.class, () -> new CheckpointPlan(layered, 3), "3 ranks over tensor parallelism 2");
        ConfigException e = assertThrows(ConfigException.class, () -> config("checkpoint: {type: some_ranks}\n"));
        assertTrue(e.getMessage().contains("checkpoint.type") && e.getMessage().contains("rank_zero, all_ranks"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config("model: {model_datatype: fp17}\n"));
        assertTrue(e.getMessage().contains("model.model_datatype"), e.getMessage());
    }
}
