package io.inlay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay run [--config FILE] [key=value ...]}: the main job in one command. Generates the
 * workload's dataset where files are missing, then runs the training read over it. Without
 * {@code --config} it uses a small built-in workload, written to {@code data/inlay-run/workload.yaml}
 * so that it can be read and edited.
 */
@Command(name = "run", sortOptions = false,
        description = {"Generate a workload's dataset if missing, then run the training read (default: a small built-in workload)."})
final class RunCommand implements Callable<Integer> {
    static final String BUILTIN = "builtin-workload.yaml";
    static final Path BUILTIN_TARGET = Path.of("data", "inlay-run", "workload.yaml");

    @Option(names = "--config", paramLabel = "FILE", description = "The workload YAML (default: the built-in workload).")
    Path config;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides, for both steps.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the read's figures as JSON to FILE.")
    Path json;

    @Option(names = "--evict-cache", description = "Drop each file from the page cache after reading it.")
    boolean evictCache;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path cfg = config;
        if (cfg == null) {
            try {
                cfg = writeBuiltin();
            } catch (IOException e) {
                return Failures.report(spec.commandLine().getErr(), "run", e, verbose);
            }
            spec.commandLine().getErr().println("inlay run: built-in workload " + cfg + " (pass --config FILE for another)");
        }
        CommandLine parent = spec.commandLine().getParent();
        List<String> gen = new ArrayList<>(List.of("generate", "--config", cfg.toString()));
        gen.addAll(overrides);
        if (verbose) {
            gen.add("--verbose");
        }
        int g = parent.execute(gen.toArray(String[]::new));
        if (g != Main.EXIT_OK) {
            return g;
        }
        List<String> read = new ArrayList<>(List.of("read", "--config", cfg.toString()));
        if (json != null) {
            read.add("--json");
            read.add(json.toString());
        }
        if (evictCache) {
            read.add("--evict-cache");
        }
        if (verbose) {
            read.add("--verbose");
        }
        read.addAll(overrides);
        return parent.execute(read.toArray(String[]::new));
    }

    /** Writes the built-in workload where the user can see it; keeps an existing copy. */
    static Path writeBuiltin() throws IOException {
        Path target = BUILTIN_TARGET.toAbsolutePath();
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = RunCommand.class.getResourceAsStream(BUILTIN)) {
                if (in == null) {
                    throw new IOException("the built-in workload is missing from the jar");
                }
                Files.copy(in, target);
            }
        }
        return BUILTIN_TARGET;
    }
}
