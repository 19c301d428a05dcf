package io.inlay.cli.dlio;

import io.inlay.cli.mpi.Comm;
import io.inlay.cli.mpi.NodeLayout;
import io.inlay.cli.mpi.ReduceOp;
import io.inlay.cli.run.Clock;
import io.inlay.cli.run.EpochStats;
import io.inlay.cli.run.PhaseStats;
import io.inlay.cli.run.RunReport;
import io.inlay.cli.run.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rank's figures turned into DLIO's result files, and the run's aggregate: as DLIO, per epoch
 * the ranks' AU is averaged and their throughput summed by allreduce, host memory and CPU
 * counts are reduced per node, and rank 0 builds {@code summary.json} with DLIO's formulas
 * (means and population stdevs over epochs; I/O as throughput times {@code record_length_bytes}
 * over 2^20). Inlay's own figures go under the {@code inlay} key: bytes read, files per rank,
 * and every epoch on one time base (earliest start to latest end over the ranks).
 *
 * <p>Collective: every rank calls {@link #gather} with the same number of epochs; an
 * interrupted run passes {@code collective = false} and gets its own figures only.
 */
public final class Results {
    static final double MIB = 1024.0 * 1024.0;
    static final double GIB = 1024.0 * 1024.0 * 1024.0;
    private static final int PER_EPOCH_SUMS = 12;

    /**
     * Config facts the summary repeats.
     *
     * @param numFilesTrain {@code dataset.num_files_train}
     * @param numFilesEval {@code dataset.num_files_eval}
     * @param samplesPerFile {@code dataset.num_samples_per_file}
     * @param recordLength {@code dataset.record_length_bytes}
     * @param dlioStepsPerEpoch DLIO's steps per epoch for this world size
     * @param stepBarrier whether the per-step barrier ran
     * @param runStartNanos when the run started (before generation), on the report's clock
     */
    public record RunInfo(long numFilesTrain, long numFilesEval, long samplesPerFile, double recordLength, long dlioStepsPerEpoch,
            boolean stepBarrier, long runStartNanos) {}

    private final RunReport report;
    private final Clock clock;
    private final HostFacts host;
    private final RunInfo info;
    private final int rank;
    private final int world;
    private final NodeLayout nodes;
    private final boolean collective;
    private final String mpi;
    // aggregates (every rank holds them after gather)
    private double[] sums;
    private double[] mins;
    private double[] maxs;
    private int epochs;

    private Results(RunReport report, Comm comm, HostFacts host, RunInfo info, boolean collective) {
        this.report = report;
        this.clock = report.clock();
        this.host = host;
        this.info = info;
        this.rank = report.plan().rank();
        this.world = collective ? comm.size() : report.plan().worldSize();
        this.nodes = collective ? comm.nodes() : NodeLayout.single();
        this.collective = collective;
        this.mpi = comm.description();
    }

    /**
     * Builds the aggregate; with {@code collective} every rank of {@code comm} must call it.
     */
    public static Results gather(RunReport report, Comm comm, HostFacts host, RunInfo info, boolean collective) {
        Results r = new Results(report, comm, host, info, collective);
        r.reduce(comm);
        return r;
    }

    private List<EpochStats> trained() {
        return report.epochs().stream().filter(e -> e.train() != null).toList();
    }

    private void reduce(Comm comm) {
        List<EpochStats> es = trained();
        epochs = es.size();
        int n = nodes.nodes();
        int base = epochs * PER_EPOCH_SUMS;
        double[] s = new double[base + 3 + 3 * n];
        double[] mn = new double[epochs * 2 + 1];
        double[] mx = new double[epochs * 2 + 1];
        long now = clock.nanoTime();
        for (int i = 0; i < epochs; i++) {
            EpochStats e = es.get(i);
            PhaseStats.Window w = report.trainWindow(e);
            int k = i * PER_EPOCH_SUMS;
            if (w.auPercent() != null) {
                s[k] = w.auPercent();
                s[k + 1] = 1;
            }
            if (w.samplesPerSecond() != null) {
                s[k + 2] = w.samplesPerSecond();
                s[k + 3] = 1;
            }
            PhaseStats.Window ev = report.evalWindow(e);
            if (ev != null && ev.auPercent() != null) {
                s[k + 4] = ev.auPercent();
                s[k + 5] = 1;
            }
            if (ev != null && ev.samplesPerSecond() != null) {
                s[k + 6] = ev.samplesPerSecond();
                s[k + 7] = 1;
            }
            s[k + 8] = e.train().samples();
            s[k + 9] = w.samples();
            s[k + 10] = e.train().bytesRead();
            s[k + 11] = w.storageBytes();
            long end = e.train().endNanos() >= 0 ? e.train().endNanos() : now;
            mn[2 * i] = clock.epochSecondsAt(e.train().startNanos());
            mn[2 * i + 1] = clock.epochSecondsAt(end);
            mx[2 * i] = mn[2 * i];
            mx[2 * i + 1] = mn[2 * i + 1];
        }
        s[base] = report.plan().files().size();
        s[base + 1] = report.bytesRead();
        s[base + 2] = report.samples();
        if (nodes.leader()) {
            s[base + 3 + nodes.node()] = host.memoryGiB();
            s[base + 3 + n + nodes.node()] = host.cpuCount();
        }
        s[base + 3 + 2 * n + nodes.node()] = 1; // ranks on the node
        mn[epochs * 2] = report.plan().files().size();
        mx[epochs * 2] = report.plan().files().size();
        if (collective) {
            // every rank has the same epochs; the lengths agree
            sums = comm.allreduce(s, ReduceOp.SUM);
            mins = comm.allreduce(mn, ReduceOp.MIN);
            maxs = comm.allreduce(mx, ReduceOp.MAX);
        } else {
            sums = s;
            mins = mn;
            maxs = mx;
        }
    }

    private double sum(int epoch, int k) {
        return sums[epoch * PER_EPOCH_SUMS + k];
    }

    /** Per-epoch AU mean over the ranks that have one; null where none has. */
    public List<Double> trainAu() {
        return perEpoch(0);
    }

    /** Per-epoch throughput summed over ranks. */
    public List<Double> trainThroughput() {
        return perEpochSum(2);
    }

    private List<Double> evalAu() {
        return perEpoch(4);
    }

    private List<Double> evalThroughput() {
        return perEpochSum(6);
    }

    private List<Double> perEpoch(int k) {
        List<Double> l = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            l.add(sum(i, k + 1) == 0 ? null : sum(i, k) / sum(i, k + 1));
        }
        return l;
    }

    private List<Double> perEpochSum(int k) {
        List<Double> l = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            l.add(sum(i, k + 1) == 0 ? null : sum(i, k));
        }
        return l;
    }

    private boolean evaluated() {
        for (int i = 0; i < epochs; i++) {
            if (sum(i, 5) > 0 || sum(i, 7) > 0) {
                return true;
            }
        }
        return report.plan().evaluation() != null && epochs > 0 && report.epochs().stream().anyMatch(e -> e.eval() != null);
    }

    /** DLIO's {@code metric} section. */
    public Map<String, Object> metric() {
        Map<String, Object> m = new LinkedHashMap<>();
        addMetric(m, "train", trainAu(), trainThroughput());
        if (evaluated()) {
            addMetric(m, "eval", evalAu(), evalThroughput());
        }
        addCheckpointMetric(m, "save");
        addCheckpointMetric(m, "load");
        return m;
    }

    /** This rank's checkpoints of one kind ({@code save} or {@code load}), in order. */
    private List<EpochStats.CheckpointStats> checkpoints(String kind) {
        List<EpochStats.CheckpointStats> l = new ArrayList<>();
        for (EpochStats e : report.epochs()) {
            for (EpochStats.CheckpointStats c : e.checkpoints()) {
                if (c.key().startsWith(kind + "_")) {
                    l.add(c);
                }
            }
        }
        return l;
    }

    /**
     * DLIO's checkpoint figures (its {@code end_save_ckpt}/{@code end_load_ckpt}): per checkpoint
     * its duration and rate, the checkpoint's bytes over every rank in GiB (2^30, though named GB)
     * over the duration; then their means and population stdevs, and {@code checkpoint_size_GB}.
     * Rank 0's times: every rank's checkpoint ends at the same barrier.
     */
    private void addCheckpointMetric(Map<String, Object> m, String kind) {
        List<EpochStats.CheckpointStats> cs = checkpoints(kind);
        if (cs.isEmpty()) {
            return;
        }
        List<Double> rates = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        for (EpochStats.CheckpointStats c : cs) {
            durations.add(c.seconds());
            rates.add(c.seconds() > 0 ? c.totalBytes() / GIB / c.seconds() : null);
        }
        m.put(kind + "_checkpoint_io_mean_GB_per_second", Stats.mean(rates));
        m.put(kind + "_checkpoint_io_stdev_GB_per_second", Stats.stdev(rates));
        m.put(kind + "_checkpoint_duration_mean_seconds", Stats.mean(durations));
        m.put(kind + "_checkpoint_duration_stdev_seconds", Stats.stdev(durations));
        m.put("checkpoint_size_GB", cs.get(0).totalBytes() / GIB);
    }

    private void addMetric(Map<String, Object> m, String p, List<Double> au, List<Double> tp) {
        Double auMean = Stats.mean(au);
        Double tpMean = Stats.mean(tp);
        Double tpStdev = Stats.stdev(tp);
        m.put(p + "_au_percentage", au);
        m.put(p + "_au_mean_percentage", auMean);
        m.put(p + "_au_meet_expectation", auMean != null && auMean >= 100 * report.plan().auExpected() ? "success" : "fail");
        m.put(p + "_au_stdev_percentage", Stats.stdev(au));
        m.put(p + "_throughput_samples_per_second", tp);
        m.put(p + "_throughput_mean_samples_per_second", tpMean);
        m.put(p + "_throughput_stdev_samples_per_second", tpStdev);
        m.put(p + "_io_mean_MB_per_second", tpMean == null ? null : tpMean * info.recordLength() / MIB);
        m.put(p + "_io_stdev_MB_per_second", tpStdev == null ? null : tpStdev * info.recordLength() / MIB);
    }

    private List<Double> perNode(int offset) {
        int n = nodes.nodes();
        return perNode(sums, epochs * PER_EPOCH_SUMS + 3 + offset * n, n);
    }

    /** DLIO's data_size_per_host_GB: (ranks per node x samples per file x files // world) x record length / 2^30. */
    double dataSizePerHostGiB() {
        return dataSizePerHostGiB(info, nodes, world);
    }

    private static double dataSizePerHostGiB(RunInfo info, NodeLayout nodes, int world) {
        long perNode = world == 0 ? 0 : (long) nodes.localSize() * info.samplesPerFile() * info.numFilesTrain() / world;
        return perNode * info.recordLength() / GIB;
    }

    /**
     * summary.json's keys from {@code start} to {@code data_size_per_host_GB}, in DLIO's order: the
     * same for a training run and a checkpoint-only run ({@link CheckpointResults}).
     *
     * @param memoryGiB each node's memory (the ranks' reduced figures), in node order
     * @param cpus each node's CPU count, in node order
     */
    static void putRunKeys(Map<String, Object> m, Clock clock, RunInfo info, int world, NodeLayout nodes, HostFacts host,
            Map<String, Object> metric, List<Double> memoryGiB, List<Double> cpus) {
        m.put("start", clock.timestamp(info.runStartNanos()));
        m.put("num_accelerators", world);
        m.put("num_hosts", nodes.nodes());
        m.put("hostname", host.hostname());
        m.put("metric", metric);
        m.put("num_files_train", info.numFilesTrain());
        m.put("num_files_eval", info.numFilesEval());
        m.put("num_samples_per_file", info.samplesPerFile());
        m.put("host_cpu_count", cpus.stream().map(Double::intValue).toList());
        m.put("host_processor_name", host.processorName());
        double perHost = dataSizePerHostGiB(info, nodes, world);
        m.put("potential_caching", memoryGiB.stream().map(mem -> mem > perHost ? 1 : 0).toList());
        m.put("host_cpuinfo", host.cpuinfo());
        m.put("host_meminfo", host.meminfo());
        m.put("host_memory_GB", memoryGiB);
        m.put("data_size_per_host_GB", perHost);
    }

    /** {@code n} consecutive values of a reduced array from {@code from}: one figure per node. */
    static List<Double> perNode(double[] sums, int from, int n) {
        List<Double> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(sums[from + i]);
        }
        return l;
    }

    /** summary.json, in DLIO's key order, Inlay's figures under {@code inlay} at the end. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        putRunKeys(m, clock, info, world, nodes, host, metric(), perNode(0), perNode(1));
        m.put("epochs", epochs);
        m.put("end", clock.timestamp(clock.nanoTime()));
        m.put("inlay", inlay());
        return m;
    }

    /** Inlay's figures of the whole run (summary.json's {@code inlay}). */
    public Map<String, Object> inlay() {
        int base = epochs * PER_EPOCH_SUMS;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", report.json().get("inlay_version"));
        m.put("complete", report.complete());
        m.put("ranks_aggregated", collective ? world : 1);
        m.put("mpi", mpi);
        m.put("step_barrier", info.stepBarrier());
        m.put("steps_per_epoch", report.plan().stepsPerEpoch());
        m.put("dlio_steps_per_epoch", info.dlioStepsPerEpoch());
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("min", (long) mins[epochs * 2]);
        files.put("max", (long) maxs[epochs * 2]);
        files.put("total", (long) sums[base]);
        m.put("files_per_rank", files);
        m.put("bytes_read", (long) sums[base + 1]);
        m.put("samples", (long) sums[base + 2]);
        List<Map<String, Object>> per = new ArrayList<>();
        double samples = 0;
        double bytes = 0;
        double seconds = 0;
        for (int i = 0; i < epochs; i++) {
            double startMin = mins[2 * i];
            double startMax = maxs[2 * i];
            double endMin = mins[2 * i + 1];
            double endMax = maxs[2 * i + 1];
            double common = endMax - startMin;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", i + 1);
            e.put("start_earliest", stamp(startMin));
            e.put("start_latest", stamp(startMax));
            e.put("end_earliest", stamp(endMin));
            e.put("end_latest", stamp(endMax));
            e.put("start_spread_seconds", startMax - startMin);
            e.put("window_overlap", common <= 0 ? null : Math.max(0, endMin - startMax) / common);
            e.put("common_seconds", common);
            e.put("samples", (long) sum(i, 8));
            e.put("bytes_read", (long) sum(i, 10));
            e.put("samples_per_second_common", common <= 0 ? null : sum(i, 8) / common);
            e.put("storage_read_mb_per_second_common", common <= 0 ? null : sum(i, 10) / 1e6 / common);
            per.add(e);
            samples += sum(i, 8);
            bytes += sum(i, 10);
            seconds += Math.max(0, common);
        }
        m.put("samples_per_second_common", seconds == 0 ? null : samples / seconds);
        m.put("storage_read_mb_per_second_common", seconds == 0 ? null : bytes / 1e6 / seconds);
        m.put("per_epoch", per);
        return m;
    }

    private String stamp(double epochSeconds) {
        long s = (long) Math.floor(epochSeconds);
        java.time.Instant i = java.time.Instant.ofEpochSecond(s, Math.round((epochSeconds - s) * 1e9));
        return Clock.TIMESTAMP.format(java.time.LocalDateTime.ofInstant(i, java.time.ZoneId.systemDefault()));
    }

    /** {rank}_per_epoch_stats.json: per epoch its start, block1, end, duration (two-decimal strings), eval. */
    public Map<String, Object> perEpochStats() {
        Map<String, Object> m = new LinkedHashMap<>();
        long now = clock.nanoTime();
        for (EpochStats e : trained()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("start", clock.timestamp(e.startNanos()));
            PhaseStats t = e.train();
            for (int b = 0; b < t.blocks(); b++) {
                long[] sp = t.blockSpan(b, now);
                x.put(t.blockKey(b), span(sp[0], sp[1]));
            }
            for (EpochStats.CheckpointStats c : e.checkpoints()) {
                x.put(c.key(), CheckpointResults.entry(clock, c));
            }
            long end = e.trainEndNanos() >= 0 ? e.trainEndNanos() : now;
            x.put("end", clock.timestamp(end));
            x.put("duration", duration(e.startNanos(), end));
            if (e.eval() != null) {
                x.put("eval", span(e.eval().startNanos(), e.eval().endNanos() >= 0 ? e.eval().endNanos() : now));
            }
            m.put(String.valueOf(e.number()), x);
        }
        return m;
    }

    private Map<String, Object> span(long start, long end) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("start", clock.timestamp(start));
        b.put("end", clock.timestamp(end));
        b.put("duration", duration(start, end));
        return b;
    }

    private static String duration(long start, long end) {
        return String.format(Locale.ROOT, "%.2f", (end - start) / 1e9);
    }

    /** {rank}_output.json: host facts, per epoch the per-step lists, throughput and AU, hostname; Inlay's JSON under {@code inlay}. */
    public Map<String, Object> output() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host_memory_GB", host.memoryGiB());
        m.put("host_cpu_count", host.cpuCount());
        m.put("host_processor_name", host.processorName());
        m.put("potential_caching", dataSizePerHostGiB() <= host.memoryGiB() ? 1 : 0);
        m.put("host_cpuinfo", host.cpuinfo());
        m.put("host_meminfo", host.meminfo());
        long now = clock.nanoTime();
        for (EpochStats e : trained()) {
            Map<String, Object> x = new LinkedHashMap<>();
            Map<String, Object> load = new LinkedHashMap<>();
            Map<String, Object> proc = new LinkedHashMap<>();
            Map<String, Object> compute = new LinkedHashMap<>();
            Map<String, Object> throughput = new LinkedHashMap<>();
            Map<String, Object> au = new LinkedHashMap<>();
            List<PhaseStats> phases = new ArrayList<>(List.of(e.train()));
            if (e.eval() != null) {
                phases.add(e.eval());
            }
            for (PhaseStats p : phases) {
                if (p != e.eval() && p.blocks() > 1) {
                    // DLIO's blocks: training cut by checkpoints between steps, each with its lists and figures
                    for (int b = 0; b < p.blocks(); b++) {
                        PhaseStats.Window w = p.blockWindow(b, report.plan().excludeStartSteps(), report.plan().excludeEndSteps(),
                                p.steps(), now);
                        load.put(p.blockKey(b), list(p.blockSeconds(b, "load")));
                        proc.put(p.blockKey(b), list(p.blockSeconds(b, "proc")));
                        compute.put(p.blockKey(b), list(p.blockSeconds(b, "compute")));
                        throughput.put(p.blockKey(b), w.samplesPerSecond());
                        au.put(p.blockKey(b), w.auPercent());
                    }
                    continue;
                }
                PhaseStats.Window w = p == e.eval() ? report.evalWindow(e) : report.trainWindow(e);
                load.put(p.key(), list(p.seconds("load")));
                proc.put(p.key(), list(p.seconds("proc")));
                compute.put(p.key(), list(p.seconds("compute")));
                throughput.put(p.key(), w.samplesPerSecond());
                au.put(p.key(), w.auPercent());
            }
            x.put("load", load);
            x.put("proc", proc);
            x.put("compute", compute);
            x.put("throughput", throughput);
            x.put("au", au);
            x.put("end", clock.timestamp(e.endNanos() >= 0 ? e.endNanos() : now));
            m.put(String.valueOf(e.number()), x);
        }
        m.put("hostname", host.hostname());
        m.put("inlay", report.json());
        return m;
    }

    private static List<Double> list(double[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    /** DLIO's closing block: "Averaged metric over all steps/epochs" and the [METRIC] lines. */
    public String metricBlock() {
        Map<String, Object> metric = metric();
        StringBuilder b = new StringBuilder();
        String rule = "[METRIC] ==========================================================\n";
        b.append("Averaged metric over all steps/epochs\n").append(rule);
        b.append("[METRIC] Number of Simulated Accelerators: ").append(world).append(" \n");
        line(b, "Training Accelerator Utilization [AU] (%)", metric.get("train_au_mean_percentage"),
                metric.get("train_au_stdev_percentage"), "%.4f");
        line(b, "Training Throughput (samples/second)", metric.get("train_throughput_mean_samples_per_second"),
                metric.get("train_throughput_stdev_samples_per_second"), "%.4f");
        line(b, "Training I/O Throughput (MB/second)", metric.get("train_io_mean_MB_per_second"),
                metric.get("train_io_stdev_MB_per_second"), "%.4f");
        b.append("[METRIC] train_au_meet_expectation: ").append(metric.get("train_au_meet_expectation")).append('\n');
        if (metric.containsKey("eval_au_mean_percentage")) {
            line(b, "Eval Accelerator Utilization [AU] (%)", metric.get("eval_au_mean_percentage"),
                    metric.get("eval_au_stdev_percentage"), "%.4f");
            line(b, "Eval Throughput (samples/second)", metric.get("eval_throughput_mean_samples_per_second"),
                    metric.get("eval_throughput_stdev_samples_per_second"), "%.6f");
            line(b, "Eval Throughput (MB/second)", metric.get("eval_io_mean_MB_per_second"),
                    metric.get("eval_io_stdev_MB_per_second"), "%.6f");
            b.append("[METRIC] eval_au_meet_expectation: ").append(metric.get("eval_au_meet_expectation")).append('\n');
        }
        Map<String, Object> in = inlay();
        line(b, "Inlay storage read on the common window (MB/second, 10^6 bytes)", in.get("storage_read_mb_per_second_common"),
                null, "%.4f");
        b.append(rule);
        return b.toString();
    }

    private static void line(StringBuilder b, String label, Object mean, Object stdev, String f) {
        b.append("[METRIC] ").append(label).append(": ").append(num(mean, f));
        if (stdev != null || mean != null) {
            if (stdev != null || !label.startsWith("Inlay")) {
                b.append(" (").append(num(stdev, f)).append(')');
            }
        }
        b.append('\n');
    }

    private static String num(Object v, String f) {
        return v instanceof Number n ? String.format(Locale.ROOT, f, n.doubleValue()) : "n/a";
    }

    /** The log lines DLIO's rank 0 writes per epoch, from the records. */
    public List<String[]> epochLines() {
        List<String[]> l = new ArrayList<>();
        List<Double> tp = trainThroughput();
        List<Double> au = trainAu();
        List<EpochStats> es = trained();
        long now = clock.nanoTime();
        for (int i = 0; i < es.size(); i++) {
            EpochStats e = es.get(i);
            PhaseStats t = e.train();
            long tEnd = t.endNanos() >= 0 ? t.endNanos() : now;
            l.add(new String[] {clock.timestamp(e.startNanos()), "Starting epoch " + e.number() + ": "
                    + report.plan().stepsPerEpoch() + " steps expected"});
            List<EpochStats.CheckpointStats> cks = e.checkpoints();
            for (int b = 0; b < t.blocks(); b++) {
                long[] sp = t.blockSpan(b, now);
                l.add(new String[] {clock.timestamp(sp[0]), "Starting block " + (b + 1)});
                l.add(new String[] {clock.timestamp(sp[1]), "Ending block " + (b + 1) + " - " + t.blockSteps(b) + " steps completed in "
                        + duration(sp[0], sp[1]) + " s"});
                if (t.blocks() == 1) {
                    l.add(new String[] {clock.timestamp(sp[1]), "Epoch " + e.number()
                            + " - Block 1 [Training] Accelerator Utilization [AU] (%): " + num(au.get(i), "%.4f")});
                    l.add(new String[] {clock.timestamp(sp[1]), "Epoch " + e.number()
                            + " - Block 1 [Training] Throughput (samples/second): " + num(tp.get(i), "%.4f")});
                }
                for (EpochStats.CheckpointStats c : cks) {
                    if (c.key().equals("save_ckpt" + (b + 1))) {
                        l.add(new String[] {clock.timestamp(c.startNanos()), "Starting saving checkpoint " + (b + 1) + " after total step "
                                + c.step() + " for epoch " + e.number()});
                        l.add(new String[] {clock.timestamp(c.endNanos()), "Finished saving checkpoint " + (b + 1) + " for epoch "
                                + e.number() + " in " + duration(c.startNanos(), c.endNanos()) + " s; Throughput: "
                                + String.format(Locale.ROOT, "%.4f", c.seconds() > 0 ? c.totalBytes() / GIB / c.seconds() : 0.0)
                                + " GB/s"});
                    }
                }
            }
            long end = e.trainEndNanos() >= 0 ? e.trainEndNanos() : now;
            l.add(new String[] {clock.timestamp(end), "Ending epoch " + e.number() + " - " + t.steps() + " steps completed in "
                    + duration(e.startNanos(), end) + " s"});
            if (e.eval() != null) {
                PhaseStats v = e.eval();
                long vEnd = v.endNanos() >= 0 ? v.endNanos() : now;
                l.add(new String[] {clock.timestamp(v.startNanos()), "Starting eval - " + report.plan().evaluation().steps()
                        + " steps expected"});
                l.add(new String[] {clock.timestamp(vEnd), "Ending eval - " + v.steps() + " steps completed in "
                        + duration(v.startNanos(), vEnd) + " s"});
                l.add(new String[] {clock.timestamp(vEnd), "Epoch " + e.number() + " [Eval] Accelerator Utilization [AU] (%): "
                        + num(evalAu().get(i), "%.4f")});
                l.add(new String[] {clock.timestamp(vEnd), "Epoch " + e.number() + " [Eval] Throughput (samples/second): "
                        + num(evalThroughput().get(i), "%.4f")});
            }
        }
        return l;
    }

    public int rank() {
        return rank;
    }

    /** Inlay's version (the jar's), or "dev". */
    static String inlayVersion() {
        String v = Results.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
