package io.inlay.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pyarrow (Arrow C++'s Parquet reader), run as a Python subprocess: an independent reader for
 * tests. {@link #available()} tells whether {@code python3} with pyarrow is installed (CI installs
 * it; tests skip with the reason otherwise).
 */
public final class Pyarrow {
    private static volatile String problem;
    private static volatile boolean checked;

    private Pyarrow() {}

    /** Null when pyarrow can be used, else why not. */
    public static synchronized String unavailableReason() {
        if (!checked) {
            try {
                Result r = run("import pyarrow; print(pyarrow.__version__)");
                problem = r.exit() == 0 ? null : "python3 has no pyarrow: " + r.err().strip();
            } catch (IOException e) {
                problem = "no python3: " + e.getMessage();
            }
            checked = true;
        }
        return problem;
    }

    /** Whether pyarrow can be used. */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** What a script printed. */
    public record Result(int exit, String out, String err) {
        public List<String> lines() {
            List<String> l = new ArrayList<>();
            for (String s : out.split("\n")) {
                if (!s.isBlank()) {
                    l.add(s.strip());
                }
            }
            return l;
        }
    }

    /** Runs a Python script (the file path is {@code sys.argv[1]} when given). */
    public static Result run(String script, Path... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        for (Path p : args) {
            cmd.add(p.toAbsolutePath().toString());
        }
        Process p = new ProcessBuilder(cmd).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python3 did not finish in 120 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }
}
