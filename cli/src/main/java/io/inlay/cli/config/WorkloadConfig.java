package io.inlay.cli.config;

import io.inlay.engine.dataset.DatasetSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A loaded workload config: the dataset mapped onto the engine's {@link DatasetSpec}, and the rest
 * of the file kept as {@link ConfigNode}s ({@code reader}, {@code train}, {@code metric},
 * {@code workflow}, ...) for the commands that map them. Immutable.
 *
 * @param source the file it came from
 * @param dataset the {@code dataset} section
 * @param compressionLevel {@code dataset.compression_level}, when given
 * @param root the whole config, overrides applied
 * @param warnings what the config holds that Inlay ignores, one line each, starting with
 *     {@code warning: } (a key nobody knows, likely a typo) or {@code note: } (a DLIO key Inlay does
 *     not implement); see {@link KnownKeys}
 * @param overrides the key path each command-line override set, mapped to the override as given
 */
public record WorkloadConfig(Path source, DatasetSpec dataset, OptionalInt compressionLevel, ConfigNode root,
        List<String> warnings, Map<String, String> overrides) {

    public WorkloadConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(compressionLevel, "compressionLevel");
        Objects.requireNonNull(root, "root");
        warnings = List.copyOf(warnings);
        overrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overrides));
    }

    /** {@code e}, found while mapping another section, attributed to its override or to the file. */
    public ConfigException attribute(ConfigException e) {
        return ConfigLoader.attribute(e, source, overrides);
    }

    /** {@code dataset.record_length_bytes} as written (DLIO allows a fraction). */
    public double recordLength() {
        return dataset.recordLengthBytes();
    }

    /** {@code dataset.record_length_bytes_resize}: bytes the reader hands on per sample, 0 for the sample as read. */
    public long recordLengthResize() throws ConfigException {
        Optional<ConfigNode> d = root.section("dataset");
        return d.isPresent() ? ConfigLoader.recordLengthResize(d.get()) : 0;
    }

    /** A top-level section ({@code reader}, {@code train}, {@code metric}, ...), if present. */
    public Optional<ConfigNode> section(String name) throws ConfigException {
        return root.section(name);
    }
}
