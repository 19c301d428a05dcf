package io.inlay.cli.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key a workload config may hold: Inlay's, and every key of DLIO's config
 * ({@code dlio_benchmark/utils/config.py}: {@code LoadConfig}, and the older names DLIO's docs and
 * MLPerf Storage's workloads still use), each marked implemented or not. The loader checks a
 * config against it: a key nobody knows (a typo: {@code reader.batchsize}, {@code trian:}) is
 * warned about with the closest known key; a DLIO key Inlay does not implement is listed as such,
 * with what Inlay does instead where that matters. Nothing is rejected here.
 *
 * <p>Paths are dotted ({@code reader.batch_size}); {@code []} stands for the entries of a list
 * ({@code dataset.parquet.columns[].dtype}). A key with registered children is a section and is
 * checked inside; one without is a value, whatever it holds. Adding a key is one line in the
 * static block below. Immutable; thread-safe.
 */
public final class KnownKeys {

    /** Whether Inlay acts on a key. */
    public enum Status { IMPLEMENTED, NOT_IMPLEMENTED }

    /**
     * One key.
     *
     * @param path its dotted path
     * @param status implemented or not
     * @param note for keys Inlay does not implement: what Inlay does instead, when that matters
     *     (shown in the warning); empty otherwise
     * @param asIf for keys Inlay does not implement: the value that describes what Inlay does anyway
     *     ({@code workflow.checkpoint: false}); a config holding that value is not told about the
     *     key. Null when there is none.
     */
    public record Key(String path, Status status, String note, Object asIf) {}

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        // ---- top level (DLIO's sections; 'data_reader' is DLIO's older name of 'reader')
        yes("dataset");
        yes("reader");
        yes("train");
        yes("metric");
        yes("model"); // its size and shape make the checkpoints
        yes("framework"); // the checkpoint files' extension (pt or pb)
        yes("workflow");
        yes("evaluation");
        yes("checkpoint");
        yes("output");
        yes("profiling"); // profiling.profiler=dftracer writes the timeline trace
        no("storage", "Inlay reads local (or mounted) file systems");
        no("data_reader", "Inlay reads the reader: section");
        no("hydra", "");

        // ---- dataset
        yes("dataset.data_folder");
        yes("dataset.format");
        yes("dataset.num_files_train");
        yes("dataset.num_files_eval");
        yes("dataset.num_samples_per_file");
        yes("dataset.num_samples"); // the design's alias of num_samples_per_file
        yes("dataset.num_subfolders_train");
        yes("dataset.num_subfolders_eval");
        yes("dataset.file_prefix");
        yes("dataset.record_length_bytes");
        yes("dataset.record_length"); // DLIO's older name of record_length_bytes
        yes("dataset.compression");
        yes("dataset.compression_level");
        yes("dataset.record_length_bytes_stdev"); // each file's sample length drawn as DLIO's generators draw it
        yes("dataset.record_length_stdev");
        yes("dataset.record_length_bytes_resize"); // the reader hands on a floor(sqrt(n))^2-byte tensor per sample, as DLIO
        yes("dataset.record_length_resize"); // DLIO's older name
        no("dataset.record_element_type", "a sample's layout comes from dataset.parquet.columns");
        no("dataset.record_element_bytes", "a sample's layout comes from dataset.parquet.columns");
        no("dataset.record_dims", "a sample's layout comes from dataset.parquet.columns");
        no("dataset.keep_files", "", true);
        no("dataset.enable_chunking");
        no("dataset.chunk_size");
        no("dataset.generation_buffer_size");
        no("dataset.generation_type");
        no("dataset.data_loader");
        no("dataset.hdf5", "");
        no("dataset.hdf5.chunk_dims");
        no("dataset.hdf5.num_dset_per_record");
        no("dataset.hdf5.max_shape");
        // Inlay's Parquet layout
        yes("dataset.parquet");
        yes("dataset.parquet.columns");
        yes("dataset.parquet.columns[].name");
        yes("dataset.parquet.columns[].dtype");
        yes("dataset.parquet.columns[].size");
        yes("dataset.parquet.columns[].read");
        yes("dataset.parquet.row_group_size");
        yes("dataset.parquet.read_mode");
        yes("dataset.parquet.partition_by");

        // ---- reader
        yes("reader.batch_size");
        yes("reader.read_threads");
        yes("reader.prefetch_size");
        yes("reader.file_shuffle");
        yes("reader.sample_shuffle");
        yes("reader.batch_size_eval");
        no("reader.data_loader"); // Inlay's own reader replaces DLIO's data loaders: listed as ignored
        no("reader.data_loader_classname", "Inlay's own reader replaces DLIO's data loaders");
        no("reader.data_loader_sampler", "Inlay's own reader replaces DLIO's data loaders");
        no("reader.reader_classname", "Inlay's own reader replaces DLIO's readers");
        no("reader.multiprocessing_context", "Inlay's readers are threads");
        no("reader.computation_threads", "samples are decoded on the reader.read_threads that read them");
        yes("reader.dont_use_mmap"); // True: the pread engine unless reader.io_engine names another that maps nothing
        no("reader.file_access", "every rank reads its own files (DLIO's multi)");
        no("reader.shuffle_size", "reader.sample_shuffle shuffles all of a file's samples at once (a file's"
                + " permutation), not through a buffer of this many");
        no("reader.read_type");
        yes("reader.transfer_size");
        yes("reader.odirect");
        yes("reader.io_engine"); // Inlay's key (issue 13): auto, mmap, pread, direct, io_uring
        yes("reader.io_depth"); // Inlay's key (issue 13): reads in flight per reader thread
        no("reader.preprocess_time", "no preprocessing time is emulated");
        no("reader.preprocess_time_stdev", "no preprocessing time is emulated");
        no("reader.pin_memory");
        no("reader.transformed_record_dims");
        no("reader.transformed_record_element_type");

        // ---- train
        yes("train.epochs");
        yes("train.computation_time");
        yes("train.computation_time.mean");
        yes("train.computation_time.stdev");
        yes("train.computation_time.type");
        yes("train.computation_time.min");
        yes("train.computation_time.max");
        yes("train.computation_time_stdev");
        yes("train.total_training_steps");
        yes("train.seed");
        yes("train.seed_change_epoch");
        yes("train.step_barrier"); // Inlay's: a barrier after every step, as DLIO's loop

        // ---- metric
        yes("metric.au");

        // ---- evaluation (the valid/ split)
        yes("evaluation.eval_time");
        yes("evaluation.eval_time_stdev");
        yes("evaluation.eval_after_epoch");
        yes("evaluation.epochs_between_evals");

        // ---- workflow
        yes("workflow.generate_data"); // inlay run and dlio_benchmark; inlay generate always writes
        yes("workflow.train");
        yes("workflow.evaluation");
        yes("workflow.checkpoint");
        yes("workflow.profiling"); // the timeline trace (trace-{rank}-of-{size}.pfw), as --trace
        no("workflow.debug", "", false);

        // ---- checkpoint
        yes("checkpoint.checkpoint_folder");
        yes("checkpoint.checkpoint_after_epoch");
        yes("checkpoint.epochs_between_checkpoints");
        yes("checkpoint.steps_between_checkpoints");
        yes("checkpoint.type");
        yes("checkpoint.mode");
        no("checkpoint.checkpoint_mechanism_classname", "Inlay writes checkpoint files itself (raw bytes of each state's"
                + " size, O_DIRECT, 16 transfers of 1 MiB in flight)");
        // Inlay makes every checkpoint durable (fsync of each file and its folder) before the clock stops
        no("checkpoint.fsync", "Inlay fsyncs every checkpoint file and its folder before the checkpoint's clock stops,"
                + " whatever it says", true);
        yes("checkpoint.time_between_checkpoints"); // checkpoint-only runs: emulated compute before each checkpoint
        yes("checkpoint.num_checkpoints_write"); // checkpoint-only runs
        yes("checkpoint.num_checkpoints_read"); // checkpoint-only runs: read back after the writes
        yes("checkpoint.recovery_rank_shift"); // checkpoint-only runs: rank r reads what rank r + ranks-per-node wrote
        yes("checkpoint.rank_sync"); // checkpoint-only runs: a barrier after each checkpoint, inside its time
        no("checkpoint.randomize_tensor", "checkpoint bytes are always random and unique per 4 KiB (DLIO's True);"
                + " False (DLIO's constant tensors) is not emulated", true);
        yes("checkpoint.model_size"); // DLIO's docs put it here in older versions
        no("checkpoint.ksm", "Inlay holds no tensors in memory to merge: each writer streams its checkpoint through"
                + " 16 buffers of 1 MiB");
        no("checkpoint.ksm.madv_mergeable_id", "");
        no("checkpoint.ksm.high_ram_trigger", "");
        no("checkpoint.ksm.low_ram_exit", "");
        no("checkpoint.ksm.await_time", "");

        // ---- model (DLIO uses it for checkpoints and names)
        no("model.name");
        yes("model.type");
        yes("model.model_size");
        yes("model.model_size_bytes");
        yes("model.optimization_groups");
        yes("model.num_layers");
        yes("model.layer_parameters");
        yes("model.model_datatype");
        yes("model.optimizer_datatype");
        yes("model.parallelism");
        yes("model.parallelism.tensor");
        yes("model.parallelism.pipeline");
        yes("model.parallelism.data");
        yes("model.parallelism.zero_stage");
        yes("model.transformer");
        yes("model.transformer.vocab_size");
        yes("model.transformer.hidden_size");
        yes("model.transformer.ffn_hidden_size");
        yes("model.transformer.num_attention_heads");
        yes("model.transformer.num_kv_heads");

        // ---- output
        yes("output.folder");
        yes("output.log_file");
        yes("output.metric");
        yes("output.metric.exclude_start_steps");
        yes("output.metric.exclude_end_steps");

        // ---- profiling
        yes("profiling.profiler"); // dftracer (or unset): the trace; DLIO's other profilers are warned about
        yes("profiling.trace_compression"); // the trace gzip-compressed, as --trace-gzip
        no("profiling.iostat_devices", "");

        // ---- storage
        no("storage.storage_type", "Inlay reads local (or mounted) file systems");
        no("storage.storage_root", "");
        no("storage.storage_options", "");
    }

    private KnownKeys() {}

    private static void yes(String path) {
        put(new Key(path, Status.IMPLEMENTED, "", null));
    }

    /** A DLIO key Inlay does not implement and whose absence changes nothing worth a note. */
    private static void no(String path) {
        no(path, "");
    }

    private static void no(String path, String note) {
        put(new Key(path, Status.NOT_IMPLEMENTED, note, null));
    }

    /** A DLIO key Inlay does not implement, but behaves as if it held {@code asIf}. */
    private static void no(String path, String note, Object asIf) {
        put(new Key(path, Status.NOT_IMPLEMENTED, note, asIf));
    }

    private static void put(Key k) {
        if (KEYS.putIfAbsent(k.path(), k) != null) {
            throw new IllegalStateException("key " + k.path() + " is registered twice");
        }
    }

    /** Every key, in registration order. */
    public static Map<String, Key> all() {
        return Collections.unmodifiableMap(KEYS);
    }

    /** The key at {@code path} ({@code dataset.parquet.columns[0].size} or {@code ...columns[].size}). */
    public static Optional<Key> get(String path) {
        return Optional.ofNullable(KEYS.get(pattern(path)));
    }

    /** A concrete path with its list indices replaced by {@code []}. */
    static String pattern(String path) {
        return path.replaceAll("\\[\\d+]", "[]");
    }

    /**
     * The warnings for {@code root}: one {@code warning: } line per unknown key (with the closest
     * known key), one {@code note: } line per unimplemented DLIO key whose note says what Inlay does
     * instead, and one {@code note: } line listing the other unimplemented DLIO keys. Empty for a
     * config of known, implemented keys.
     */
    public static List<String> check(Map<String, Object> root) {
        List<String> unknown = new ArrayList<>();
        List<String> noted = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        walk("", root, unknown, noted, ignored);
        List<String> out = new ArrayList<>();
        unknown.forEach(u -> out.add("warning: " + u));
        noted.forEach(n -> out.add("note: " + n));
        if (!ignored.isEmpty()) {
            out.add("note: DLIO keys Inlay does not implement, ignored: " + String.join(", ", ignored));
        }
        return out;
    }

    private static void walk(String prefix, Map<?, ?> map, List<String> unknown, List<String> noted, List<String> ignored) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            String pattern = pattern(path);
            Key key = KEYS.get(pattern);
            if (key == null) {
                String closest = closest(pattern);
                unknown.add(path + " is not a key Inlay or DLIO knows, ignored" + (closest == null ? ""
                        : "; did you mean " + concrete(closest, pattern, path) + "?"));
                continue;
            }
            boolean section = hasChildren(pattern);
            if (key.status() == Status.NOT_IMPLEMENTED && key.asIf() != null && key.asIf().equals(asBoolean(e.getValue()))) {
                continue; // Inlay does what the value says
            }
            if (key.status() == Status.NOT_IMPLEMENTED && !(section && e.getValue() instanceof Map<?, ?>)) {
                if (!key.note().isEmpty()) {
                    noted.add(path + " is a DLIO key Inlay does not implement, ignored: " + key.note());
                } else {
                    ignored.add(path);
                }
            } else if (key.status() == Status.NOT_IMPLEMENTED && !key.note().isEmpty()) {
                // a whole section Inlay does not implement: one line, its keys still checked for typos
                noted.add(path + " is a DLIO section Inlay does not implement, ignored: " + key.note());
                walkQuietly(path, (Map<?, ?>) e.getValue(), unknown);
                continue;
            }
            if (!section) {
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> child) {
                walk(path, child, unknown, noted, ignored);
            } else if (e.getValue() instanceof List<?> list && hasChildren(pattern + "[]")) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Map<?, ?> item) {
                        walk(path + "[" + i + "]", item, unknown, noted, ignored);
                    }
                }
            }
        }
    }

    /** YAML 1.1's boolean words as booleans (DLIO's configs are written for PyYAML); other values as they are. */
    private static Object asBoolean(Object v) {
        if (v instanceof String t) {
            switch (t.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "yes", "on", "true" -> {
                    return Boolean.TRUE;
                }
                case "no", "off", "false" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    return v;
                }
            }
        }
        return v;
    }

    /** Checks a section listed as a whole for unknown keys only. */
    private static void walkQuietly(String prefix, Map<?, ?> map, List<String> unknown) {
        List<String> sink = new ArrayList<>();
        walk(prefix, map, unknown, sink, sink);
    }

    /** The suggestion as the user would write it: a sibling under the same concrete parent ({@code columns[0].dtype}). */
    private static String concrete(String suggestion, String pattern, String path) {
        int sd = suggestion.lastIndexOf('.');
        int pd = pattern.lastIndexOf('.');
        String sParent = sd < 0 ? "" : suggestion.substring(0, sd);
        String pParent = pd < 0 ? "" : pattern.substring(0, pd);
        if (sParent.equals(pParent) && pd >= 0) {
            return path.substring(0, path.lastIndexOf('.')) + suggestion.substring(sd);
        }
        return suggestion.replace("[]", "[0]");
    }

    private static boolean hasChildren(String pattern) {
        String dot = pattern + ".";
        String list = pattern + "[].";
        for (String k : KEYS.keySet()) {
            if (k.startsWith(dot) || k.startsWith(list)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The known key closest to an unknown one: first among its siblings (same parent), by edit
     * distance; otherwise any key whose last part is close to its last part (a key in the wrong
     * section: {@code epochs} at the top level is {@code train.epochs}). Null when none is close.
     */
    static String closest(String pattern) {
        int dot = pattern.lastIndexOf('.');
        String parent = dot < 0 ? "" : pattern.substring(0, dot);
        String last = pattern.substring(dot + 1);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS.keySet()) {
            int kd = k.lastIndexOf('.');
            String kParent = kd < 0 ? "" : k.substring(0, kd);
            if (!kParent.equals(parent)) {
                continue;
            }
            int d = distance(last, k.substring(kd + 1));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= threshold(last)) {
            return best;
        }
        best = null;
        bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS.keySet()) {
            String kLast = k.substring(k.lastIndexOf('.') + 1);
            int d = distance(last, kLast);
            if (d < bestDistance || (d == bestDistance && best != null && k.length() < best.length())) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.min(1, threshold(last)) ? best : null;
    }

    /** Edits allowed for a suggestion: a third of the name, at least one, at most three. */
    private static int threshold(String name) {
        return Math.max(1, Math.min(3, name.length() / 3));
    }

    /** Levenshtein distance, ignoring case, with a swap of two neighbours counted as one edit (Damerau, restricted). */
    static int distance(String x, String y) {
        String a = x.toLowerCase(java.util.Locale.ROOT);
        String b = y.toLowerCase(java.util.Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
