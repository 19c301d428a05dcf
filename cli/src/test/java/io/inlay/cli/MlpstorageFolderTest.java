package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * mlpstorage itself cannot be installed here (not on the package indexes this machine reaches),
 * so this test reads a result folder of {@code bin/dlio_benchmark} the way mlpstorage's
 * {@code reports reportgen} and its submission checker do (../shared/DLIO-RESULTS.md, "What
 * mlpstorage reads"), with the metadata file mlpstorage would write beside it, and checks every
 * field and file they use.
 */
class MlpstorageFolderTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void resultFolder_readsAsReportgenReadsIt() throws Exception {
        Path conf = dir.resolve("configs/workload");
        Files.createDirectories(conf);
        Files.copy(SharedConfigs.config("dlrm_parquet.yaml"), conf.resolve("dlrm_parquet.yaml"));
        Path data = dir.resolve("data");
        Path run = dir.resolve("results/training/dlrm/run/20260704_052110");
        List<String> base = List.of("workload=dlrm_parquet", "--config-dir=" + dir.resolve("configs"),
                "++workload.dataset.data_folder=" + data, "++workload.dataset.num_files_train=256",
                "++workload.reader.read_threads=2", "++hydra.output_subdir=dlio_config");
        List<String> gen = new ArrayList<>(List.of("dlio_benchmark"));
        gen.addAll(base);
        gen.addAll(List.of("++workload.workflow.generate_data=True", "++workload.workflow.train=False",
                "++hydra.run.dir=" + dir.resolve("gen")));
        Cli.Result g = Cli.run(gen.toArray(String[]::new));
        assertEquals(0, g.exit(), g.err());
        List<String> train = new ArrayList<>(List.of("dlio_benchmark"));
        train.addAll(base);
        train.addAll(List.of("++workload.reader.batch_size=32", "++workload.train.epochs=2", "++hydra.run.dir=" + run));
        Cli.Result t = Cli.run(train.toArray(String[]::new));
        assertEquals(0, t.exit(), t.err());
        // what mlpstorage writes beside DLIO's files: its metadata (its Benchmark object's fields) and the command's output
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("args", Map.of("program", "training", "command", "run", "model", "dlrm", "num_processes", 1));
        metadata.put("run_datetime", "20260704_052110");
        metadata.put("run_result_output", run.toString());
        ResultFolderIo.write(run.resolve("training_20260704_052110_metadata.json"), metadata);
        Files.writeString(run.resolve("training_run.stdout.log"), t.out());
        Files.writeString(run.resolve("training_run.stderr.log"), t.err());

        // get_runs_files: a folder counts when it holds exactly one *_metadata.json and a summary.json
        List<Path> runs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir.resolve("results"))) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                try (Stream<Path> f = Files.list(d)) {
                    List<String> names = f.map(p -> p.getFileName().toString()).toList();
                    if (names.stream().filter(n -> n.endsWith("_metadata.json")).count() == 1 && names.contains("summary.json")) {
                        runs.add(d);
                    }
                }
            }
        }
        assertEquals(List.of(run), runs, "reportgen finds exactly this run");

        // DLIOResultParser: summary.json and every YAML in dlio_config/
        Map<String, Object> summary = JSON.std.mapFrom(run.resolve("summary.json").toFile());
        Load yaml = new Load(LoadSettings.builder().build());
        Map<String, Object> config = (Map<String, Object>) yaml.loadFromString(Files.readString(run.resolve("dlio_config/config.yaml")));
        List<Object> overrides = (List<Object>) yaml.loadFromString(Files.readString(run.resolve("dlio_config/overrides.yaml")));
        Object hydra = yaml.loadFromString(Files.readString(run.resolve("dlio_config/hydra.yaml")));
        assertInstanceOf(Map.class, hydra);
        Map<String, Object> workload = (Map<String, Object>) config.get("workload");
        Map<String, Object> workflow = (Map<String, Object>) workload.get("workflow");
        assertEquals(false, workflow.getOrDefault("generate_data", false));
        assertEquals(true, workflow.get("train"), "workflow.train decides benchmark type training, command run");
        assertEquals(false, workflow.getOrDefault("checkpoint", false));
        assertTrue(overrides.stream().anyMatch(o -> String.valueOf(o).equals("workload=dlrm_parquet")),
                "the accelerator comes from the workload= item: " + overrides);
        Map<String, Object> model = assertInstanceOf(Map.class, workload.get("model"), "model must be a map");
        assertEquals("dlrm", model.get("name"));
        Map<String, Object> dataset = (Map<String, Object>) workload.get("dataset");
        assertEquals(256, ((Number) dataset.get("num_files_train")).intValue(), "the composed config has the overrides applied");
        assertInstanceOf(Number.class, dataset.get("num_samples_per_file"));
        assertInstanceOf(Number.class, dataset.get("record_length_bytes"));
        assertEquals(32, ((Number) ((Map<String, Object>) workload.get("reader")).get("batch_size")).intValue());
        Map<String, String> params = new LinkedHashMap<>();
        for (Object o : overrides) {
            String item = String.valueOf(o);
            int eq = item.indexOf('=');
            if (item.startsWith("++workload.") && eq > 0) {
                params.put(item.substring("++workload.".length(), eq), item.substring(eq + 1));
            }
        }
        assertEquals("256", params.get("dataset.num_files_train"));
        // ClusterInformation.from_dlio_summary_json: lists, summed
        double memGiB = ((List<Number>) summary.get("host_memory_GB")).stream().mapToDouble(Number::doubleValue).sum();
        int cpus = ((List<Number>) summary.get("host_cpu_count")).stream().mapToInt(Number::intValue).sum();
        assertTrue(memGiB > 0 && cpus > 0);
        assertEquals(1, ((Number) summary.get("num_accelerators")).intValue());
        assertTrue(String.valueOf(summary.get("start")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"));
        Map<String, Object> metric = (Map<String, Object>) summary.get("metric");
        for (String k : List.of("train_au_percentage", "train_au_mean_percentage", "train_au_meet_expectation",
                "train_au_stdev_percentage", "train_throughput_samples_per_second", "train_throughput_mean_samples_per_second",
                "train_throughput_stdev_samples_per_second", "train_io_mean_MB_per_second", "train_io_stdev_MB_per_second")) {
            assertTrue(metric.containsKey(k) && metric.get(k) != null, k + " in metric: " + metric.keySet());
        }
        // the rules checker's num_files_train bound can be computed from what the folder holds
        long perFile = ((Number) dataset.get("num_samples_per_file")).longValue();
        double recordLength = ((Number) dataset.get("record_length_bytes")).doubleValue();
        long byMemory = (long) (5 * memGiB * (1L << 30) / (perFile * recordLength));
        long bySteps = 500L * 1 * 32 / perFile;
        assertTrue(Math.max(byMemory, bySteps) > 256, "a scaled-down run is (rightly) too small for a closed submission");
        // the 3.0 submission checker: the files of a run folder, and its figure
        for (String f : List.of("training_run.stdout.log", "training_run.stderr.log", "0_output.json", "0_per_epoch_stats.json",
                "summary.json", "dlio.log", "dlio_config/config.yaml", "dlio_config/hydra.yaml", "dlio_config/overrides.yaml")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(List.of("success", "fail").contains(metric.get("train_au_meet_expectation")));
        double bw = ((Number) metric.get("train_io_mean_MB_per_second")).doubleValue() / 1024;
        double expected = ((Number) metric.get("train_throughput_mean_samples_per_second")).doubleValue() * recordLength
                / (1024.0 * 1024 * 1024);
        assertEquals(expected, bw, 1e-9 * Math.max(1, expected), "B/W (GiB/s) = train_io_mean_MB_per_second / 1024");
    }

    /** Writes JSON as mlpstorage does (its own file; Inlay never writes one). */
    static final class ResultFolderIo {
        private ResultFolderIo() {}

        static void write(Path p, Object tree) throws Exception {
            Files.writeString(p, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(tree));
        }
    }
}
