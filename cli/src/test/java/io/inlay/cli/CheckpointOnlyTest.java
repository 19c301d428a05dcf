package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.mpi.MpiRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DLIO's checkpoint-only runs ({@code workflow.train: False}, {@code workflow.checkpoint: True}) through
 * {@code dlio_benchmark}, as MLPerf Storage's checkpointing workloads run them: the files written by
 * the right ranks with the right sizes, read back from storage, the per-checkpoint entries and summary
 * keys consistent with each other and with the bytes; DLIO's error when too few checkpoints are
 * there; bad values naming the key; two ranks under mpirun; Ctrl-C leaving an incomplete folder.
 */
class CheckpointOnlyTest {
    static final double GIB = 1024.0 * 1024 * 1024;
    static final long SIZE = 3_000_000; // not a multiple of 4096: the O_DIRECT tail is exercised

    @TempDir
    Path dir;

    /** dlio_benchmark's arguments: unet3d_h100 as shipped (format npz: no dataset is touched), checkpoint-only. */
    private List<String> args(Path ckpt, Path out, String... more) throws Exception {
        Path conf = dir.resolve("conf/workload");
        Files.createDirectories(conf);
        if (!Files.exists(conf.resolve("unet3d_h100.yaml"))) {
            Files.copy(SharedConfigs.config("mlpstorage/workload/unet3d_h100.yaml"), conf.resolve("unet3d_h100.yaml"));
        }
        List<String> a = new ArrayList<>(List.of("workload=unet3d_h100", "--config-dir=" + dir.resolve("conf"),
                "++workload.workflow.train=False", "++workload.model.model_size=" + SIZE,
                "++workload.checkpoint.checkpoint_folder=" + ckpt, "++hydra.run.dir=" + out));
        for (String m : more) {
            a.add("++workload." + m);
        }
        return a;
    }

    private Cli.Result dlio(Path ckpt, Path out, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of("dlio_benchmark"));
        a.addAll(args(ckpt, out, more));
        return Cli.run(a.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void writesThenReadsBack_entriesAndSummaryConsistent() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Path out = dir.resolve("out");
        Cli.Result r = dlio(ckpt, out, "checkpoint.num_checkpoints_write=3", "checkpoint.num_checkpoints_read=2",
                "checkpoint.time_between_checkpoints=0.05");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("warning: dataset.format is 'npz', not parquet: allowed because this is a checkpoint-only run"),
                r.err());
        for (int step = 1; step <= 3; step++) {
            Path f = ckpt.resolve("global_epoch1_step" + step + "/model_states-0.pt");
            assertEquals(SIZE, Files.size(f), f.toString());
        }
        try (Stream<Path> s = Files.list(ckpt)) {
            assertEquals(3, s.count(), "three checkpoints and nothing else (the warm-up file is gone)");
        }
        Map<String, Object> e1 = map(JSON.std.mapFrom(out.resolve("0_per_epoch_stats.json").toFile()).get("1"));
        assertEquals(List.of("start", "save_ckpt1", "save_ckpt2", "save_ckpt3", "load_ckpt1", "load_ckpt2", "end"),
                List.copyOf(e1.keySet()));
        Map<String, Object> summary = JSON.std.mapFrom(out.resolve("summary.json").toFile());
        Map<String, Object> metric = map(summary.get("metric"));
        double sizeGb = ((Number) metric.get("checkpoint_size_GB")).doubleValue();
        assertEquals(SIZE / GIB, sizeGb, 1e-12);
        for (String kind : List.of("save", "load")) {
            List<Double> durations = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (Map.Entry<String, Object> en : e1.entrySet()) {
                if (en.getKey().startsWith(kind + "_ckpt")) {
                    Map<String, Object> c = map(en.getValue());
                    double d = ((Number) c.get("duration")).doubleValue();
                    double t = ((Number) c.get("throughput")).doubleValue();
                    assertTrue(d > 0, en.toString());
                    assertEquals(sizeGb, d * t, sizeGb * 1e-9, "duration x throughput = the checkpoint's bytes: " + en);
                    durations.add(d);
                    rates.add(t);
                }
            }
            assertEquals(mean(durations), ((Number) metric.get(kind + "_checkpoint_duration_mean_seconds")).doubleValue(), 1e-9);
            assertEquals(mean(rates), ((Number) metric.get(kind + "_checkpoint_io_mean_GB_per_second")).doubleValue(), 1e-9);
            assertTrue(metric.get(kind + "_checkpoint_io_stdev_GB_per_second") instanceof Number, metric.toString());
            assertTrue(metric.get(kind + "_checkpoint_duration_stdev_seconds") instanceof Number, metric.toString());
        }
        assertEquals(0, ((Number) summary.get("epochs")).intValue(), "no training epoch, as DLIO");
        Map<String, Object> inlay = map(summary.get("inlay"));
        assertEquals(true, inlay.get("complete"));
        assertEquals(3 * SIZE, ((Number) inlay.get("bytes_written")).longValue());
        assertEquals(2 * SIZE, ((Number) inlay.get("bytes_read")).longValue(), "the bytes read back, from the files");
        List<?> cks = (List<?>) inlay.get("checkpoints");
        assertEquals(5, cks.size());
        if (!ckpt.getFileSystem().provider().getFileStore(ckpt).type().equals("tmpfs")) {
            for (Object c : cks) {
                assertEquals(true, map(c).get("direct"), "written and read back through O_DIRECT: the device, not the page cache");
            }
        }
        Map<String, Object> output = JSON.std.mapFrom(out.resolve("0_output.json").toFile());
        assertEquals(Map.of(), map(map(output.get("1")).get("load")), "no step was taken");
        String log = Files.readString(out.resolve("dlio.log"));
        assertTrue(log.contains("Running DLIO [Checkpointing] with 1 process(es)"), log);
        assertTrue(log.contains("Checkpointing write started"), log);
        assertTrue(log.contains("Starting saving checkpoint 3 after total step 3 for epoch 1"), log);
        assertTrue(log.contains("Finished loading checkpoint 2 for epoch 1 in "), log);
        assertTrue(log.contains("[METRIC] Checkpoint load I/O Throughput (GB/second): "), log);
        double gap = Math.abs(seconds(map(e1.get("save_ckpt2")).get("start")) - seconds(map(e1.get("save_ckpt1")).get("end")));
        assertTrue(gap >= 0.045, "time_between_checkpoints (0.05 s) of emulated compute before each checkpoint: " + gap);
    }

    private static double mean(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double seconds(Object timestamp) {
        java.time.LocalDateTime t = java.time.LocalDateTime.parse(timestamp.toString());
        return t.toEpochSecond(java.time.ZoneOffset.UTC) + t.getNano() / 1e9;
    }

    @Test
    void readOnlyRun_readsWhatAnEarlierRunWrote_andTooFewIsDliosError() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        assertEquals(0, dlio(ckpt, dir.resolve("w"), "checkpoint.num_checkpoints_write=2").exit());
        Cli.Result r = dlio(ckpt, dir.resolve("r"), "checkpoint.num_checkpoints_read=2");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> metric = map(JSON.std.mapFrom(dir.resolve("r/summary.json").toFile()).get("metric"));
        assertTrue(metric.containsKey("load_checkpoint_io_mean_GB_per_second"), metric.toString());
        assertFalse(metric.containsKey("save_checkpoint_io_mean_GB_per_second"), "nothing written in this run: " + metric);

        Cli.Result few = dlio(ckpt, dir.resolve("f"), "checkpoint.num_checkpoints_read=3");
        assertEquals(1, few.exit(), few.err());
        assertTrue(few.err().contains("Number of checkpoints to be read: 3 is more than the number of checkpoints available: 2"),
                few.err());
        assertFalse(few.err().contains("Exception"), few.err());
        assertTrue(Files.readString(dir.resolve("f/dlio.log")).contains("[ERROR] Number of checkpoints to be read: 3"));
        assertFalse(Files.exists(dir.resolve("f/summary.json")), "no summary that looks like a result");

        // a checkpoint written for another model: its size is wrong, named
        Cli.Result other = dlio(ckpt, dir.resolve("o"), "checkpoint.num_checkpoints_read=1", "model.model_size=4000000");
        assertEquals(1, other.exit(), other.err());
        assertTrue(other.err().contains("model_states-0.pt holds 3000000 bytes where this model's checkpoint has 4000000"),
                other.err());
    }

    @Test
    void badValuesAndTypos_nameTheKey() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Cli.Result r = dlio(ckpt, dir.resolve("a"), "checkpoint.num_checkpoints_write=2", "checkpoint.num_checkpoints_read=3");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("checkpoint.num_checkpoints_read")
                && r.err().contains("Number of checkpoints to read 3 cannot be larger than number of checkpoints to write 2"), r.err());
        r = dlio(ckpt, dir.resolve("b"), "checkpoint.num_checkpoints_write=two");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("checkpoint.num_checkpoints_write"), r.err());
        r = dlio(ckpt, dir.resolve("c"), "checkpoint.time_between_checkpoints=soon", "checkpoint.num_checkpoints_write=1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("checkpoint.time_between_checkpoints"), r.err());
        r = dlio(ckpt, dir.resolve("d"), "checkpoint.num_checkpoint_write=2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("checkpoint.num_checkpoint_write is not a key Inlay or DLIO knows, ignored; did you mean"
                + " checkpoint.num_checkpoints_write?"), r.err());
        assertTrue(r.err().contains("no checkpoint is written or read"), r.err());
        assertFalse(Files.exists(ckpt.resolve("global_epoch1_step1")));
    }

    @Test
    void twoRanks_allRanks_eachWritesAndReadsItsOwn() throws Exception {
        MpiRunner.Flavour flavour = MpiRunner.Flavour.OPEN_MPI;
        assumeTrue(flavour.find().isPresent(), flavour.missing());
        Path ckpt = dir.resolve("ckpt");
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(MpiWorkflowTest.ROOT.resolve("bin/dlio_benchmark").toString()));
        cmd.addAll(args(ckpt, out, "checkpoint.num_checkpoints_write=2", "checkpoint.num_checkpoints_read=2",
                "checkpoint.type=all_ranks", "checkpoint.rank_sync=True", "checkpoint.recovery_rank_shift=True"));
        MpiRunner.Result r = MpiRunner.run(flavour, 2, cmd, Map.of("INLAY_CLASSPATH", System.getProperty("java.class.path")),
                dir.resolve("mpi.log"), 300);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("This run is on single client; checkpoint_recovery_rank_shift does not apply."), r.output());
        for (int step = 1; step <= 2; step++) {
            for (int rank = 0; rank < 2; rank++) {
                Path f = ckpt.resolve("global_epoch1_step" + step + "/model_states-" + rank + ".pt");
                assertEquals(SIZE, Files.size(f), f.toString());
            }
        }
        for (int rank = 0; rank < 2; rank++) {
            Map<String, Object> e1 = map(JSON.std.mapFrom(out.resolve(rank + "_per_epoch_stats.json").toFile()).get("1"));
            assertEquals(List.of("start", "save_ckpt1", "save_ckpt2", "load_ckpt1", "load_ckpt2", "end"), List.copyOf(e1.keySet()));
            Map<String, Object> in = map(JSON.std.mapFrom(out.resolve(rank + "_output.json").toFile()).get("inlay"));
            assertEquals(rank, ((Number) in.get("read_rank")).intValue(), "one node: the shift leaves each rank its own files");
            for (Object c : (List<?>) in.get("checkpoints")) {
                assertEquals(SIZE, ((Number) map(c).get("bytes")).longValue(), "each rank moves its own file: " + c);
            }
        }
        Map<String, Object> summary = JSON.std.mapFrom(out.resolve("summary.json").toFile());
        assertEquals(2, ((Number) summary.get("num_accelerators")).intValue());
        assertEquals(2 * SIZE / GIB, ((Number) map(summary.get("metric")).get("checkpoint_size_GB")).doubleValue(), 1e-12);
        Map<String, Object> inlay = map(summary.get("inlay"));
        assertEquals(2, ((Number) inlay.get("writers")).intValue());
        assertEquals(2 * 2 * SIZE, ((Number) inlay.get("bytes_written")).longValue());
        assertEquals(2 * 2 * SIZE, ((Number) inlay.get("bytes_read")).longValue());
        for (Object c : (List<?>) inlay.get("checkpoints")) {
            Map<String, Object> x = map(c);
            assertTrue(((Number) x.get("slowest_rank_seconds")).doubleValue() >= ((Number) x.get("rank0_seconds")).doubleValue() - 1e-9,
                    x.toString());
        }
    }

    @Test
    void sigint_leavesTheFolderMarkedIncomplete() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Path out = dir.resolve("out");
        List<String> a = new ArrayList<>(List.of("dlio_benchmark"));
        a.addAll(args(ckpt, out, "checkpoint.num_checkpoints_write=200", "checkpoint.time_between_checkpoints=0.2"));
        Process p = new ProcessBuilder(MpiRunner.java(Main.class.getName(), a)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        String ignored = Files.readString(Path.of("/proc/" + p.pid() + "/status")).lines().filter(l -> l.startsWith("SigIgn:"))
                .findFirst().orElse("SigIgn: 0").split("\\s+")[1];
        boolean sigintIgnored = (Long.parseLong(ignored, 16) & 2) != 0;
        if (sigintIgnored) {
            p.destroyForcibly();
        }
        assumeTrue(!sigintIgnored, "this JVM was started with SIGINT ignored (a background job): its children cannot get Ctrl-C");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(ckpt.resolve("global_epoch1_step2")) && System.nanoTime() < until && p.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), Files.readString(dir.resolve("log")));
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends on Ctrl-C");
        String log = Files.readString(dir.resolve("log"));
        assertEquals(130, p.exitValue(), log);
        assertTrue(log.contains("interrupted: the ") && log.contains("measured so far are in " + out + ", marked incomplete"), log);
        Map<String, Object> summary = JSON.std.mapFrom(out.resolve("summary.json").toFile());
        Map<String, Object> inlay = map(summary.get("inlay"));
        assertEquals(false, inlay.get("complete"));
        int taken = ((List<?>) inlay.get("checkpoints")).size();
        assertTrue(taken >= 2 && taken < 200, "the checkpoints taken before Ctrl-C: " + taken);
        assertTrue(map(summary.get("metric")).get("save_checkpoint_duration_mean_seconds") instanceof Number);
        assertEquals(false, map(JSON.std.mapFrom(out.resolve("0_output.json").toFile()).get("inlay")).get("complete"));
        assertTrue(Files.readString(out.resolve("dlio.log")).contains("[WARNING] Interrupted: the results in"));
    }
}
