package io.inlay.cli.mpi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds the MPI launchers installed here and runs a Java main under them, for tests. */
public final class MpiRunner {
    private MpiRunner() {}

    /** An installed launcher: Open MPI's or MPICH's. */
    public enum Flavour {
        OPEN_MPI("mpirun.openmpi", List.of("--oversubscribe", "--allow-run-as-root")),
        MPICH("mpirun.mpich", List.of());

        final String command;
        final List<String> options;

        Flavour(String command, List<String> options) {
            this.command = command;
            this.options = options;
        }

        /** The launcher's path, when it is installed. */
        public Optional<Path> find() {
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
            for (String d : path.split(":")) {
                Path p = Path.of(d.isEmpty() ? "." : d, command);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        /** Why a test is skipped without it. */
        public String missing() {
            return command + " is not installed (apt-get install -y " + (this == OPEN_MPI ? "openmpi-bin libopenmpi-dev" : "mpich")
                    + ")";
        }
    }

    /** What the ranks printed, and the launcher's exit code. */
    public record Result(int exit, String output) {}

    /** The java command of this JVM with the test class path. */
    public static List<String> java(String mainClass, List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** Runs {@code command} as {@code np} ranks. */
    public static Result run(Flavour flavour, int np, List<String> command, Map<String, String> env, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(flavour.find().orElseThrow().toString());
        cmd.addAll(flavour.options);
        cmd.addAll(List.of("-np", String.valueOf(np)));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(flavour.command + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
