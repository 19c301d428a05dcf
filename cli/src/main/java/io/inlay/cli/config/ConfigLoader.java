package io.inlay.cli.config;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads a DLIO workload YAML (YAML 1.2, snakeyaml-engine), applies {@code key=value} overrides and
 * maps the {@code dataset} section onto the engine's {@link DatasetSpec}. Every key of the file is
 * checked against {@link KnownKeys}: unknown keys (typos) and DLIO keys Inlay does not implement
 * become {@link WorkloadConfig#warnings()}, never errors. Sections read by other commands
 * ({@code reader}, {@code train}, {@code metric}) stay available in {@link WorkloadConfig#root()}.
 * Every error is a {@link ConfigException} naming the key path and the bad value, attributed to
 * the file or to the override that set it. Stateless and thread-safe.
 */
public final class ConfigLoader {
    /** The key path a DatasetSpec message starts with ({@code dataset.num_files_train: ...}). */
    private static final Pattern LEADING_KEY = Pattern.compile("^([a-z_]+(?:\\.[a-z_]+|\\[\\d+])+): ");

    private ConfigLoader() {}

    /**
     * Loads {@code file} and applies {@code overrides} ({@code dataset.num_files_train=8},
     * {@code ++workload.dataset.num_files_train=8}).
     */
    public static WorkloadConfig load(Path file, List<String> overrides) throws ConfigException {
        String text;
        String where = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigException("", "is a directory, not a config file").from(where);
        }
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "not found").from(where);
        } catch (AccessDeniedException e) {
            throw new ConfigException("", "permission denied").from(where);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConfigException("", "not a text file (it is not UTF-8)").from(where);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "input/output error" : e.getMessage();
            throw new ConfigException("", "cannot be read: " + Character.toLowerCase(m.charAt(0)) + m.substring(1)).from(where);
        }
        return parse(text, file, overrides);
    }

    /** As {@link #load}, from text ({@code source} names it in the result). */
    @SuppressWarnings("unchecked")
    public static WorkloadConfig parse(String text, Path source, List<String> overrides) throws ConfigException {
        Object tree;
        try {
            tree = new Load(LoadSettings.builder().setSchema(new CoreSchema()).setLabel(source.toString()).build()).loadFromString(text);
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    .orElse("");
            throw new ConfigException("", "YAML syntax error" + where + ": " + e.getProblem()).from(source.toString());
        } catch (YamlEngineException e) {
            throw new ConfigException("", "YAML syntax error: " + e.getMessage()).from(source.toString());
        }
        if (tree == null) {
            tree = new java.util.LinkedHashMap<String, Object>();
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new ConfigException("", "expected a mapping of sections (dataset:, reader:, ...), got "
                    + ConfigNode.describe(tree)).from(source.toString());
        }
        Map<String, Object> map = castMap(tree);
        Map<String, String> applied = Overrides.apply(map, overrides);
        List<String> warnings = new ArrayList<>(KnownKeys.check(map));
        ConfigNode root = new ConfigNode("", map);
        try {
            ConfigNode dataset = root.section("dataset").orElseThrow(() -> new ConfigException("dataset",
                    "missing: a workload config needs a dataset section"));
            DatasetSpec spec = dataset(dataset, checkpointOnly(root), warnings);
            OptionalInt level = dataset.has("compression_level")
                    ? OptionalInt.of(dataset.intValue("compression_level", 0, Integer.MIN_VALUE)) : OptionalInt.empty();
            return new WorkloadConfig(source, spec, level, root, warnings, applied);
        } catch (ConfigException e) {
            throw attribute(e, source, applied);
        }
    }

    /**
     * {@code e} attributed to the override that set the key it names (or a key above it), else to
     * the file.
     */
    static ConfigException attribute(ConfigException e, Path source, Map<String, String> applied) {
        String key = e.keyPath();
        if (key.isEmpty()) {
            Matcher m = LEADING_KEY.matcher(e.getMessage());
            key = m.find() ? m.group(1) : "";
        }
        if (!key.isEmpty()) {
            for (Map.Entry<String, String> o : applied.entrySet()) {
                String p = o.getKey();
                if (key.equals(p) || key.startsWith(p + ".") || key.startsWith(p + "[")) {
                    return e.from("override '" + o.getValue() + "'");
                }
            }
        }
        return e.from(source.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object tree) {
        return (Map<String, Object>) tree;
    }

    /**
     * Whether the config asks for DLIO's checkpoint-only run ({@code workflow.checkpoint: True},
     * {@code workflow.train: False}, no {@code workflow.generate_data: True}): no dataset is touched.
     */
    private static boolean checkpointOnly(ConfigNode root) {
        try {
            Optional<ConfigNode> w = root.section("workflow");
            return w.isPresent() && w.get().bool("checkpoint", false) && !w.get().bool("train", true)
                    && !w.get().bool("generate_data", false);
        } catch (ConfigException e) {
            return false; // a bad value is reported where the workflow is read
        }
    }

    private static DatasetSpec dataset(ConfigNode d, boolean checkpointOnly, List<String> warnings) throws ConfigException {
        String format = d.string("format", "parquet");
        if (!format.strip().equalsIgnoreCase("parquet")) {
            if (!checkpointOnly) {
                throw new ConfigException(d.pathOf("format"), "'" + format + "' is not supported: Inlay reads and writes parquet");
            }
            warnings.add("warning: " + d.pathOf("format") + " is '" + format + "', not parquet: allowed because this is a"
                    + " checkpoint-only run (workflow.train: False, workflow.checkpoint: True), which touches no dataset");
        }
        DatasetSpec.Builder b = DatasetSpec.builder(Path.of(d.string("data_folder", "./data/")))
                .numFilesTrain(d.intValue("num_files_train", 8, 0))
                .numFilesEval(d.intValue("num_files_eval", 0, 0))
                .numSubfoldersTrain(d.intValue("num_subfolders_train", 0, 0))
                .numSubfoldersEval(d.intValue("num_subfolders_eval", 0, 0))
                .filePrefix(d.string("file_prefix", DatasetSpec.DEFAULT_PREFIX))
                .recordLengthBytes(recordLength(d))
                .recordLengthBytesStdev(recordLengthStdev(d))
                .numSamplesPerFile(samplesPerFile(d));
        Object compression = d.raw("compression");
        String codecName = compression == null ? "none" : d.string("compression", "none");
        try {
            b.compression(CompressionCodec.fromConfigName(codecName));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(d.pathOf("compression"), e.getMessage());
        }
        var parquet = d.section("parquet");
        if (parquet.isPresent()) {
            ConfigNode p = parquet.get();
            b.rowGroupSize(p.longValue("row_group_size", DatasetSpec.DEFAULT_ROW_GROUP_SIZE, 1));
            try {
                b.readMode(ReadMode.fromConfigName(p.string("read_mode", "default")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p.pathOf("read_mode"), e.getMessage());
            }
            b.partitionBy(p.string("partition_by", null));
            List<ConfigNode> columns = p.sections("columns");
            if (!columns.isEmpty()) {
                List<ColumnSpec> specs = new ArrayList<>();
                for (ConfigNode c : columns) {
                    specs.add(column(c));
                }
                b.columns(specs);
            } else if (p.has("columns")) {
                throw new ConfigException(p.pathOf("columns"), "the list is empty (omit it for one 'data' column of"
                        + " record_length_bytes)");
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // DatasetSpec's messages start with the key they are about
            throw new ConfigException("", e.getMessage());
        }
    }

    /**
     * {@code dataset.record_length_bytes} (DLIO's older name {@code record_length}): DLIO allows a
     * fraction (resnet50's 114660.07), used as given by the sample lengths and DLIO's I/O figure.
     */
    static double recordLength(ConfigNode d) throws ConfigException {
        String key = alias(d, "record_length_bytes", "record_length");
        if (key == null) {
            return DatasetSpec.DEFAULT_RECORD_LENGTH;
        }
        double v = d.raw(key) instanceof Double ? d.doubleValue(key, DatasetSpec.DEFAULT_RECORD_LENGTH)
                : d.longValue(key, DatasetSpec.DEFAULT_RECORD_LENGTH, 1);
        if (!(v >= 1) || v > ColumnSpec.MAX_BLOB_SIZE) {
            throw new ConfigException(d.pathOf(key), v + " is outside 1.." + ColumnSpec.MAX_BLOB_SIZE
                    + " (a sample of 2 GiB - 1 bytes at most)");
        }
        return v;
    }

    /**
     * {@code dataset.record_length_bytes_stdev} (DLIO's older name {@code record_length_stdev}): 0 when
     * absent; a fraction is allowed, as DLIO takes it.
     */
    static double recordLengthStdev(ConfigNode d) throws ConfigException {
        String key = alias(d, "record_length_bytes_stdev", "record_length_stdev");
        if (key == null) {
            return 0;
        }
        double v = d.doubleValue(key, 0);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigException(d.pathOf(key), v + " must be 0 or more");
        }
        return v;
    }

    /**
     * {@code dataset.record_length_bytes_resize} (DLIO's older name {@code record_length_resize}):
     * the bytes the reader hands on per sample; 0 when absent (the sample as read).
     */
    public static long recordLengthResize(ConfigNode d) throws ConfigException {
        String key = alias(d, "record_length_bytes_resize", "record_length_resize");
        if (key == null) {
            return 0;
        }
        double v = d.doubleValue(key, 0);
        if (!(v >= 0) || v > ColumnSpec.MAX_BLOB_SIZE) {
            throw new ConfigException(d.pathOf(key), v + " is outside 0.." + ColumnSpec.MAX_BLOB_SIZE);
        }
        return (long) v;
    }

    /** The key of a pair of aliases that is present (an error when both are, disagreeing), or null. */
    private static String alias(ConfigNode d, String name, String older) throws ConfigException {
        boolean a = d.has(name);
        boolean b = d.has(older);
        if (a && b && !String.valueOf(d.raw(name)).equals(String.valueOf(d.raw(older)))) {
            throw new ConfigException(d.pathOf(older), d.raw(older) + " disagrees with " + d.pathOf(name) + " = " + d.raw(name)
                    + " (" + older + " is DLIO's older name: give one)");
        }
        return a ? name : b ? older : null;
    }

    private static long samplesPerFile(ConfigNode d) throws ConfigException {
        long perFile = d.longValue("num_samples_per_file", -1, 1);
        long alias = d.longValue("num_samples", -1, 1);
        if (perFile > 0 && alias > 0 && perFile != alias) {
            throw new ConfigException(d.pathOf("num_samples"), alias + " disagrees with " + d.pathOf("num_samples_per_file")
                    + " = " + perFile + " (num_samples is an alias: give one)");
        }
        return perFile > 0 ? perFile : alias > 0 ? alias : 1;
    }

    private static ColumnSpec column(ConfigNode c) throws ConfigException {
        String name = c.string("name", null);
        if (name == null || name.isBlank()) {
            throw new ConfigException(c.pathOf("name"), "missing: every column needs a name");
        }
        String dtypeName = c.string("dtype", null);
        if (dtypeName == null) {
            throw new ConfigException(c.pathOf("dtype"), "missing for column '" + name + "'; valid: " + DType.VALID_NAMES);
        }
        DType dtype;
        try {
            dtype = DType.fromConfigName(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.pathOf("dtype"), e.getMessage() + " (column '" + name + "')");
        }
        int size = c.intValue("size", 1, 1);
        if (size > ColumnSpec.MAX_SIZE) {
            throw new ConfigException(c.pathOf("size"), size + " is larger than " + ColumnSpec.MAX_SIZE);
        }
        return new ColumnSpec(name, dtype, size, c.bool("read", true));
    }

}
