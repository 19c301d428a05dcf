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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one trace event costs, in its two parts, per event (ns/op is per event):
 *
 * <ul>
 *   <li>{@code record}: what the recording thread pays on its hot path, {@code Trace.start()} and
 *       {@code Trace.end} with two reference and two numeric arguments around nothing, for a batch
 *       of {@value #BATCH} events that fits in its ring. {@code off}: no session open (one branch);
 *       {@code on}: two clock readings, the thread-local ring, one 64-byte record. Between batches
 *       (untimed) the session writes the ring out, so the ring never fills during a measurement.
 *   <li>{@code collect}: what taking those events out of the ring into the session's stash costs
 *       ({@code Trace.collect()}: the training loop at each epoch's end, or the writer thread when a
 *       ring is three quarters full): {@value #BATCH} events recorded untimed, then the call timed.
 *   <li>{@code writeOut}: what formatting them as JSON and writing them to the {@code .pfw} file
 *       costs ({@code TraceSession.flush()}; in a run, at close, after the measured run):
 *       {@value #BATCH} events recorded untimed, then the call timed. {@code file}: a new file on
 *       the disk the results go to, written with O_DIRECT (the default); {@code buffered}: the same
 *       through the page cache (the kernel taking fresh pages included); {@code null}:
 *       {@code /dev/null} (the formatting alone).
 * </ul>
 *
 * File names are distinct per file, as in a run over many files: {@value #FILES} paths in turn, each
 * for {@value #PER_FILE} events in a row. Run with {@code -prof gc}: neither part allocates per event.
 *
 * <pre>bench/run.sh trace</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class TraceBenchmark {
    static final int BATCH = 16_384;
    static final int FILES = 4096;
    static final int PER_FILE = 8;
    static final TraceKind KIND = TraceKind.of("bench", "bench", List.of("file", "engine"), List.of("offset", "bytes"));

    /** The open session (or none) and what the events carry; one per benchmark thread. */
    @State(Scope.Thread)
    public static class Session {
        /** For {@code record}: whether a session is open. */
        @Param({"off", "on"})
        public String tracing;

        /**
         * For {@code writeOut}: where the file goes: a file (with O_DIRECT, the default), a file
         * through the page cache ({@code buffered}: {@link TraceSession#DIRECT_PROPERTY} false), or
         * {@code /dev/null} (the formatting alone).
         */
        @Param({"file", "buffered", "null"})
        public String sink;

        /**
         * The JVM's one session, shared: JMH may make more than one instance of this state for a
         * benchmark and the helper states that depend on it.
         */
        static TraceSession session;
        private static Path file;
        private final String[] names = new String[FILES];
        private long offset;
        private int event;

        @Setup(Level.Trial)
        public void open() throws Exception {
            for (int i = 0; i < FILES; i++) {
                names[i] = String.format("/work/data/trace/dlrm/train/img_%04d_of_%d.parquet", i, FILES);
            }
            if (tracing.equals("on") && session == null) {
                if (sink.equals("null")) {
                    file = Path.of("/dev/null");
                } else {
                    file = Files.createTempFile(Path.of(System.getProperty("inlay.bench.data", System.getProperty("java.io.tmpdir"))),
                            "inlay-trace-bench", ".pfw");
                }
                System.setProperty(TraceSession.DIRECT_PROPERTY, String.valueOf(!sink.equals("buffered")));
                session = TraceSession.open(file, false, 0, "bench");
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            if (session != null) {
                session.close();
                session = null;
                if (!file.toString().equals("/dev/null")) {
                    Files.deleteIfExists(file);
                }
            }
        }

        /** The rings emptied and the stash written out. */
        void writeAll() throws Exception {
            if (session != null) {
                session.flush();
            }
        }

        long recordBatch() {
            long o = offset;
            int e = event;
            for (int i = 0; i < BATCH; i++) {
                long t0 = Trace.start();
                o += 4096;
                Trace.end(KIND, t0, names[(e++ / PER_FILE) & (FILES - 1)], "pread", o, 4096, 0, 0);
            }
            offset = o;
            event = e;
            return o;
        }
    }

    /** Before each batch of {@code record}: nothing waiting. */
    @State(Scope.Thread)
    public static class Drained {
        @Setup(Level.Invocation)
        public void drain(Session s) throws Exception {
            s.writeAll();
        }
    }

    /** Before each {@code collect} and {@code writeOut}: nothing waiting, then a batch recorded. */
    @State(Scope.Thread)
    public static class Recorded {
        @Setup(Level.Invocation)
        public void fill(Session s) throws Exception {
            s.writeAll();
            s.recordBatch();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long record(Session s, Drained drained) {
        return s.recordBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long collect(Session s, Recorded recorded) {
        return Trace.collect();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long writeOut(Session s, Recorded recorded) throws Exception {
        s.writeAll(); // nothing when tracing is off (bench/run.sh runs it with tracing=on only)
        return s.offset;
    }
}
