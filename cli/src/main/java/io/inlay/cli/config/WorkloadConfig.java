package io.inlay.cli.config;

import io.inlay.engine.dataset.DatasetSpec;
import java.nio.file.Path;
import java.util.List;
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
 * @param warnings keys that were ignored, one line each
 */
public record WorkloadConfig(Path source, DatasetSpec dataset, OptionalInt compressionLevel, ConfigNode root,
        List<String> warnings) {

    public WorkloadConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(compressionLevel, "compressionLevel");
        Objects.requireNonNull(root, "root");
        warnings = List.copyOf(warnings);
    }

    /** {@code dataset.record_length_bytes} as written (DLIO allows a fraction); the dataset holds it rounded. */
    public double recordLength() throws ConfigException {
        Optional<ConfigNode> d = root.section("dataset");
        return d.isPresent() ? ConfigLoader.recordLength(d.get()) : dataset.recordLengthBytes();
    }

    /** A top-level section ({@code reader}, {@code train}, {@code metric}, ...), if present. */
    public Optional<ConfigNode> section(String name) throws ConfigException {
        return root.section(name);
    }
}
