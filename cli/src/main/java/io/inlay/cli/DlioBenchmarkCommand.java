package io.inlay.cli;

import io.inlay.cli.config.ConfigException;
import io.inlay.cli.config.ConfigLoader;
import io.inlay.cli.config.TrainingConfig;
import io.inlay.cli.config.WorkloadConfig;
import io.inlay.cli.dlio.ResultFolder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay dlio_benchmark ...} (what {@code bin/dlio_benchmark} runs): DLIO's own command line,
 * as mlpstorage calls it, so that {@code --dlio-bin-path <repo>/bin} runs Inlay:
 *
 * <pre>
 * dlio_benchmark workload=NAME --config-dir=DIR        loads DIR/workload/NAME.yaml
 *     ++workload.KEY=VALUE ...                          overrides (also +workload.KEY=VALUE, workload.KEY=VALUE)
 *     ++workload.workflow.generate_data=True|False      generate this rank's share of the dataset
 *     ++workload.workflow.train=True|False              run the training read
 *     ++hydra.run.dir=DIR  ++hydra.output_subdir=NAME   the result folder, and its saved-config folder
 * </pre>
 *
 * Defaults are DLIO's: no generation, training on, result folder
 * {@code hydra_log/<model>/<date>-<time>}, saved config in {@code .hydra}. As DLIO,
 * {@code train.total_training_steps} beyond the data stops the run ("Only have enough data for N
 * steps"). A non-parquet format is one clear error naming it, except in a checkpoint-only run
 * ({@code workflow.train: False}, {@code workflow.checkpoint: True}), which touches no dataset.
 */
@Command(name = "dlio_benchmark", sortOptions = false,
        description = {"DLIO's command line (as mlpstorage runs it): workload=NAME --config-dir=DIR ++workload.KEY=VALUE ...",
            "++hydra.run.dir=DIR ++hydra.output_subdir=NAME. bin/dlio_benchmark runs this."})
final class DlioBenchmarkCommand implements Callable<Integer> {
    @Option(names = {"--config-dir", "-cd"}, paramLabel = "DIR", description = "The folder holding workload/NAME.yaml.")
    Path configDir;

    @Option(names = {"--config-name", "-cn"}, paramLabel = "NAME", description = "Accepted for DLIO's command line; DLIO's"
            + " top config is 'config' and only workload= selects a workload.")
    String configName;

    @Option(names = "--allow-idle-ranks", description = "Let a rank with no files take part without reading.")
    boolean allowIdleRanks;

    @Parameters(paramLabel = "OVERRIDE", arity = "0..*", description = "workload=NAME, ++workload.KEY=VALUE, ++hydra.run.dir=DIR,"
            + " ++hydra.output_subdir=NAME.")
    List<String> args = new ArrayList<>();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** The environment MPI is detected from; tests replace it. */
    Map<String, String> environment = System.getenv();

    /** The command line taken apart. */
    record Parsed(String workload, List<String> workloadOverrides, List<String> items, String runDir, String outputSubdir,
            List<String> ignored) {}

    /**
     * Splits DLIO's overrides into the workload's, Hydra's and the rest.
     *
     * @throws IllegalArgumentException naming an argument DLIO would not take
     */
    static Parsed parse(List<String> args) {
        String workload = null;
        List<String> overrides = new ArrayList<>();
        List<String> items = new ArrayList<>();
        String runDir = null;
        String subdir = null;
        List<String> ignored = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + a + "' is not an override: DLIO takes workload=NAME,"
                        + " ++workload.KEY=VALUE and ++hydra.KEY=VALUE");
            }
            String key = a.substring(0, eq).replaceFirst("^[+~]{1,2}", "");
            String value = a.substring(eq + 1);
            if (key.equals("workload")) {
                workload = value;
                items.add(a);
            } else if (key.startsWith("workload.")) {
                overrides.add(key + "=" + value);
                items.add(a);
            } else if (key.equals("hydra.run.dir")) {
                runDir = value;
            } else if (key.equals("hydra.output_subdir")) {
                subdir = value;
            } else if (key.startsWith("hydra.")) {
                ignored.add(a);
            } else {
                throw new IllegalArgumentException("'" + a + "': DLIO's overrides are workload=NAME, ++workload.KEY=VALUE"
                        + " and ++hydra.KEY=VALUE");
            }
        }
        if (workload == null) {
            throw new IllegalArgumentException("no workload=NAME: name the workload (DIR/workload/NAME.yaml with --config-dir=DIR)");
        }
        return new Parsed(workload, overrides, items, runDir, subdir, ignored);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String me = "dlio_benchmark (inlay): ";
        Parsed p;
        try {
            p = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(me + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        Path yaml = workloadFile(p.workload());
        if (!Files.isRegularFile(yaml)) {
            err.println(me + "workload=" + p.workload() + ": " + yaml + " is not there" + (configDir == null
                    ? " (give --config-dir=DIR, the folder holding workload/" + p.workload() + ".yaml; DLIO's bundled workloads"
                    + " are not shipped with Inlay)" : ""));
            err.flush();
            return Main.EXIT_USAGE;
        }
        for (String i : p.ignored()) {
            err.println(me + "warning: " + i + " is a Hydra setting Inlay does not use; ignored");
        }
        WorkloadConfig workload;
        TrainingConfig training;
        try {
            workload = ConfigLoader.load(yaml, p.workloadOverrides());
            training = TrainingConfig.of(workload);
        } catch (ConfigException e) {
            err.println(me + yaml + ": " + e.getMessage() + (e.keyPath().equals("dataset.format")
                    ? " (mlpstorage's open division allows ++workload.dataset.format=parquet)" : ""));
            err.flush();
            return Main.EXIT_USAGE;
        }
        boolean generate = training.generateData() != null && training.generateData();
        String model = modelName(workload, p.workload());
        Path parent = Path.of("hydra_log", model);
        Path folder = p.runDir() != null ? Path.of(p.runDir()) : parent.resolve("<time>");
        String subdir = p.outputSubdir() != null ? p.outputSubdir() : ".hydra";
        Map<String, Object> hydra = hydra(folder, subdir, p);
        Supplier<GenerateCommand> generator = () -> {
            GenerateCommand g = new GenerateCommand();
            new CommandLine(g).parseArgs("--config", yaml.toString());
            g.environment = environment;
            return g;
        };
        Workflow.Options o = new Workflow.Options("dlio_benchmark", generate, training.train(), true, false, null,
                p.runDir() != null ? folder : null, parent, subdir, p.items(), p.workload(), hydra, common.quiet, common.verbose, allowIdleRanks,
                false, null, null, generator, false, false);
        return new Workflow(workload, training, o, environment, spec.commandLine().getOut(), err).run();
    }

    private Path workloadFile(String name) {
        Path n = Path.of(name.endsWith(".yaml") ? name : name + ".yaml");
        if (configDir == null) {
            return n.isAbsolute() ? n : Path.of("workload").resolve(n);
        }
        return configDir.resolve("workload").resolve(n);
    }

    private static String modelName(WorkloadConfig w, String fallback) {
        try {
            var model = w.section("model");
            if (model.isPresent() && model.get().has("name")) {
                return model.get().string("name", fallback);
            }
        } catch (ConfigException e) {
            // model: as plain text (older DLIO configs): use the workload's name
        }
        return fallback;
    }

    private Map<String, Object> hydra(Path dir, String subdir, Parsed p) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("run", Map.of("dir", dir.toString()));
        h.put("output_subdir", subdir);
        Map<String, Object> ov = new LinkedHashMap<>();
        List<String> hydraItems = new ArrayList<>();
        if (p.runDir() != null) {
            hydraItems.add("++hydra.run.dir=" + p.runDir());
        }
        if (p.outputSubdir() != null) {
            hydraItems.add("++hydra.output_subdir=" + p.outputSubdir());
        }
        hydraItems.addAll(p.ignored());
        ov.put("hydra", hydraItems);
        ov.put("task", p.items());
        h.put("overrides", ov);
        h.put("job", Map.of("name", "dlio_benchmark", "chdir", false));
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("version", "inlay " + Workflow.version());
        runtime.put("output_dir", dir.toAbsolutePath().toString());
        runtime.put("choices", Map.of("workload", p.workload()));
        if (configDir != null) {
            runtime.put("config_sources", List.of(Map.of("path", configDir.toAbsolutePath().toString(), "provider", "command-line")));
        }
        h.put("runtime", runtime);
        return h;
    }
}
