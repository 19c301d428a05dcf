package io.inlay.bench.trace;

import io.inlay.engine.trace.Trace;
import io.inlay.engine.trace.TraceKind;
import io.inlay.engine.trace.TraceSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one recorded event costs the recording thread: {@code Trace.start()} and {@code Trace.end}
 * with four arguments around nothing, with no session open ({@code off}: the cost every call site
 * pays when tracing is off, one branch) and with one open ({@code on}: two clock readings, the
 * thread-local ring, one 64-byte record; the writer thread formats the records on another core).
 * Run with {@code -prof gc} to see that recording allocates nothing.
 *
 * <pre>bench/run.sh trace</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TraceBenchmark {
    static final TraceKind KIND = TraceKind.of("bench", "bench", List.of("file", "engine"), List.of("offset", "bytes"));

    @Param({"off", "on"})
    public String tracing;

    private TraceSession session;
    private Path file;
    private final String name = "/data/f.parquet";
    private long offset;

    @Setup(Level.Trial)
    public void open() throws Exception {
        if (tracing.equals("on")) {
            file = Files.createTempFile("inlay-trace-bench", ".pfw");
            session = TraceSession.open(file, false, 0, "bench");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (session != null) {
            session.close();
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public long event() {
        long t0 = Trace.start();
        offset += 4096;
        Trace.end(KIND, t0, name, "pread", offset, 4096, 0, 0);
        return offset;
    }
}
