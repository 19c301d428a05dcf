package io.inlay.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.cli.SharedConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Config keys (issue 15, point 3): a typo in any section, the top level included, is warned about
 * with the closest known key; DLIO's keys that Inlay does not implement are listed as such;
 * {@code record_length} is an alias of {@code record_length_bytes}; the registry holds every key
 * DLIO's {@code LoadConfig} reads.
 */
class KnownKeysTest {

    /**
     * Every key DLIO's {@code dlio_benchmark/utils/config.py} ({@code LoadConfig}) reads, written
     * out here from its source, independently of the registry.
     */
    static final List<String> DLIO_KEYS = List.of(
            "framework", "storage.storage_type", "storage.storage_root", "storage.storage_options",
            "dataset.record_length_bytes", "dataset.record_length_bytes_stdev", "dataset.record_length_bytes_resize",
            "dataset.num_files_train", "dataset.num_files_eval", "dataset.generation_buffer_size",
            "dataset.num_samples_per_file", "dataset.data_folder", "dataset.num_subfolders_train",
            "dataset.num_subfolders_eval", "dataset.enable_chunking", "dataset.chunk_size", "dataset.compression",
            "dataset.compression_level", "dataset.file_prefix", "dataset.format", "dataset.keep_files",
            "dataset.record_element_bytes", "dataset.record_element_type", "dataset.record_dims",
            "dataset.hdf5.chunk_dims", "dataset.hdf5.num_dset_per_record", "dataset.hdf5.max_shape",
            "data_reader", "reader.dont_use_mmap", "reader.reader_classname", "reader.multiprocessing_context",
            "reader.data_loader", "reader.data_loader_classname", "reader.data_loader_sampler", "reader.read_threads",
            "reader.computation_threads", "reader.batch_size", "reader.batch_size_eval", "reader.prefetch_size",
            "reader.file_shuffle", "reader.file_access", "reader.shuffle_size", "reader.sample_shuffle",
            "reader.read_type", "reader.transfer_size", "reader.odirect", "reader.preprocess_time",
            "reader.preprocess_time_stdev", "reader.pin_memory", "reader.transformed_record_dims",
            "reader.transformed_record_element_type",
            "train.epochs", "train.total_training_steps", "train.seed_change_epoch", "train.computation_time",
            "train.computation_time_stdev", "train.seed",
            "evaluation.eval_time", "evaluation.eval_time_stdev", "evaluation.eval_after_epoch",
            "evaluation.epochs_between_evals",
            "checkpoint.checkpoint_folder", "checkpoint.checkpoint_after_epoch", "checkpoint.epochs_between_checkpoints",
            "checkpoint.steps_between_checkpoints", "checkpoint.type", "checkpoint.checkpoint_mechanism_classname",
            "checkpoint.fsync", "checkpoint.time_between_checkpoints", "checkpoint.num_checkpoints_write",
            "checkpoint.num_checkpoints_read", "checkpoint.recovery_rank_shift", "checkpoint.rank_sync", "checkpoint.mode",
            "checkpoint.randomize_tensor", "checkpoint.ksm.madv_mergeable_id", "checkpoint.ksm.high_ram_trigger",
            "checkpoint.ksm.low_ram_exit", "checkpoint.ksm.await_time",
            "model.name", "model.type", "model.model_size_bytes", "model.optimization_groups", "model.num_layers",
            "model.layer_parameters", "model.model_datatype", "model.optimizer_datatype", "model.parallelism.tensor",
            "model.parallelism.pipeline", "model.parallelism.data", "model.parallelism.zero_stage",
            "model.transformer.vocab_size", "model.transformer.hidden_size", "model.transformer.ffn_hidden_size",
            "model.transformer.num_attention_heads", "model.transformer.num_kv_heads",
            "output.folder", "output.log_file", "output.metric.exclude_start_steps", "output.metric.exclude_end_steps",
            "workflow.train", "workflow.generate_data", "workflow.evaluation", "workflow.checkpoint", "workflow.profiling",
            "profiling.profiler", "profiling.trace_compression", "profiling.iostat_devices", "metric.au");

    /** The keys Inlay acts on (and so must never be reported as unimplemented). */
    static final Set<String> IMPLEMENTED = Set.of("dataset.data_folder", "dataset.format", "dataset.num_files_train",
            "dataset.num_files_eval", "dataset.num_samples_per_file", "dataset.num_subfolders_train",
            "dataset.num_subfolders_eval", "dataset.file_prefix", "dataset.record_length_bytes", "dataset.compression",
            "dataset.compression_level", "reader.batch_size", "reader.read_threads", "reader.prefetch_size",
            "reader.file_shuffle", "reader.sample_shuffle", "train.epochs", "train.computation_time",
            "train.computation_time_stdev", "train.total_training_steps", "train.seed", "train.seed_change_epoch", "metric.au",
            "reader.batch_size_eval", "evaluation.eval_time", "evaluation.eval_time_stdev", "evaluation.eval_after_epoch",
            "evaluation.epochs_between_evals", "workflow.generate_data", "workflow.train", "workflow.evaluation", "output.folder",
            "output.log_file", "output.metric.exclude_start_steps", "output.metric.exclude_end_steps",
            "dataset.record_length_bytes_stdev", "workflow.checkpoint", "checkpoint.checkpoint_folder",
            "checkpoint.checkpoint_after_epoch", "checkpoint.epochs_between_checkpoints", "checkpoint.steps_between_checkpoints",
            "checkpoint.type", "checkpoint.mode", "checkpoint.model_size", "framework", "model.type",
            "checkpoint.time_between_checkpoints", "checkpoint.num_checkpoints_write", "checkpoint.num_checkpoints_read",
            "checkpoint.recovery_rank_shift", "checkpoint.rank_sync", "dataset.record_length_bytes_resize", "reader.dont_use_mmap",
            "model.model_size", "model.model_size_bytes", "model.optimization_groups", "model.num_layers", "model.layer_parameters",
            "model.model_datatype", "model.optimizer_datatype", "model.parallelism.tensor", "model.parallelism.pipeline",
            "model.parallelism.data", "model.parallelism.zero_stage", "model.transformer.vocab_size",
            "model.transformer.hidden_size", "model.transformer.ffn_hidden_size", "model.transformer.num_attention_heads",
            "model.transformer.num_kv_heads", "workflow.profiling", "profiling.profiler", "profiling.trace_compression",
            "reader.transfer_size", "reader.odirect");

    @Test
    void everyDlioKeyIsRegistered_withItsStatus() {
        for (String k : DLIO_KEYS) {
            KnownKeys.Key key = KnownKeys.get(k).orElseThrow(() -> new AssertionError(k + " is not registered"));
            assertEquals(IMPLEMENTED.contains(k) ? KnownKeys.Status.IMPLEMENTED : KnownKeys.Status.NOT_IMPLEMENTED, key.status(), k);
        }
        assertEquals(KnownKeys.Status.IMPLEMENTED, KnownKeys.get("dataset.parquet.columns[3].dtype").orElseThrow().status());
        assertEquals(KnownKeys.Status.IMPLEMENTED, KnownKeys.get("dataset.record_length").orElseThrow().status(),
                "DLIO's older name, an alias");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            reader typo        | reader: {batchsize: 32}                      | reader.batchsize                  | reader.batch_size
            train typo         | train: {epoch: 3}                            | train.epoch                       | train.epochs
            section typo       | trian: {epochs: 3}                           | trian                             | train
            dataset section    | datset: {num_files_train: 2}                 | datset                            | dataset
            top-level key      | epochs: 3                                    | epochs                            | train.epochs
            metric typo        | metric: {AU: 0.7}                            | metric.AU                         | metric.au
            column key         | "dataset: {parquet: {columns: [{name: a, dtype: bool, dtpye: bool}]}}" | dataset.parquet.columns[0].dtpye | dataset.parquet.columns[0].dtype
            parquet key        | "dataset: {parquet: {row_groupsize: 5}}"     | dataset.parquet.row_groupsize     | dataset.parquet.row_group_size
            computation time   | "train: {computation_time: {mean: 1, stddev: 0.1}}" | train.computation_time.stddev | train.computation_time.stdev
            typo in checkpoint | "checkpoint: {checkpoint_foldr: x}"          | checkpoint.checkpoint_foldr      | checkpoint.checkpoint_folder
            workflow typo      | "workflow: {generate: true}"                 | workflow.generate                 |
            """)
    void typoInAnySection_warned_withTheClosestKey(String what, String yaml, String key, String suggestion) throws Exception {
        WorkloadConfig c = ConfigLoader.parse("dataset: {num_files_train: 1}\n" + (yaml.startsWith("dataset:") ? "" : yaml),
                Path.of("t.yaml"), List.of());
        if (yaml.startsWith("dataset:")) {
            c = ConfigLoader.parse(yaml, Path.of("t.yaml"), List.of());
        }
        String expected = "warning: " + key + " is not a key Inlay or DLIO knows, ignored"
                + (suggestion == null ? "" : "; did you mean " + suggestion + "?");
        assertTrue(c.warnings().contains(expected), what + ": " + c.warnings());
    }

    @Test
    void misspelledDatasetSection_plusAnOverride_isNotSilent() throws Exception {
        WorkloadConfig c = ConfigLoader.parse("datset:\n  num_files_train: 64\n  parquet: {columns: [{name: x, dtype: bool}]}\n",
                Path.of("t.yaml"), List.of("dataset.num_files_train=2"));
        assertEquals(List.of("warning: datset is not a key Inlay or DLIO knows, ignored; did you mean dataset?"), c.warnings());
    }

    @Test
    void unimplementedDlioKeys_listedAsSuch_withWhatInlayDoesWhereItMatters() throws Exception {
        WorkloadConfig c = ConfigLoader.parse("""
                model: {name: unet3d, model_size: 499153191}
                framework: pytorch
                workflow: {generate_data: false, train: true, checkpoint: true}
                dataset: {num_files_train: 1, record_length_bytes_stdev: 10}
                reader: {data_loader: pytorch, odirect: true, transfer_size: 262144}
                checkpoint: {checkpoint_folder: ckpt, epochs_between_checkpoints: 2}
                """, Path.of("t.yaml"), List.of());
        List<String> w = c.warnings();
        assertTrue(w.stream().noneMatch(l -> l.startsWith("warning: ")), "all are known: " + w);
        assertFalse(w.stream().anyMatch(l -> l.contains("workflow.generate_data")), "inlay run and dlio_benchmark act on it: " + w);
        assertFalse(w.stream().anyMatch(l -> l.contains("workflow.checkpoint") || l.contains("record_length_bytes_stdev")
                || l.contains("checkpoint_folder") || l.contains("model_size")), "Inlay checkpoints and draws sample sizes: " + w);
        // the storage keys are implemented (issue 13): no note about them
        assertFalse(w.stream().anyMatch(l -> l.contains("reader.odirect") || l.contains("reader.transfer_size")), w.toString());
        assertTrue(w.contains("note: DLIO keys Inlay does not implement, ignored: model.name, reader.data_loader"), w.toString());
        assertFalse(w.stream().anyMatch(l -> l.contains("workflow.train")), "train: true is what Inlay does: " + w);
    }

    @Test
    void recordLength_aliasOfRecordLengthBytes() throws Exception {
        assertEquals(4096, ConfigLoader.parse("dataset: {record_length: 4096}", Path.of("t.yaml"), List.of()).dataset()
                .columns().get(0).size());
        assertEquals(List.of(), ConfigLoader.parse("dataset: {record_length: 4096}", Path.of("t.yaml"), List.of()).warnings());
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "dataset: {record_length: 4096, record_length_bytes: 512}", Path.of("t.yaml"), List.of()));
        assertTrue(e.getMessage().startsWith("dataset.record_length: 4096 disagrees with dataset.record_length_bytes = 512"),
                e.getMessage());
    }

    @Test
    void sharedAndMlperfConfigs_haveNoUnknownKeys() throws Exception {
        List<Path> configs = new java.util.ArrayList<>(SharedConfigs.all());
        try (var s = java.nio.file.Files.list(SharedConfigs.dir().resolve("mlpstorage/workload"))) {
            configs.addAll(s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList());
        }
        for (Path p : configs) {
            Object tree = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                    .loadFromString(java.nio.file.Files.readString(p));
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> map = (java.util.Map<String, Object>) tree;
            assertEquals(List.of(), KnownKeys.check(map).stream().filter(l -> l.startsWith("warning: ")).toList(), p.toString());
        }
    }

    /**
     * Issue 18 point 4: every checkpoint.* and reader.* key of the nine MLPerf Storage workloads is
     * honoured (no line about it) or listed with what Inlay does instead; fsync and randomize_tensor
     * are quiet when they say what Inlay does anyway, and say what it does when they do not.
     */
    @Test
    void mlperfWorkloads_checkpointAndReaderKeys_honouredOrListedTruthfully() throws Exception {
        java.util.Map<String, String> expected = java.util.Map.of(
                "reader.computation_threads", "samples are decoded on the reader.read_threads that read them",
                "reader.shuffle_size", "reader.sample_shuffle shuffles all of a file's samples at once",
                "reader.data_loader", "note: DLIO keys Inlay does not implement, ignored: ");
        java.util.Set<String> seen = new java.util.TreeSet<>();
        try (var s = java.nio.file.Files.list(SharedConfigs.dir().resolve("mlpstorage/workload"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                WorkloadConfig c = ConfigLoader.load(p, List.of("dataset.format=parquet"));
                for (String section : List.of("checkpoint", "reader")) {
                    var node = c.section(section);
                    if (node.isEmpty()) {
                        continue;
                    }
                    for (String k : node.get().asMap().keySet()) {
                        String path = section + "." + k;
                        seen.add(path);
                        KnownKeys.Key key = KnownKeys.get(path).orElseThrow(() -> new AssertionError(path + " in " + p));
                        String listed = "note: DLIO keys Inlay does not implement, ignored: ";
                        List<String> lines = c.warnings().stream().filter(l -> l.startsWith("note: " + path + " ")
                                || l.startsWith("warning: " + path + " ") || (l.startsWith(listed)
                                && List.of(l.substring(listed.length()).split(", ")).contains(path))).toList();
                        if (key.status() == KnownKeys.Status.IMPLEMENTED) {
                            assertEquals(List.of(), lines, path + " is honoured: nothing to say (" + p + ")");
                        } else {
                            assertTrue(expected.containsKey(path), path + " is not implemented: its message is checked here (" + p + ")");
                            assertTrue(lines.size() == 1 && lines.get(0).contains(expected.get(path)), path + ": " + lines);
                        }
                    }
                }
            }
        }
        assertTrue(seen.containsAll(List.of("reader.dont_use_mmap", "reader.computation_threads", "reader.shuffle_size",
                "checkpoint.checkpoint_folder", "checkpoint.epochs_between_checkpoints")), seen.toString());
        WorkloadConfig quiet = ConfigLoader.parse("dataset: {num_files_train: 1}\ncheckpoint: {fsync: true, randomize_tensor: true}\n",
                Path.of("t.yaml"), List.of());
        assertEquals(List.of(), quiet.warnings(), "fsync: True and randomize_tensor: True are what Inlay does");
        WorkloadConfig loud = ConfigLoader.parse("dataset: {num_files_train: 1}\ncheckpoint: {fsync: false, randomize_tensor: false}\n",
                Path.of("t.yaml"), List.of());
        assertTrue(loud.warnings().stream().anyMatch(l -> l.contains("checkpoint.fsync") && l.contains("Inlay fsyncs every checkpoint")),
                loud.warnings().toString());
        assertTrue(loud.warnings().stream().anyMatch(l -> l.contains("checkpoint.randomize_tensor") && l.contains("always random")),
                loud.warnings().toString());
    }

    @Test
    void closest_distances() {
        assertEquals(1, KnownKeys.distance("trian", "train"), "a swap is one edit");
        assertEquals(1, KnownKeys.distance("batchsize", "batch_size"));
        assertEquals(null, KnownKeys.closest("zzzzzzzz"));
    }
}
