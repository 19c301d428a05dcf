package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output paths and errors (issue 15, points 4 and 5): output folders are created, every output
 * path is checked before the work starts, {@code --json -} is standard output; every error is one
 * line with the path and the reason in words, never a Java exception's name; running out of heap
 * says how much there was and how to give more.
 */
class OutputsAndErrorsTest {
    /** A Java exception or error class name, as a message must never show one. */
    static final Pattern JAVA_NAME = Pattern.compile("\\b[A-Z][A-Za-z]*(Exception|Error)\\b|\\bjava\\.[a-z]+\\.");

    @TempDir
    Path dir;

    static void oneCleanLine(Cli.Result r, int exit, String expected) {
        assertEquals(exit, r.exit(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.contains(": note: ")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertEquals(expected, lines.get(0));
        assertFalse(JAVA_NAME.matcher(r.err()).find(), "no Java exception name: " + r.err());
    }

    private String seed() {
        return SharedConfigs.config("seed_example.yaml").toString();
    }

    private List<String> small(Path data) {
        return List.of("dataset.data_folder=" + data, "dataset.num_files_train=2", "dataset.num_samples=50", "--threads", "1");
    }

    private int runs;

    /** read and run write their result folder into this test's directory, a fresh one per run (not results/ in the working directory). */
    private Cli.Result run(String command, String config, List<String> rest) {
        List<String> args = new ArrayList<>(List.of(command, "--config", config));
        args.addAll(rest);
        if (!command.equals("generate")) {
            args.addAll(List.of("--output", dir.resolve("result-folders/" + command + "-" + runs++).toString()));
        }
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void jsonParentsCreated_dashIsStdout() throws Exception {
        Path data = dir.resolve("data");
        Path nested = dir.resolve("results/a/b/generate.json");
        List<String> args = new ArrayList<>(small(data));
        args.addAll(List.of("--json", nested.toString()));
        Cli.Result g = run("generate", seed(), args);
        assertEquals(0, g.exit(), g.err());
        assertEquals(2, ((Number) JSON.std.mapFrom(nested.toFile()).get("files")).intValue());

        List<String> dash = new ArrayList<>(small(data));
        dash.addAll(List.of("--overwrite", "--json", "-"));
        Cli.Result toStdout = run("generate", seed(), dash);
        assertEquals(0, toStdout.exit(), toStdout.err());
        Map<String, Object> m = JSON.std.mapFrom(toStdout.out());
        assertEquals(2, ((Number) m.get("files")).intValue(), "stdout is the JSON alone");
        assertTrue(toStdout.err().startsWith("generated 2 files"), "the summary line goes to stderr: " + toStdout.err());

        Path rank0 = dir.resolve("out/rank0.json");
        List<String> read = new ArrayList<>(small(data).subList(0, 3));
        read.addAll(List.of("--json", rank0.toString()));
        Cli.Result r = run("read", seed(), read);
        assertEquals(0, r.exit(), r.err());
        assertTrue(JSON.std.mapFrom(rank0.toFile()).containsKey("samples"));
        List<String> readDash = new ArrayList<>(small(data).subList(0, 3));
        readDash.addAll(List.of("--json", "-"));
        Cli.Result rd = run("read", seed(), readDash);
        assertEquals(0, rd.exit(), rd.err());
        assertTrue(JSON.std.mapFrom(rd.out()).containsKey("samples"), "read --json -: stdout is JSON");
        assertTrue(rd.err().contains("[METRIC]"), "the report goes to stderr");

        Cli.Result run = run("run", seed(), List.of("dataset.data_folder=" + data, "dataset.num_files_train=2",
                "dataset.num_samples=50", "--json", "-"));
        assertEquals(0, run.exit(), run.err());
        assertTrue(JSON.std.mapFrom(run.out()).containsKey("samples"), "run --json -: stdout is the read's JSON alone");
        assertTrue(run.err().contains("generated 0 files (2 kept)"), run.err());

        Cli.Result report = Cli.run("report", dir.resolve("out").toString(), "--json", "-");
        assertEquals(0, report.exit(), report.err());
        assertEquals(1, ((Number) JSON.std.mapFrom(report.out()).get("ranks_reported")).intValue());
    }

    @Test
    void badOutputPaths_refusedBeforeAnyWork() throws Exception {
        Path data = dir.resolve("never");
        Path aDir = Files.createDirectories(dir.resolve("adir"));
        Path aFile = Files.writeString(dir.resolve("afile"), "x");
        for (String command : List.of("generate", "read", "run")) {
            List<String> args = new ArrayList<>(small(data).subList(0, 3));
            args.addAll(List.of("--json", aDir.toString()));
            oneCleanLine(run(command, seed(), args), Main.EXIT_USAGE, "inlay " + command + ": --json " + aDir + ": is a directory");
            List<String> under = new ArrayList<>(small(data).subList(0, 3));
            under.addAll(List.of("--json", aFile.resolve("x.json").toString()));
            oneCleanLine(run(command, seed(), under), Main.EXIT_USAGE, "inlay " + command + ": --json " + aFile.resolve("x.json")
                    + ": cannot create its folder: " + aFile + " is a file, not a folder");
        }
        assertFalse(Files.exists(data), "nothing was generated or read");
        oneCleanLine(Cli.run("report", dir.toString(), "--json", aDir.toString()), Main.EXIT_USAGE,
                "inlay report: --json " + aDir + ": is a directory");
    }

    @Test
    void configErrors_pathAndReasonInWords() throws Exception {
        Path missing = dir.resolve("nope.yaml");
        for (String command : List.of("generate", "read", "run")) {
            oneCleanLine(run(command, missing.toString(), List.of()), Main.EXIT_USAGE, "inlay " + command + ": " + missing + ": not found");
            oneCleanLine(run(command, dir.toString(), List.of()), Main.EXIT_USAGE,
                    "inlay " + command + ": " + dir + ": is a directory, not a config file");
        }
        Path binary = Files.write(dir.resolve("binary.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        oneCleanLine(run("generate", binary.toString(), List.of()), Main.EXIT_USAGE,
                "inlay generate: " + binary + ": not a text file (it is not UTF-8)");
    }

    @Test
    void inputFileErrors_pathAndReasonInWords() throws Exception {
        Path missing = dir.resolve("missing.parquet");
        for (String command : List.of("inspect", "cat")) {
            oneCleanLine(Cli.run(command, dir.toString()), Main.EXIT_FAILURE, "inlay " + command + ": " + dir + ": is a directory");
            oneCleanLine(Cli.run(command, missing.toString()), Main.EXIT_FAILURE, "inlay " + command + ": " + missing + ": not found");
        }
        Cli.Result verify = Cli.run("verify", missing.toString());
        assertEquals(Main.EXIT_FAILURE, verify.exit());
        assertEquals("ERROR " + missing + ": not found", verify.out().strip());
        oneCleanLine(Cli.run("report", missing.toString()), Main.EXIT_USAGE, "inlay report: " + missing + ": not found");
    }

    @Test
    void verifyDirWithoutParquetFiles_saysSo_exit1() throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("empty/sub")).resolve("notes.txt"), "x");
        oneCleanLine(Cli.run("verify", dir.resolve("empty").toString()), Main.EXIT_FAILURE,
                "inlay verify: " + dir.resolve("empty") + ": no Parquet files (*.parquet) in this directory or below");
    }

    @Test
    void unwritableDataFolder_oneLine() throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && locked.toFile().setWritable(false, false)) {
            try {
                oneCleanLine(run("generate", seed(), small(locked.resolve("data"))), Main.EXIT_USAGE, "inlay generate:"
                        + " dataset.data_folder " + locked.resolve("data") + ": cannot be created: " + locked.resolve("data")
                        + ": permission denied");
            } finally {
                locked.toFile().setWritable(true, false);
            }
        }
        // as root every folder is writable: a read-only file system stands in for it
        Path proc = Path.of("/proc/self/inlay-data");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            Cli.Result r = run("generate", seed(), small(proc));
            assertEquals(Main.EXIT_USAGE, r.exit(), r.err());
            assertTrue(r.err().startsWith("inlay generate: dataset.data_folder " + proc + ": cannot be created: "), r.err());
            assertFalse(JAVA_NAME.matcher(r.err()).find(), r.err());
        }
    }

    /** At -Xmx16m, printing a 12 MB value as JSON runs out of heap: one line, how much, how to give more. */
    @Test
    void outOfHeap_oneLine_sayingHowToGiveMore() throws Exception {
        Path folder = dir.resolve("big");
        DatasetSpec spec = DatasetSpec.builder(folder).numFilesTrain(1).numSamplesPerFile(1)
                .columns(List.of(new ColumnSpec("blob", DType.BINARY, 12 << 20))).build();
        DatasetGenerator.generate(spec, GenerateOptions.defaults());
        Path file = GenerateCommandTest.parquetFiles(folder).get(0);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx16m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "cat", file.toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(Main.EXIT_FAILURE, p.exitValue(), err);
        assertEquals("inlay cat: out of Java heap (the limit is 16 MiB): give the JVM more with JAVA_OPTS=-Xmx256m (or larger)",
                err.strip());
    }
}
