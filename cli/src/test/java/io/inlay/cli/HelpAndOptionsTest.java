package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help on every command (issue 15, point 1): {@code --help} and {@code -h} print the command's
 * usage on stdout and exit 0, whatever required option or parameter it has; the common options
 * come from one mixin; {@code inlay} alone is a usage error.
 */
class HelpAndOptionsTest {
    static final List<String> COMMANDS = List.of("run", "generate", "read", "report", "inspect", "cat", "verify", "codecs", "dlio_benchmark");

    @ParameterizedTest
    @ValueSource(strings = {"run", "generate", "read", "report", "inspect", "cat", "verify", "codecs"})
    void helpOnEveryCommand_exit0_noRequiredOptionInTheWay(String command) {
        for (String flag : List.of("--help", "-h")) {
            Cli.Result r = Cli.run(command, flag);
            assertEquals(0, r.exit(), command + " " + flag + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: inlay " + command), command + " " + flag + ": " + r.out());
            assertEquals("", r.err(), command + " " + flag);
        }
        // help wins over a missing required option/parameter given alongside others
        Cli.Result mixed = Cli.run(command, "--verbose", "--help");
        assertEquals(0, mixed.exit(), command + ": " + mixed.err());
        Cli.Result viaHelp = Cli.run("help", command);
        assertEquals(0, viaHelp.exit());
        assertTrue(viaHelp.out().startsWith("Usage: inlay " + command), viaHelp.out());
    }

    @Test
    void commonOptions_oneMixin_onEveryCommand() {
        CommandLine cl = Main.commandLine();
        Set<String> seen = new TreeSet<>(cl.getSubcommands().keySet());
        seen.remove("help");
        assertEquals(new TreeSet<>(COMMANDS), seen, "every command is tested here");
        for (String c : COMMANDS) {
            CommandLine sub = cl.getSubcommands().get(c);
            for (String o : List.of("--help", "-h", "--version", "--quiet", "--verbose")) {
                OptionSpec spec = sub.getCommandSpec().findOption(o);
                assertTrue(spec != null, c + " has " + o);
            }
            assertTrue(sub.getCommandSpec().mixins().values().stream()
                    .anyMatch(m -> m.userObject() instanceof CommonOptions), c + " takes them from CommonOptions");
        }
        for (String c : List.of("run", "generate", "read")) {
            CommandLine sub = cl.getSubcommands().get(c);
            assertTrue(sub.getCommandSpec().mixins().values().stream()
                    .anyMatch(m -> m.userObject() instanceof RankOptions), c + " takes --rank/--world-size from RankOptions");
            assertTrue(sub.getCommandSpec().findOption("--rank") != null && sub.getCommandSpec().findOption("--world-size") != null);
        }
    }

    @Test
    void noCommand_usageOnStderr_exit2() {
        Cli.Result r = Cli.run();
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("inlay: no command given"), r.err());
        assertTrue(r.err().contains("Commands:") && r.err().contains("codecs"), r.err());
        Cli.Result top = Cli.run("--help");
        assertEquals(0, top.exit());
        assertTrue(top.out().contains("generate") && top.out().contains("JAVA_OPTS"), top.out());
    }

    @Test
    void version_exit0() {
        for (String c : COMMANDS) {
            Cli.Result r = Cli.run(c, "--version");
            assertEquals(0, r.exit(), c);
            assertTrue(r.out().startsWith("inlay "), r.out());
        }
    }
}
