package io.inlay.bench.trace;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetLayout;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.Split;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.trace.TraceSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What {@code --trace} costs a read in steady state, the JIT's warm-up and the JVM's start left out
 * (issue 17's target: at most 3% of read throughput hot): {@code inlay read}'s worker loop in
 * process, two threads (as {@code reader.read_threads=2} on this 2-core machine), each reading its
 * half of a dataset's files once per operation (one epoch: {@code ParquetFile.open} with the
 * thread's {@link ReadBuffers}, {@code readAll} of every column, close) and then calling
 * {@link Trace#collect()} as the training loop does at an epoch's end. ms/op is one epoch.
 *
 * <p>{@code tracing=on}: one {@link TraceSession} open for the whole trial, writing to a file in
 * the data folder; past its stash's budget (some 11 epochs of {@code dlrm}) its writer thread
 * formats and writes the events out during the measurement, competing with the readers for the
 * two cores, as in a long traced run. Nothing is dropped: every event a run records is in its
 * cost. Hot: the files are read once in setup, so the page cache serves them. {@code tracing=buffered}:
 * as {@code on}, the file written through the page cache ({@link TraceSession#DIRECT_PROPERTY} false).
 *
 * <p>Cases: {@code dlrm}, the shipped workload with the most events per byte (4,096 one-sample
 * files of three float32 vectors, snappy: some 12 events per 1.2 KB file: open, footer read,
 * a decode and a decompress per column chunk, reads); {@code selective}, 64 files of 1,000
 * samples of {@code selective_read.yaml}'s five columns (45 events per MB).
 *
 * <pre>bench/run.sh trace-read</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 8, time = 3)
@Threads(2)
public class TracedReadBenchmark {

    /** The dataset, made once per data folder, and the open session (or none); shared by the threads. */
    @State(Scope.Benchmark)
    public static class Dataset {
        @Param({"dlrm", "selective"})
        public String dataset;

        /** {@code on}: the trace file written with O_DIRECT (the default); {@code buffered}: through the page cache. */
        @Param({"off", "on"})
        public String tracing;

        List<Path> files;
        List<String> columns;
        private TraceSession session;
        private Path traceFile;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path root = Path.of(System.getProperty("inlay.bench.data", "bench-data"), "traced-read", dataset);
            DatasetSpec spec = spec(root);
            DatasetLayout layout = new DatasetLayout(spec);
            files = new ArrayList<>();
            for (int i = 0; i < spec.numFilesTrain(); i++) {
                files.add(layout.file(Split.TRAIN, i));
            }
            if (!Files.exists(root.resolve("complete"))) {
                DatasetGenerator.generate(spec, GenerateOptions.defaults().withOverwrite(true));
                Files.writeString(root.resolve("complete"), "");
            }
            columns = spec.storedColumns().stream().filter(ColumnSpec::read).map(ColumnSpec::name).toList();
            byte[] buffer = new byte[1 << 20];
            for (Path p : files) { // hot: every file in the page cache before the warm-up
                try (var in = Files.newInputStream(p)) {
                    while (in.read(buffer) > 0) {
                        // read through
                    }
                }
            }
            if (!tracing.equals("off")) {
                System.setProperty(TraceSession.DIRECT_PROPERTY, String.valueOf(tracing.equals("on")));
                traceFile = Files.createTempFile(root.getParent(), "traced-read-", ".pfw");
                session = TraceSession.open(traceFile, false, 0, "bench");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            if (session != null) {
                long written;
                try {
                    session.close();
                } finally {
                    written = Files.size(traceFile);
                    Files.deleteIfExists(traceFile);
                    session = null;
                }
                System.out.printf(java.util.Locale.ROOT, "%ntrace: %.1f MB written%n", written / 1e6);
            }
        }

        private DatasetSpec spec(Path root) {
            if (dataset.equals("dlrm")) {
                return DatasetSpec.builder(root).numFilesTrain(4096).numSamplesPerFile(1).rowGroupSize(100_000)
                        .compression(CompressionCodec.SNAPPY)
                        .columns(List.of(new ColumnSpec("dense_features", DType.FLOAT32, 13),
                                new ColumnSpec("sparse_features", DType.FLOAT32, 26), new ColumnSpec("label", DType.FLOAT32, 1)))
                        .build();
            }
            if (dataset.equals("selective")) {
                return DatasetSpec.builder(root).numFilesTrain(64).numSamplesPerFile(1000).rowGroupSize(100_000)
                        .compression(CompressionCodec.SNAPPY)
                        .columns(List.of(new ColumnSpec("label", DType.FLOAT32, 1), new ColumnSpec("primary_features", DType.FLOAT32, 128),
                                new ColumnSpec("auxiliary_features", DType.FLOAT32, 256, false),
                                new ColumnSpec("metadata", DType.FLOAT32, 64, false),
                                new ColumnSpec("dense_embedding", DType.FLOAT32, 512)))
                        .build();
            }
            throw new IllegalArgumentException("dataset " + dataset + ": not dlrm or selective");
        }
    }

    /** One reading thread: its buffers, kept across epochs as a worker's are, and its half of the files. */
    @State(Scope.Thread)
    public static class Worker {
        final ReadBuffers buffers = new ReadBuffers();
        List<Path> share;

        @Setup(Level.Trial)
        public void setUp(Dataset d, ThreadParams thread) {
            int n = thread.getThreadCount();
            int i = thread.getThreadIndex();
            share = new ArrayList<>();
            for (int k = i; k < d.files.size(); k += n) {
                share.add(d.files.get(k));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buffers.close();
        }
    }

    /** One epoch of this thread's share: every file opened, read whole and closed; then the epoch end's collect. */
    @Benchmark
    public long epoch(Dataset d, Worker w, Blackhole bh) throws Exception {
        long rows = 0;
        for (Path p : w.share) {
            try (ParquetFile f = ParquetFile.open(p, ReadOptions.DEFAULT, w.buffers)) {
                for (RowGroupData g : f.readAll(d.columns, w.buffers)) {
                    rows += g.rows();
                    bh.consume(g);
                }
            }
        }
        Trace.collect();
        return rows;
    }
}
