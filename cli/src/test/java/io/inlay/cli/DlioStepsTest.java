package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.run.ReadPlan;
import io.inlay.cli.run.RunReport;
import io.inlay.cli.run.TrainingRead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps per epoch as DLIO counts them: the epoch's samples split over ranks, whole batches only
 * (workers' partial batches joined, the rest dropped); {@code train.total_training_steps} and
 * DLIO's "Only have enough data for N steps"; a rank with no files.
 */
class DlioStepsTest {
    @TempDir
    Path dir;

    private ReadPlan plan(String config, Path data, Ranks ranks, List<String> overrides) throws Exception {
        List<String> all = new ArrayList<>(overrides);
        all.add("dataset.data_folder=" + data);
        WorkloadConfig w = ConfigLoader.load(SharedConfigs.config(config), all);
        return Workflow.localPlan(w, TrainingConfig.of(w), ranks, false);
    }

    private void generate(String config, Path data, List<String> overrides, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--config", SharedConfigs.config(config).toString(),
                "dataset.data_folder=" + data, "--quiet"));
        args.addAll(overrides);
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void selectiveRead_fourRanks_125StepsAsDlio_not128() throws Exception {
        // the shared config at full size: 16 files of 1000 samples, batch 32, 4 reader threads; rank 0 of 4
        Path data = dir.resolve("sel");
        List<String> scale = List.of("train.computation_time=0");
        generate("selective_read.yaml", data, scale, "--rank", "0", "--world-size", "4");
        ReadPlan plan = plan("selective_read.yaml", data, new Ranks(0, 4, "--rank"), scale);
        assertEquals(125, plan.stepsPerEpoch(), "16 x 1000 / 32 / 4");
        Set<Long> seen = new HashSet<>();
        int[] dup = {0};
        RunReport r = new TrainingRead(plan, (phase, epoch, ids, n) -> {
            for (int i = 0; i < n; i++) {
                if (!seen.add(ids[i])) {
                    dup[0]++;
                }
            }
        }, null).run();
        assertEquals(125, r.steps(), "each worker's partial last batch is joined, not a step of its own");
        assertEquals(125 * 32, r.samples());
        assertEquals(0, dup[0], "no sample twice");
        assertEquals(4, r.filesRead(), "every file of the rank is read");
    }

    @Test
    void dlrmShape_manyOneSampleFiles_eightThreads_dliosSteps() throws Exception {
        // dlrm_parquet's shape scaled down: one-sample files, 8 reader threads sharing them unevenly
        Path data = dir.resolve("dlrm");
        List<String> scale = List.of("dataset.num_files_train=1024", "reader.batch_size=64", "train.computation_time=0",
                "reader.file_shuffle=off", "reader.sample_shuffle=off");
        generate("dlrm_parquet.yaml", data, scale);
        ReadPlan plan = plan("dlrm_parquet.yaml", data, Ranks.single(), scale);
        assertEquals(16, plan.stepsPerEpoch());
        RunReport r = new TrainingRead(plan, null, null).run();
        assertEquals(16, r.steps(), "1024 / 64, whatever the threads' shares");
    }

    @Test
    void totalTrainingSteps_capsTheEpoch_andBeyondTheDataWarnsAsDlioStops() throws Exception {
        Path data = dir.resolve("seed");
        List<String> scale = List.of("dataset.num_files_train=2", "dataset.num_samples=100", "reader.batch_size=10",
                "train.computation_time=0");
        generate("seed_example.yaml", data, scale);
        ReadPlan capped = plan("seed_example.yaml", data, Ranks.single(), withSteps(scale, 7));
        assertEquals(7, capped.stepsPerEpoch());

        List<String> args = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "--output", dir.resolve("out").toString(), "--json", dir.resolve("r.json").toString(),
                "--quiet", "train.total_training_steps=100000"));
        args.addAll(scale);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: Only have enough data for 20 steps but 100000 wanted"), r.err());
        Map<String, Object> json = JSON.std.mapFrom(dir.resolve("r.json").toFile());
        assertEquals(20L, ((Number) json.get("steps")).longValue());
        assertTrue(Files.readString(dir.resolve("out/dlio.log")).contains("[WARNING] Only have enough data for 20 steps"));

        // bin/dlio_benchmark behaves as DLIO: it stops
        Path conf = dir.resolve("conf/workload");
        Files.createDirectories(conf);
        Files.copy(SharedConfigs.config("seed_example.yaml"), conf.resolve("seed.yaml"));
        List<String> dlio = new ArrayList<>(List.of("dlio_benchmark", "workload=seed", "--config-dir=" + dir.resolve("conf"),
                "++workload.dataset.data_folder=" + data, "++hydra.run.dir=" + dir.resolve("dlio"),
                "++workload.train.total_training_steps=100000"));
        scale.forEach(s -> dlio.add("++workload." + s));
        Cli.Result d = Cli.run(dlio.toArray(String[]::new));
        assertEquals(1, d.exit(), d.out() + d.err());
        assertTrue(d.err().contains("Only have enough data for 20 steps but 100000 wanted"), d.err());
    }

    private static List<String> withSteps(List<String> scale, int steps) {
        List<String> l = new ArrayList<>(scale);
        l.add("train.total_training_steps=" + steps);
        return l;
    }

    @Test
    void rankWithoutFiles_isAnError_unlessAsked() throws Exception {
        Path data = dir.resolve("seven");
        List<String> scale = List.of("dataset.num_files_train=7", "dataset.num_samples=20", "train.computation_time=0");
        generate("seed_example.yaml", data, scale);
        List<String> args = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "--rank", "7", "--world-size", "8", "--output", dir.resolve("idle").toString()));
        args.addAll(scale);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("rank 7 of 8 has no training files (7 files over 8 ranks): run at most 7 ranks, or pass"
                + " --allow-idle-ranks"), r.err());
        args.add("--allow-idle-ranks");
        args.add("--quiet");
        Cli.Result allowed = Cli.run(args.toArray(String[]::new));
        assertEquals(0, allowed.exit(), allowed.err());
    }
}
