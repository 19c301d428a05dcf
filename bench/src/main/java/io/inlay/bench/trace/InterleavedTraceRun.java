package io.inlay.bench.trace;

import io.inlay.bench.KeyValueArgs;
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
import io.inlay.engine.trace.Trace;
import io.inlay.engine.trace.TraceSession;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;

/**
 * What {@code --trace} costs a hot read, with tracing on and off in the same JVM, epoch by epoch:
 * on a host whose rate drifts by 20% from one JVM to the next (and within one over minutes), forks
 * with tracing on and off cannot resolve a few percent; epochs next to each other can. One trace
 * session is open for the whole run, its recording switched on for one epoch of a pair and off for
 * the other (the order alternating from pair to pair, so that an epoch's position in the pair cancels
 * out), so the JIT's code, the heap, the rings and the stash are those of one long traced run: past
 * the stash's budget the writer spools events during the run, as in a long run.
 *
 * <p>An epoch is {@code inlay read}'s worker loop: {@code threads} threads each open, read whole
 * and close their share of the dataset's files (the cases of {@link TracedReadBenchmark}), then the
 * epoch end's {@link Trace#collect()}. Timed: the wall time from the workers' start to the collect's
 * end, and the process's CPU time over it. The verdict is the median over pairs of off's time over
 * on's (throughput on / off), with its quartiles. The writer thread's work for an on epoch may fall
 * into the next epoch (a spool's write-out, at nice 19): that part of the cost is shared by both.
 *
 * <p>Tracing is switched through {@code Trace}'s package-private flag by reflection: the engine
 * has no public pause (a run is traced whole), and this harness needs one.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.inlay.bench.trace.InterleavedTraceRun dataset=dlrm engine=pread \
 *     warmup=30 pairs=150 threads=2 [data=DIR] [json=FILE]
 * </pre>
 */
public final class InterleavedTraceRun {
    private InterleavedTraceRun() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = KeyValueArgs.parse(args);
        String dataset = o.getOrDefault("dataset", "dlrm");
        String engine = o.getOrDefault("engine", "auto");
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        int pairs = Integer.parseInt(o.getOrDefault("pairs", "150"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        Path data = Path.of(o.getOrDefault("data", System.getProperty("inlay.bench.data", "bench-data")));

        Path root = data.resolve("traced-read").resolve(dataset);
        DatasetSpec spec = TracedReadBenchmark.Dataset.spec(root, dataset);
        DatasetLayout layout = new DatasetLayout(spec);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < spec.numFilesTrain(); i++) {
            files.add(layout.file(Split.TRAIN, i));
        }
        if (!Files.exists(root.resolve("complete"))) {
            DatasetGenerator.generate(spec, GenerateOptions.defaults().withOverwrite(true));
            Files.writeString(root.resolve("complete"), "");
        }
        List<String> columns = spec.storedColumns().stream().filter(ColumnSpec::read).map(ColumnSpec::name).toList();
        byte[] buffer = new byte[1 << 20];
        for (Path p : files) { // hot
            try (var in = Files.newInputStream(p)) {
                while (in.read(buffer) > 0) {
                    // read through
                }
            }
        }
        ReadOptions options = ReadOptions.DEFAULT.withIoEngine(IoEngine.valueOf(engine.toUpperCase(Locale.ROOT)));

        var flag = Trace.class.getDeclaredField("on");
        flag.setAccessible(true);
        Path traceFile = Files.createTempFile(root.getParent(), "interleaved-", ".pfw");
        TraceSession session = TraceSession.open(traceFile, false, 0, "bench");
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier done = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        long[] rows = new long[threads];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int index = t;
            List<Path> share = new ArrayList<>();
            for (int k = t; k < files.size(); k += threads) {
                share.add(files.get(k));
            }
            workers.add(Thread.ofPlatform().name("reader-" + t).daemon().start(() -> {
                try (ReadBuffers buffers = new ReadBuffers()) {
                    while (true) {
                        start.await();
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                        for (Path p : share) {
                            try (ParquetFile f = ParquetFile.open(p, options, buffers)) {
                                for (RowGroupData g : f.readAll(columns, buffers)) {
                                    rows[index] += g.rows();
                                }
                            }
                        }
                        done.await();
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                    start.reset();
                    done.reset();
                }
            }));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[][] wall = new long[2][pairs];
        long[][] reading = new long[2][pairs]; // the epoch without its collect
        long[][] collectCpu = new long[2][pairs]; // the collect's CPU time on this thread
        var mx = ManagementFactory.getThreadMXBean();
        long[][] cpu = new long[2][pairs];
        System.out.printf(Locale.ROOT, "interleaved: %s, %s, %d threads, %d files; %d pairs after %d warm-up pairs%n", dataset, engine,
                threads, files.size(), pairs, warmup);
        long gcAtStart = 0;
        for (int k = -warmup; k < pairs; k++) {
            if (k == 0) {
                gcAtStart = gcMillis();
            }
            for (int half = 0; half < 2; half++) {
                boolean on = (half == 0) == (Math.floorMod(k, 2) == 0); // on-off, then off-on
                flag.setBoolean(null, on);
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                start.await();
                done.await();
                long tRead = System.nanoTime();
                long cc0 = mx.getCurrentThreadCpuTime();
                Trace.collect();
                long t1 = System.nanoTime();
                long cc1 = mx.getCurrentThreadCpuTime();
                long c1 = os.getProcessCpuTime();
                if (failure[0] != null) {
                    throw new IllegalStateException("a reader failed", failure[0]);
                }
                if (k >= 0) {
                    reading[on ? 1 : 0][k] = tRead - t0;
                    collectCpu[on ? 1 : 0][k] = cc1 - cc0;
                    wall[on ? 1 : 0][k] = t1 - t0;
                    cpu[on ? 1 : 0][k] = c1 - c0;
                }
            }
        }
        long gcMs = gcMillis() - gcAtStart;
        flag.setBoolean(null, true); // as the session left it, for close
        for (Thread w : workers) {
            w.interrupt();
        }
        long events;
        try {
            session.close();
            events = countLines(traceFile);
        } finally {
            Files.deleteIfExists(traceFile);
        }
        double[] rate = new double[pairs];
        double[] readRate = new double[pairs];
        double[] cpuRatio = new double[pairs];
        double[] collectMs = new double[pairs];
        double[] collectCpuMs = new double[pairs];
        for (int k = 0; k < pairs; k++) {
            rate[k] = (double) wall[0][k] / wall[1][k];
            readRate[k] = (double) reading[0][k] / reading[1][k];
            collectMs[k] = (wall[1][k] - reading[1][k]) / 1e6;
            collectCpuMs[k] = collectCpu[1][k] / 1e6;
            cpuRatio[k] = (double) cpu[1][k] / Math.max(1, cpu[0][k]);
        }
        String result = String.format(Locale.ROOT,
                "interleaved: throughput on / off, median of %d pairs %.4f (quartiles %.4f-%.4f); total time off / on %.4f;%n"
                        + "interleaved: CPU on / off, median %.4f (quartiles %.4f-%.4f); epochs median %.1f ms off, %.1f ms on;"
                        + " %d trace lines written%n"
                        + "interleaved: without the epoch end's collect, throughput on / off median %.4f (quartiles %.4f-%.4f);"
                        + " the collect of an on epoch, median %.2f ms (max %.2f), its CPU median %.2f ms; GC %d ms over the pairs%n",
                pairs, quantile(rate, 0.5), quantile(rate, 0.25), quantile(rate, 0.75),
                (double) Arrays.stream(wall[0]).sum() / Arrays.stream(wall[1]).sum(), quantile(cpuRatio, 0.5),
                quantile(cpuRatio, 0.25), quantile(cpuRatio, 0.75), quantile(toMs(wall[0]), 0.5), quantile(toMs(wall[1]), 0.5), events,
                quantile(readRate, 0.5), quantile(readRate, 0.25), quantile(readRate, 0.75), quantile(collectMs, 0.5),
                quantile(collectMs, 1.0), quantile(collectCpuMs, 0.5), gcMs);
        System.out.print(result);
        String json = o.get("json");
        if (json != null) {
            StringBuilder b = new StringBuilder();
            b.append("{\"dataset\":\"").append(dataset).append("\",\"engine\":\"").append(engine).append("\",\"threads\":").append(threads)
                    .append(",\"pairs\":").append(pairs).append(",\"warmup\":").append(warmup)
                    .append(",\"rate_on_over_off_median\":").append(quantile(rate, 0.5))
                    .append(",\"cpu_on_over_off_median\":").append(quantile(cpuRatio, 0.5))
                    .append(",\"read_rate_on_over_off_median\":").append(quantile(readRate, 0.5))
                    .append(",\"read_ns_off\":").append(Arrays.toString(reading[0])).append(",\"read_ns_on\":")
                    .append(Arrays.toString(reading[1]))
                    .append(",\"wall_ns_off\":").append(Arrays.toString(wall[0])).append(",\"wall_ns_on\":").append(Arrays.toString(wall[1]))
                    .append(",\"cpu_ns_off\":").append(Arrays.toString(cpu[0])).append(",\"cpu_ns_on\":").append(Arrays.toString(cpu[1]))
                    .append("}\n");
            Files.writeString(Path.of(json), b.toString());
        }
    }

    private static long gcMillis() {
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static long countLines(Path file) throws java.io.IOException {
        long n = 0;
        byte[] b = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            for (int r; (r = in.read(b)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (b[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static double[] toMs(long[] ns) {
        return Arrays.stream(ns).mapToDouble(v -> v / 1e6).toArray();
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double at = q * (s.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (s[hi] - s[lo]) * (at - lo);
    }
}
