package io.inlay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code inlay} command: one subcommand per job. */
@Command(name = "inlay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Parquet engine for DLIO / MLPerf Storage workloads.",
        subcommands = {CommandLine.HelpCommand.class, RunCommand.class, GenerateCommand.class, ReadCommand.class,
            ReportCommand.class, InspectCommand.class, CatCommand.class, VerifyCommand.class, CodecsCommand.class,
            DlioBenchmarkCommand.class})
public final class Main implements Runnable {

    /** Exit codes shared by every subcommand. */
    public static final int EXIT_OK = 0;
    /** A file or dataset failed: corrupt, missing, or failed validation. */
    public static final int EXIT_FAILURE = 1;
    /** Bad usage or a bad config. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: exit codes, and one-line usage errors. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        // bad usage: one line naming the problem, not the whole usage text
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            c.getErr().flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reports the version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"inlay " + (v == null ? "dev" : v)};
        }
    }
}
