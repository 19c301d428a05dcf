package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generating child JVM killed outright (SIGKILL) in the middle of a file leaves no incomplete
 * file under a final name, and a re-run completes the dataset and removes the temporary files.
 * {@link #killedAtRandomPoints_manyTrials} kills it at uniformly random moments of a whole run
 * ({@code -Dcrash.trials}, default 12): whatever it left under a final name must be byte for byte
 * the file an uninterrupted run writes.
 */
class CrashSafetyTest {
    static final int FILES = 3;
    static final int ROWS = 16_384;

    @TempDir
    Path dir;

    @Test
    void killedMidFile_noIncompleteFinalFile_rerunCompletes() throws Exception {
        Path data = dir.resolve("data");
        List<String> args = List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=" + FILES, "dataset.num_samples=" + ROWS,
                "--threads", "1", "--quiet");
        // the kill must land while a file is half written: retry in the rare case it falls between two files
        List<Path> temps = List.of();
        for (int attempt = 0; attempt < 5 && temps.isEmpty(); attempt++) {
            deleteAll(data);
            temps = killWhileWriting(args, data);
        }
        assertTrue(!temps.isEmpty(), "the child was killed with a file half written");
        for (Path t : temps) {
            assertTrue(t.getFileName().toString().startsWith(".img_"), t.toString());
        }
        List<Path> finals = finalFiles(data);
        assertTrue(finals.size() < FILES, "the run was interrupted: " + finals);
        for (Path f : finals) {
            Object rows = GenerateCommandTest.query("SELECT count(*) FROM read_parquet('" + f + "')").get(0)[0];
            assertEquals(ROWS, ((Number) rows).intValue(), f + " is complete");
        }

        Cli.Result rerun = Cli.run(args.toArray(String[]::new));
        assertEquals(0, rerun.exit(), rerun.err());
        assertEquals(FILES, finalFiles(data).size());
        assertEquals(List.of(), tempFiles(data), "no temporary file remains");
        Object total = GenerateCommandTest.query("SELECT count(*) FROM read_parquet('" + data + "/train/*.parquet')").get(0)[0];
        assertEquals((long) FILES * ROWS, ((Number) total).longValue());
    }

    @Test
    void killedAtRandomPoints_manyTrials() throws Exception {
        int trials = Integer.getInteger("crash.trials", 12);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        java.util.Random random = new java.util.Random(seed);
        Path data = dir.resolve("trials");
        Path reference = dir.resolve("reference");
        List<String> common = List.of("--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.num_files_train=6", "dataset.num_samples=3000", "dataset.compression=snappy", "--threads", "2",
                "--quiet");
        List<String> referenceArgs = new ArrayList<>(List.of("generate", "dataset.data_folder=" + reference));
        referenceArgs.addAll(common);
        Cli.Result clean = Cli.run(referenceArgs.toArray(String[]::new));
        assertEquals(0, clean.exit(), clean.err());
        java.util.Map<Path, byte[]> expected = new java.util.TreeMap<>();
        for (Path f : finalFiles(reference)) {
            expected.put(reference.relativize(f), Files.readAllBytes(f));
        }
        assertEquals(6, expected.size());

        List<String> args = new ArrayList<>(List.of("generate", "dataset.data_folder=" + data));
        args.addAll(common);
        // how long an uninterrupted child run takes, start-up included: kills are spread over it
        long t0 = System.nanoTime();
        Process whole = child(args);
        assertTrue(whole.waitFor(120, TimeUnit.SECONDS), "an uninterrupted child run ends");
        assertEquals(0, whole.exitValue());
        long runNanos = System.nanoTime() - t0;
        assertDatasetEquals(expected, data, "an uninterrupted child run");

        int withTemporary = 0;
        int withSomeFinal = 0;
        int complete = 0;
        for (int trial = 0; trial < trials; trial++) {
            deleteAll(data);
            long delay = (long) (random.nextDouble() * runNanos * 1.1);
            Process p = child(args);
            boolean ended = p.waitFor(delay, TimeUnit.NANOSECONDS);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            String where = "trial " + trial + " (seed " + seed + ", killed after " + delay / 1_000_000 + " ms of "
                    + runNanos / 1_000_000 + ")";
            List<Path> finals = finalFiles(data);
            withTemporary += tempFiles(data).isEmpty() ? 0 : 1;
            withSomeFinal += finals.isEmpty() ? 0 : 1;
            complete += ended || finals.size() == expected.size() ? 1 : 0;
            for (Path f : finals) {
                byte[] want = expected.get(data.relativize(f));
                assertTrue(want != null, where + ": unexpected file " + f);
                assertTrue(java.util.Arrays.equals(want, Files.readAllBytes(f)),
                        where + ": " + f + " is under its final name but is not the file an uninterrupted run writes");
            }
            for (Path t : tempFiles(data)) {
                assertTrue(t.getFileName().toString().endsWith(".inlay-tmp"), where + ": " + t);
            }
            Cli.Result rerun = Cli.run(args.toArray(String[]::new));
            assertEquals(0, rerun.exit(), where + ": the re-run: " + rerun.err());
            assertDatasetEquals(expected, data, where + ", then re-run");
            assertEquals(List.of(), tempFiles(data), where + ": no temporary file remains after the re-run");
        }
        System.out.printf("crash trials: %d kills (seed %d, spread over %d ms), %d left a temporary file, %d some"
                + " final files, %d had finished%n", trials, seed, runNanos / 1_000_000, withTemporary, withSomeFinal,
                complete);
    }

    /**
     * A real I/O error in the middle of a file, from the kernel: the child runs under {@code ulimit -f}
     * (RLIMIT_FSIZE, as a quota or a full disk would stop it), so a write past 4 MiB fails with EFBIG.
     */
    @Test
    void ioErrorMidWrite_exit1_oneLine_noPartialFile() throws Exception {
        Path bash = Path.of("/bin/bash");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bash), "needs /bin/bash for ulimit");
        Path data = dir.resolve("limited");
        List<String> cmd = new ArrayList<>(List.of(bash.toString(), "-c", "ulimit -f 4096; exec \"$@\"", "inlay"));
        cmd.addAll(childCommand(List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=3", "dataset.num_samples=2000", "--threads", "2")));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(Main.EXIT_FAILURE, p.exitValue(), err);
        String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, err);
        assertTrue(lines[0].startsWith("inlay generate: writing " + data.resolve("train")) && lines[0].contains("column '")
                && lines[0].endsWith("File too large"), err);
        assertEquals(List.of(), tempFiles(data), "the partial files are removed");
        assertEquals(List.of(), finalFiles(data), "no file reached its final name");
    }

    /** The command line of a child JVM running the CLI with {@code args}, on this test's class path. */
    private static List<String> childCommand(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    private static Process child(List<String> args) throws Exception {
        return new ProcessBuilder(childCommand(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void assertDatasetEquals(java.util.Map<Path, byte[]> expected, Path data, String where) throws Exception {
        List<Path> finals = finalFiles(data);
        assertEquals(expected.size(), finals.size(), where + ": " + finals);
        for (Path f : finals) {
            byte[] want = expected.get(data.relativize(f));
            assertTrue(want != null && java.util.Arrays.equals(want, Files.readAllBytes(f)), where + ": " + f + " differs");
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            // renamed into place meanwhile
            return -1;
        }
    }

    /** Starts the generator in a child JVM, kills it once a temporary file has data, returns the temporary files left. */
    private static List<Path> killWhileWriting(List<String> args, Path data) throws Exception {
        Process p = child(args);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (tempFiles(data).stream().anyMatch(t -> sizeOf(t) > (1 << 20))) {
                    p.destroyForcibly();
                    break;
                }
                Thread.sleep(2);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return tempFiles(data);
    }

    private static List<Path> tempFiles(Path data) throws Exception {
        return walk(data).stream().filter(f -> f.getFileName().toString().endsWith(".inlay-tmp")).toList();
    }

    private static List<Path> finalFiles(Path data) throws Exception {
        return walk(data).stream().filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
    }

    private static List<Path> walk(Path data) throws Exception {
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (java.io.UncheckedIOException e) {
            // a file renamed while walking: look again
            return walk(data);
        }
    }

    private static void deleteAll(Path data) throws Exception {
        for (Path f : walk(data)) {
            Files.deleteIfExists(f);
        }
    }
}
