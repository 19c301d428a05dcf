package io.inlay.cli.config;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads a DLIO workload YAML (YAML 1.2, snakeyaml-engine), applies {@code key=value} overrides and
 * maps the {@code dataset} section onto the engine's {@link DatasetSpec}. Sections that do not
 * concern storage ({@code model}, {@code framework}, {@code workflow}, {@code train},
 * {@code reader}, {@code metric}, ...) are kept unmapped in {@link WorkloadConfig#root()} and never
 * rejected. Every error is a {@link ConfigException} naming the key path and the bad value.
 * Stateless and thread-safe.
 */
public final class ConfigLoader {
    /** Keys of {@code dataset} that Inlay maps. */
    private static final Set<String> DATASET_KEYS = Set.of("data_folder", "format", "num_files_train", "num_files_eval",
            "num_samples_per_file", "num_samples", "num_subfolders_train", "num_subfolders_eval", "file_prefix",
            "record_length_bytes", "compression", "compression_level", "parquet");
    /** DLIO's other {@code dataset} keys: meaningful to DLIO's own generators, ignored here without a warning. */
    private static final Set<String> DLIO_DATASET_KEYS = Set.of("record_length_bytes_stdev", "record_length_bytes_resize",
            "record_length", "keep_files", "enable_chunking", "chunk_size", "generation_type", "data_loader");
    private static final Set<String> PARQUET_KEYS = Set.of("columns", "row_group_size", "read_mode", "partition_by");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "dtype", "size", "read");

    private ConfigLoader() {}

    /**
     * Loads {@code file} and applies {@code overrides} ({@code dataset.num_files_train=8},
     * {@code ++workload.dataset.num_files_train=8}).
     */
    public static WorkloadConfig load(Path file, List<String> overrides) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read the config: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
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
            throw new ConfigException("", "YAML syntax error" + where + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException("", "YAML syntax error: " + e.getMessage());
        }
        if (tree == null) {
            tree = new java.util.LinkedHashMap<String, Object>();
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new ConfigException("", "expected a mapping of sections (dataset:, reader:, ...), got "
                    + ConfigNode.describe(tree));
        }
        Map<String, Object> map = (Map<String, Object>) tree;
        Overrides.apply(map, overrides);
        ConfigNode root = new ConfigNode("", map);
        List<String> warnings = new ArrayList<>();
        ConfigNode dataset = root.section("dataset").orElseThrow(() -> new ConfigException("dataset",
                "missing: a workload config needs a dataset section"));
        DatasetSpec spec = dataset(dataset, warnings);
        OptionalInt level = dataset.has("compression_level")
                ? OptionalInt.of(dataset.intValue("compression_level", 0, Integer.MIN_VALUE)) : OptionalInt.empty();
        return new WorkloadConfig(source, spec, level, root, warnings);
    }

    private static DatasetSpec dataset(ConfigNode d, List<String> warnings) throws ConfigException {
        warnUnknown(d, DATASET_KEYS, DLIO_DATASET_KEYS, warnings);
        String format = d.string("format", "parquet");
        if (!format.strip().equalsIgnoreCase("parquet")) {
            throw new ConfigException(d.pathOf("format"), "'" + format + "' is not supported: Inlay reads and writes parquet");
        }
        DatasetSpec.Builder b = DatasetSpec.builder(Path.of(d.string("data_folder", "./data/")))
                .numFilesTrain(d.intValue("num_files_train", 8, 0))
                .numFilesEval(d.intValue("num_files_eval", 0, 0))
                .numSubfoldersTrain(d.intValue("num_subfolders_train", 0, 0))
                .numSubfoldersEval(d.intValue("num_subfolders_eval", 0, 0))
                .filePrefix(d.string("file_prefix", DatasetSpec.DEFAULT_PREFIX))
                .recordLengthBytes(Math.round(recordLength(d)))
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
            warnUnknown(p, PARQUET_KEYS, Set.of(), warnings);
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
                    warnUnknown(c, COLUMN_KEYS, Set.of(), warnings);
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
     * {@code dataset.record_length_bytes}: DLIO allows a fraction (resnet50's 114660.07); the
     * generator writes it rounded, DLIO's I/O figure uses it as given.
     */
    static double recordLength(ConfigNode d) throws ConfigException {
        if (d.raw("record_length_bytes") instanceof Double) {
            double v = d.doubleValue("record_length_bytes", DatasetSpec.DEFAULT_RECORD_LENGTH);
            if (!(v >= 1) || Double.isInfinite(v)) {
                throw new ConfigException(d.pathOf("record_length_bytes"), v + " must be at least 1");
            }
            return v;
        }
        return d.longValue("record_length_bytes", DatasetSpec.DEFAULT_RECORD_LENGTH, 1);
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

    private static void warnUnknown(ConfigNode node, Set<String> known, Set<String> quiet, List<String> warnings) {
        for (String k : node.keys()) {
            if (!known.contains(k) && !quiet.contains(k)) {
                warnings.add(node.pathOf(k) + " is not a key Inlay knows; ignored");
            }
        }
    }
}
