package io.inlay.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the inlay command line in-process with captured output and a given environment. */
final class Cli {
    private Cli() {}

    record Result(int exit, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        GenerateCommand generate = cl.getSubcommands().get("generate").getCommand();
        generate.environment = env;
        ReadCommand read = cl.getSubcommands().get("read").getCommand();
        read.environment = env;
        RunCommand run = cl.getSubcommands().get("run").getCommand();
        run.environment = env;
        int exit = Main.execute(cl, args);
        return new Result(exit, out.toString(), err.toString());
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }
}
