package io.inlay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.dlio.ResultFolder;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        description = {"Generate a workload's dataset where files are missing (unless workflow.generate_data is False), then run"
            + " the training read (unless workflow.train is False); default: a small built-in workload."})
final class RunCommand implements Callable<Integer> {
    static final String BUILTIN = "builtin-workload.yaml";
    static final Path BUILTIN_TARGET = Path.of("data", "inlay-run", "workload.yaml");

    @Option(names = "--config", paramLabel = "FILE", description = "The workload YAML (default: the built-in workload).")
    Path config;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides, for both steps.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the read's figures as JSON to FILE ('-': standard output).")
    Path json;

    @Option(names = "--evict-cache", description = "Drop each file from the page cache after reading it.")
    boolean evictCache;

    @Option(names = "--output", paramLabel = "DIR", description = "DLIO's result folder (default: output.folder, else"
            + " results/<workload>/<time>).")
    Path output;

    @Option(names = "--trace", description = "Write this rank's timeline (trace-{rank}-of-{size}.pfw) into the result folder.")
    boolean trace;

    @Option(names = "--trace-gzip", description = "The same, gzip-compressed (.pfw.gz).")
    boolean traceGzip;
    @Mixin
    RankOptions ranks = new RankOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    IoFlags io = new IoFlags();

    @Spec
    CommandSpec spec;

    /** The environment ranks are read from; tests replace it. */
    Map<String, String> environment = System.getenv();

    private static final String NAME = "inlay run";

    @Override
    public Integer call() {
        overrides = io.apply(overrides);
        PrintWriter err = spec.commandLine().getErr();
        Path cfg = config;
        if (cfg == null) {
            try {
                cfg = writeBuiltin();
            } catch (IOException e) {
                return Failures.report(err, "run", e, common.verbose);
            }
            err.println(NAME + ": built-in workload " + cfg + " (pass --config FILE for another)");
        }
        try {
            OutputFiles.check(json, "--json");
        } catch (OutputFiles.Unwritable e) {
            err.println(NAME + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        WorkloadConfig workload = null;
        TrainingConfig training;
        try {
            workload = ConfigLoader.load(cfg, overrides);
            training = TrainingConfig.of(workload);
        } catch (ConfigException e) {
            err.println(NAME + ": " + (workload == null ? e : workload.attribute(e)).describe());
            err.flush();
            return Main.EXIT_USAGE;
        }
        // generate where files are missing unless the config says workflow.generate_data: False
        boolean generate = training.generateData() == null || training.generateData();
        String name = ReadCommand.workloadName(cfg);
        Path config = cfg;
        List<String> shared = new ArrayList<>(ranks.asArguments());
        if (common.quiet) {
            shared.add("--quiet");
        }
        if (common.verbose) {
            shared.add("--verbose");
        }
        Supplier<GenerateCommand> generator = () -> {
            GenerateCommand g = new GenerateCommand();
            g.name = NAME;
            g.environment = environment;
            g.summaryToStderr = OutputFiles.isStdout(json);
            List<String> args = new ArrayList<>(List.of("--config", config.toString()));
            args.addAll(shared);
            new CommandLine(g).parseArgs(args.toArray(String[]::new));
            return g;
        };
        Workflow.Options o = new Workflow.Options("run", generate, training.train(), false, evictCache, json, output,
                Path.of("results", name), ResultFolder.DEFAULT_CONFIG_SUBDIR, ReadCommand.overrideItems(name, overrides), name,
                ReadCommand.hydra(output, ResultFolder.DEFAULT_CONFIG_SUBDIR, name, overrides), common.quiet, common.verbose, false,
                false, ranks.rank, ranks.worldSize, generator, trace, traceGzip);
        return new Workflow(workload, training, o, environment, spec.commandLine().getOut(), err).run();
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
