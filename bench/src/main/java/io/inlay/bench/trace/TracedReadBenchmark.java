package io.inlay.bench.trace;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetLayout;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.Split;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.trace.TraceSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * <p>Each fork also prints (lines starting {@code trace:}) the process's CPU time per epoch over the
 * trial and its split by thread group (from {@code /proc/self/task}: the readers, the VM thread,
 * the JIT, GC, the writer thread): on this VM a fork's rate varies by 5-8% while its CPU per epoch
 * varies by 1-3%, and the split says where a difference goes. {@code engine}: the I/O engine
 * ({@code auto}, or e.g. {@code pread}).
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

        /**
         * The I/O engine ({@link IoEngine}'s config name): {@code auto} maps page-cached files (a
         * mapping and an unmapping per file); {@code pread} reads them into the thread's buffers.
         */
        @Param({"auto"})
        public String engine;

        ReadOptions options;
        List<Path> files;
        List<String> columns;
        private TraceSession session;
        private Path traceFile;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path root = Path.of(System.getProperty("inlay.bench.data", "bench-data"), "traced-read", dataset);
            DatasetSpec spec = spec(root, dataset);
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
            options = ReadOptions.DEFAULT.withIoEngine(IoEngine.valueOf(engine.toUpperCase(java.util.Locale.ROOT)));
            cpuAtStart = processCpuNanos();
            threadsAtStart = threadCpu(new java.util.HashMap<>());
            if (!tracing.equals("off")) {
                System.setProperty(TraceSession.DIRECT_PROPERTY, String.valueOf(tracing.equals("on")));
                traceFile = Files.createTempFile(root.getParent(), "traced-read-", ".pfw");
                session = TraceSession.open(traceFile, false, 0, "bench");
            }
        }

        /** Operations over the trial, warm-up included: each thread's half of an epoch. */
        final java.util.concurrent.atomic.LongAdder halfEpochs = new java.util.concurrent.atomic.LongAdder();

        /** The process's CPU time at the trial's start (warm-up included), ns. */
        private long cpuAtStart;
        /** Each thread's CPU time at the trial's start, by Linux thread id (see {@link #threadCpu}). */
        private java.util.Map<String, long[]> threadsAtStart;

        /**
         * Every thread's CPU time now ({@code /proc/self/task/N/stat}: user and system, in clock ticks
         * of 10 ms), keyed by its Linux thread id, with its name ({@code comm}, 15 characters) in
         * {@code names}. Empty where there is no /proc.
         */
        static java.util.Map<String, long[]> threadCpu(java.util.Map<String, String> names) {
            java.util.Map<String, long[]> out = new java.util.HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.put(t.getFileName().toString(), new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])});
                        names.put(t.getFileName().toString(), Files.readString(t.resolve("comm")).strip());
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                // no /proc: no breakdown
            }
            return out;
        }

        /** A thread's group: its name without the digits that number threads of a kind (GC Thread#3, C2 CompilerThre). */
        private static String group(String comm) {
            if (comm.startsWith("io.inlay.bench") || comm.contains("jmh-worker")) {
                return "readers (the benchmark's threads)";
            }
            return comm.replaceAll("[#-]?\\d+$", "");
        }

        /** CPU ms per epoch by thread group over the trial, largest first; what ended meanwhile as "other". */
        private String breakdown(long cpuNanos, double epochs) {
            java.util.Map<String, String> names = new java.util.HashMap<>();
            java.util.Map<String, long[]> now = threadCpu(names);
            java.util.Map<String, Long> byGroup = new java.util.TreeMap<>();
            long sum = 0;
            for (var e : now.entrySet()) {
                long[] before = threadsAtStart.get(e.getKey());
                long ticks = e.getValue()[0] - (before == null ? 0 : before[0]);
                byGroup.merge(group(names.get(e.getKey())), ticks, Long::sum);
                sum += ticks;
            }
            double msPerTick = 1000.0 / 100; // USER_HZ
            long other = Math.round(cpuNanos / 1e6 / msPerTick) - sum;
            if (other > 0) {
                byGroup.merge("other (threads that ended)", other, Long::sum);
            }
            StringBuilder b = new StringBuilder();
            byGroup.entrySet().stream().filter(e -> e.getValue() > 0).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> b.append(String.format(java.util.Locale.ROOT, "%n  %-36s %7.1f ms per epoch", e.getKey(),
                            e.getValue() * msPerTick / epochs)));
            return b.toString();
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** CPU time of the session's writer thread so far, ns (-1 when it is not running). */
        private static long writerCpuNanos() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("inlay-trace-writer")) {
                    return mx.getThreadCpuTime(t.threadId());
                }
            }
            return -1;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            // where the cost of tracing goes, measured rather than inferred from the noisy rate: the
            // writer thread's share of the process's CPU over the trial (on two busy cores, the share of
            // throughput it takes from the readers)
            long cpu = processCpuNanos() - cpuAtStart;
            long writer = session != null ? writerCpuNanos() : -1;
            double epochs = halfEpochs.sum() / 2.0;
            System.out.printf(java.util.Locale.ROOT, "%ntrace: process CPU %.2f s over the trial, %.0f epochs: %.1f ms per epoch%s%n",
                    cpu / 1e9, epochs, cpu / 1e6 / epochs,
                    writer < 0 ? "" : String.format(java.util.Locale.ROOT, "; the writer thread %.3f s (%.2f%%)", writer / 1e9,
                            100.0 * writer / cpu));
            System.out.println("trace: CPU by thread group" + breakdown(cpu, epochs));
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

        /** The case's dataset under {@code root}: {@code dlrm} or {@code selective} (see the class's comment). */
        static DatasetSpec spec(Path root, String dataset) {
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
            try (ParquetFile f = ParquetFile.open(p, d.options, w.buffers)) {
                for (RowGroupData g : f.readAll(d.columns, w.buffers)) {
                    rows += g.rows();
                    bh.consume(g);
                }
            }
        }
        Trace.collect();
        d.halfEpochs.increment();
        return rows;
    }
}
