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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two ranks under a real mpirun (Open MPI's and MPICH's, each skipped with the reason when it is
 * not installed): generate and read through {@code bin/dlio_benchmark} started from another
 * folder, as mlpstorage runs it; the result folder complete; the summary's throughput the sum of
 * the ranks' and its AU their mean; the ranks' epochs starting together; every file read
 * exactly once per epoch across the ranks. And: under a launcher with no loadable libmpi, one
 * clear error.
 */
class MpiWorkflowTest {
    @TempDir
    Path dir;

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    private Map<String, String> env() {
        return Map.of("INLAY_CLASSPATH", System.getProperty("java.class.path"));
    }

    @ParameterizedTest
    @EnumSource(MpiRunner.Flavour.class)
    void twoRanks_generateAndRead_throughBinDlioBenchmark(MpiRunner.Flavour flavour) throws Exception {
        assumeTrue(flavour.find().isPresent(), flavour.missing());
        Path conf = dir.resolve("configs/workload");
        Files.createDirectories(conf);
        Files.copy(SharedConfigs.config("selective_read.yaml"), conf.resolve("selective_read.yaml"));
        Path data = dir.resolve("data");
        Path gen = dir.resolve("gen");
        Path run = dir.resolve("run");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<String> common = List.of("workload=selective_read", "--config-dir=" + dir.resolve("configs"),
                "++workload.dataset.data_folder=" + data, "++workload.dataset.num_files_train=7",
                "++workload.dataset.num_samples_per_file=200", "++workload.reader.read_threads=2", "++hydra.output_subdir=dlio_config");
        List<String> g = new ArrayList<>(List.of(ROOT.resolve("bin/dlio_benchmark").toString()));
        g.addAll(common);
        g.addAll(List.of("++workload.workflow.generate_data=True", "++workload.workflow.train=False", "++hydra.run.dir=" + gen));
        MpiRunner.Result rg = MpiRunner.run(flavour, 2, g, env(), elsewhere.resolve("gen.log"), 300);
        assertEquals(0, rg.exit(), rg.output());
        try (Stream<Path> s = Files.list(data.resolve("train"))) {
            assertEquals(7, s.filter(f -> f.toString().endsWith(".parquet")).count(), "the ranks generated the 7 files together");
        }
        assertTrue(Files.isRegularFile(gen.resolve("dlio.log")));
        assertFalse(Files.exists(gen.resolve("summary.json")), "no summary for a generate-only run, as DLIO");

        List<String> r = new ArrayList<>(List.of(ROOT.resolve("bin/dlio_benchmark").toString()));
        r.addAll(common);
        r.addAll(List.of("++workload.workflow.generate_data=False", "++workload.train.epochs=2",
                "++workload.train.computation_time=0.002", "++hydra.run.dir=" + run));
        MpiRunner.Result rr = MpiRunner.run(flavour, 2, r, env(), elsewhere.resolve("run.log"), 300);
        assertEquals(0, rr.exit(), rr.output());
        assertTrue(rr.output().contains("[METRIC] Number of Simulated Accelerators: 2"), rr.output());

        for (String f : List.of("summary.json", "0_output.json", "1_output.json", "0_per_epoch_stats.json", "1_per_epoch_stats.json",
                "dlio.log", "dlio_config/config.yaml", "dlio_config/hydra.yaml", "dlio_config/overrides.yaml")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " is in the folder");
        }
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of(), s.filter(f -> f.toString().endsWith("_metadata.json")).toList(), "mlpstorage writes its own");
        }
        Map<String, Object> summary = JSON.std.mapFrom(run.resolve("summary.json").toFile());
        assertEquals(List.of("start", "num_accelerators", "num_hosts", "hostname", "metric", "num_files_train", "num_files_eval",
                "num_samples_per_file", "host_cpu_count", "host_processor_name", "potential_caching", "host_cpuinfo", "host_meminfo",
                "host_memory_GB", "data_size_per_host_GB", "epochs", "end", "inlay"), List.copyOf(summary.keySet()), "DLIO's order");
        assertEquals(2, ((Number) summary.get("num_accelerators")).intValue());
        assertEquals(1, ((Number) summary.get("num_hosts")).intValue(), "both ranks share this node");
        assertEquals(1, ((List<?>) summary.get("host_memory_GB")).size(), "one entry per node");
        assertEquals(2, ((Number) summary.get("epochs")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> metric = (Map<String, Object>) summary.get("metric");
        @SuppressWarnings("unchecked")
        List<Number> tp = (List<Number>) metric.get("train_throughput_samples_per_second");
        @SuppressWarnings("unchecked")
        List<Number> au = (List<Number>) metric.get("train_au_percentage");
        Map<String, Object> o0 = JSON.std.mapFrom(run.resolve("0_output.json").toFile());
        Map<String, Object> o1 = JSON.std.mapFrom(run.resolve("1_output.json").toFile());
        for (int e = 1; e <= 2; e++) {
            double t0 = epochFigure(o0, e, "throughput");
            double t1 = epochFigure(o1, e, "throughput");
            assertEquals(t0 + t1, tp.get(e - 1).doubleValue(), 1e-6 * (t0 + t1), "throughput summed over ranks");
            double a0 = epochFigure(o0, e, "au");
            double a1 = epochFigure(o1, e, "au");
            assertEquals((a0 + a1) / 2, au.get(e - 1).doubleValue(), 1e-9, "AU averaged over ranks");
            @SuppressWarnings("unchecked")
            List<Object> load = (List<Object>) ((Map<String, Object>) ((Map<String, Object>) o0.get(String.valueOf(e))).get("load"))
                    .get("block1");
            assertEquals(18, load.size(), "rank 1's 3 files of 200 samples hold 18 whole batches: both ranks take 18 steps");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> inlay = (Map<String, Object>) summary.get("inlay");
        assertEquals(18, ((Number) inlay.get("steps_per_epoch")).intValue());
        assertEquals(21, ((Number) inlay.get("dlio_steps_per_epoch")).intValue(), "7 x 200 / 32 / 2");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perEpoch = (List<Map<String, Object>>) inlay.get("per_epoch");
        for (Map<String, Object> e : perEpoch) {
            assertTrue(((Number) e.get("start_spread_seconds")).doubleValue() < 0.5, "the ranks start each epoch together: " + e);
        }
        String log = Files.readString(run.resolve("dlio.log"));
        assertTrue(log.contains("[WARNING] rank 1's files hold only enough data for 18 whole batches"), log);
        assertTrue(log.contains("[METRIC] Training Throughput (samples/second)"), log);
        String config = Files.readString(run.resolve("dlio_config/config.yaml"));
        assertTrue(config.startsWith("workload:"), config);
        assertTrue(Files.readString(run.resolve("dlio_config/overrides.yaml")).contains("- ++workload.dataset.num_files_train=7"));

        // inlay read under the same mpirun: every file read exactly once per epoch across the ranks
        Path json = dir.resolve("json");
        List<String> read = MpiRunner.java(Main.class.getName(), List.of("read", "--config",
                SharedConfigs.config("selective_read.yaml").toString(), "dataset.data_folder=" + data, "dataset.num_files_train=7",
                "dataset.num_samples_per_file=200", "train.epochs=2", "train.computation_time=0", "--list-files", "--quiet",
                "--json", json.resolve("rank{rank}.json").toString(), "--output", dir.resolve("read").toString()));
        MpiRunner.Result rd = MpiRunner.run(flavour, 2, read, Map.of(), elsewhere.resolve("read.log"), 300);
        assertEquals(0, rd.exit(), rd.output());
        Set<String> union = new HashSet<>();
        for (int rank = 0; rank < 2; rank++) {
            Map<String, Object> m = JSON.std.mapFrom(json.resolve("rank" + rank + ".json").toFile());
            assertEquals(rank, ((Number) m.get("rank")).intValue());
            assertEquals(2, ((Number) m.get("world_size")).intValue());
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) m.get("file_list");
            assertEquals(rank == 0 ? 4 : 3, files.size(), "rank r reads files r, r+2, ...");
            for (String f : files) {
                assertTrue(union.add(f), f + " is read by both ranks");
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> epochs = (List<Map<String, Object>>) m.get("per_epoch");
            for (Map<String, Object> e : epochs) {
                // the epoch ends at its step count (18 whole batches, what rank 1's files hold), which rank
                // 0's 4 files exceed: its readers stop once the steps are taken, so the last file may go unread;
                // never more than each of the rank's files once, never fewer than the steps took
                int filesRead = ((Number) e.get("files")).intValue();
                long samples = ((Number) e.get("samples")).longValue();
                assertEquals(18 * 32, samples, "18 steps of 32: " + e);
                assertTrue(filesRead <= files.size() && filesRead * 200L >= samples, "files read in the epoch: " + e);
            }
        }
        assertEquals(7, union.size(), "together the ranks cover the dataset");
    }

    @SuppressWarnings("unchecked")
    private static double epochFigure(Map<String, Object> output, int epoch, String key) {
        Map<String, Object> e = (Map<String, Object>) output.get(String.valueOf(epoch));
        return ((Number) ((Map<String, Object>) e.get(key)).get("block1")).doubleValue();
    }

    @Test
    void launcherWithoutLibmpi_oneClearError_beforeAnyWork() {
        Cli.Result r = Cli.run(Map.of("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "2", "INLAY_MPI_LIB",
                "/nonexistent/libmpi.so.40"), "read", "--config", SharedConfigs.config("selective_read.yaml").toString(),
                "dataset.data_folder=" + dir.resolve("none"), "--output", dir.resolve("results").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("inlay read: Open MPI's mpirun started this process as rank 0 of 2 (OMPI_COMM_WORLD_RANK),"
                + " but no libmpi could be loaded (tried /nonexistent/libmpi.so.40)"), r.err());
    }
}
