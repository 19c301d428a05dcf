package io.inlay.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code inlay} command: one subcommand per job. */
@Command(name = "inlay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Parquet engine for DLIO / MLPerf Storage workloads.",
        footer = {"", "'inlay COMMAND --help' shows a command's options. JVM options go in JAVA_OPTS (JAVA_OPTS=-Xmx2g)."},
        subcommands = {CommandLine.HelpCommand.class, RunCommand.class, GenerateCommand.class, ReadCommand.class,
            ReportCommand.class, InspectCommand.class, CatCommand.class, VerifyCommand.class, CodecsCommand.class,
            DlioBenchmarkCommand.class})
public final class Main implements Callable<Integer> {

    /** Exit codes shared by every subcommand. */
    public static final int EXIT_OK = 0;
    /** A file or dataset failed: corrupt, missing, or failed validation. */
    public static final int EXIT_FAILURE = 1;
    /** Bad usage or a bad config. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // a thread of the run that dies of an error nobody catches: one line, not a stack trace
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            System.err.println("inlay: " + Failures.message(e));
            System.err.flush();
            if (e instanceof Error) {
                System.exit(EXIT_FAILURE);
            }
        });
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return execute(commandLine(), args);
    }

    /**
     * Executes {@code cl}; running out of memory anywhere in the command ends it with one line
     * saying how much heap there was and how to give more.
     */
    static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(cl, args, e);
        }
    }

    private static int outOfMemory(CommandLine cl, String[] args, OutOfMemoryError e) {
        String name = "inlay";
        for (String a : args) {
            if (cl.getSubcommands().containsKey(a)) {
                name = "inlay " + a;
                break;
            }
        }
        PrintWriter err = cl.getErr();
        err.println(name + ": " + Failures.outOfMemory(e));
        err.flush();
        return EXIT_FAILURE;
    }

    /** The configured command line: exit codes, and one-line usage errors. */
    static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /** Gives {@code cl} (the whole command line, or one command run by another) Inlay's error handling. */
    static CommandLine configure(CommandLine cl) {
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        // bad usage: one line naming the problem, not the whole usage text
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            c.getErr().flush();
            return EXIT_USAGE;
        });
        // a failure no command caught: one line (an out-of-memory error is rethrown to execute)
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw oom;
            }
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + Failures.message(e));
            c.getErr().flush();
            return EXIT_FAILURE;
        });
        return cl;
    }

    /** Without a command: the list of commands on stderr, and the exit code of bad usage. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("inlay: no command given");
        spec.commandLine().usage(err);
        err.flush();
        return EXIT_USAGE;
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
