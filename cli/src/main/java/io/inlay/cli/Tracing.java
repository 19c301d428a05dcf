package io.inlay.cli;

import io.inlay.cli.config.TraceConfig;
import io.inlay.cli.dlio.HostFacts;
import io.inlay.cli.run.Clock;
import io.inlay.engine.trace.TraceSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Opening and closing a rank's trace file for the commands that write one. */
final class Tracing {
    private Tracing() {}

    /**
     * Opens {@code dir/trace-{rank}-of-{size}.pfw[.gz]}, its times on {@code clock}'s time base.
     *
     * @throws IOException when the folder or the file cannot be created
     */
    static TraceSession open(Path dir, TraceConfig config, int rank, int size, Clock clock) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(config.fileName(rank, size));
        long n = clock.nanoTime();
        Instant at = clock.instantAt(n);
        return TraceSession.open(file, config.gzip(), rank, "rank " + rank + " of " + size + " on " + HostFacts.local().hostname()
                + " (pid " + ProcessHandle.current().pid() + ")", n, at.getEpochSecond() * 1_000_000L + at.getNano() / 1000);
    }

    /** Closes {@code session} (null: nothing); false, after one line on {@code err}, when the file could not be written. */
    static boolean close(TraceSession session, PrintWriter err, String prefix) {
        if (session == null) {
            return true;
        }
        try {
            session.close();
            return true;
        } catch (IOException e) {
            err.println(prefix + e.getMessage());
            err.flush();
            return false;
        }
    }
}
