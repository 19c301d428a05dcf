package io.inlay.bench.cold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion, its output captured in files beside the results of the run. */
final class Exec {
    private Exec() {}

    /** What a finished command printed. */
    record Result(String stdout, String stderr, double wallSeconds) {}

    /**
     * Runs {@code command} in {@code scratch} with a time limit; throws, naming the command, its exit
     * code and the end of its error output, unless it exits with 0.
     */
    static Result run(List<String> command, Path scratch, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(scratch.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " ... did not finish within " + timeoutSeconds + " s; killed");
            }
            double wall = (System.nanoTime() - start) / 1e9;
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " ... exited with "
                        + p.exitValue() + ": " + tail(stderr.isBlank() ? stdout : stderr));
            }
            return new Result(stdout, stderr, wall);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    /** The last few lines of a text, on one line. */
    static String tail(String text) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - 3);
        return String.join(" | ", java.util.Arrays.asList(lines).subList(from, lines.length));
    }
}
