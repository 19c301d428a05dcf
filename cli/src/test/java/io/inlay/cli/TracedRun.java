package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small traced run for the trace and report tests: the built-in workload (8 files of 2,048
 * samples) generated once, then read by {@code ranks} ranks (processes without a launcher,
 * {@code --rank r --world-size W}, one after the other in this JVM) for {@code epochs} epochs with
 * {@code --trace}, each into {@code results/r<rank>/}.
 */
final class TracedRun {
    final Path config;
    final Path data;
    final Path results;

    private TracedRun(Path config, Path data, Path results) {
        this.config = config;
        this.data = data;
        this.results = results;
    }

    static TracedRun make(Path dir, int ranks, int epochs, String... more) throws IOException {
        Path config = dir.resolve("workload.yaml");
        try (InputStream in = RunCommand.class.getResourceAsStream("builtin-workload.yaml")) {
            Files.copy(in, config);
        }
        Path data = dir.resolve("data");
        Cli.Result g = Cli.run("generate", "--config", config.toString(), "--quiet", "dataset.data_folder=" + data);
        assertEquals(0, g.exit(), g.err());
        Path results = dir.resolve("results");
        for (int r = 0; r < ranks; r++) {
            List<String> args = new ArrayList<>(List.of("read", "--config", config.toString(), "--trace", "--quiet",
                    "--rank", String.valueOf(r), "--world-size", String.valueOf(ranks), "--output", results.resolve("r" + r).toString(),
                    "dataset.data_folder=" + data, "train.epochs=" + epochs));
            args.addAll(List.of(more));
            Cli.Result read = Cli.run(Map.of(), args.toArray(String[]::new));
            assertEquals(0, read.exit(), read.err());
        }
        return new TracedRun(config, data, results);
    }

    Path trace(int rank, int ranks) {
        return results.resolve("r" + rank).resolve("trace-" + rank + "-of-" + ranks + ".pfw");
    }
}
