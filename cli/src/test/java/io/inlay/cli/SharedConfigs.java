package io.inlay.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The workload configs in ../shared/configs, which the CLI must accept unchanged. */
public final class SharedConfigs {
    private SharedConfigs() {}

    public static Path dir() {
        Path d = Path.of(System.getProperty("shared.dir", "../../shared")).resolve("configs");
        assumeTrue(Files.isDirectory(d), "shared configs not found at " + d.toAbsolutePath() + " (set -Dshared.dir)");
        return d;
    }

    public static Path config(String name) {
        return dir().resolve(name);
    }

    public static List<Path> all() throws Exception {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
