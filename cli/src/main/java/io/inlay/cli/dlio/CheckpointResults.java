package io.inlay.cli.dlio;

import io.inlay.cli.mpi.Comm;
import io.inlay.cli.mpi.NodeLayout;
import io.inlay.cli.mpi.ReduceOp;
import io.inlay.cli.run.CheckpointRun;
import io.inlay.cli.run.Clock;
import io.inlay.cli.run.EpochStats;
import io.inlay.cli.run.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result files of a checkpoint-only run, as DLIO's {@code statscounter.py} writes them when
 * {@code workflow.train} is False and {@code workflow.checkpoint} True: everything in DLIO's epoch
 * 1, whose {@code {rank}_per_epoch_stats.json} entry holds {@code start}, {@code save_ckpt<i>} and
 * {@code load_ckpt<i>} ({@code start}, {@code end}, {@code duration} in seconds, {@code throughput}
 * in GiB/s) and {@code end}; {@code {rank}_output.json}'s epoch has empty step lists; the summary's
 * {@code metric} holds the {@code save_checkpoint_*}, {@code load_checkpoint_*} keys (rank 0's
 * times, as DLIO) and {@code checkpoint_size_GB}, {@code epochs} is 0. Inlay's figures go under
 * {@code inlay}: every rank's bytes and each checkpoint's slowest rank.
 *
 * <p>Collective: with {@code collective} every rank calls {@link #gather} once, after the run; an
 * interrupted run passes false and gets its own figures only.
 */
public final class CheckpointResults {
    private final CheckpointRun.Report report;
    private final Clock clock;
    private final HostFacts host;
    private final Results.RunInfo info;
    private final int world;
    private final NodeLayout nodes;
    private final boolean collective;
    private final String mpi;
    private final String folder;
    private final int writers;
    private final int readRank;
    private final int rank;
    private double[] sums;
    private double[] maxs;

    private CheckpointResults(CheckpointRun.Report report, Clock clock, Comm comm, HostFacts host, Results.RunInfo info, int rank,
            int world, boolean collective, String folder, int writers, int readRank) {
        this.report = report;
        this.clock = clock;
        this.host = host;
        this.info = info;
        this.rank = rank;
        this.world = world;
        this.nodes = collective ? comm.nodes() : NodeLayout.single();
        this.collective = collective;
        this.mpi = comm.description();
        this.folder = folder;
        this.writers = writers;
        this.readRank = readRank;
    }

    /**
     * Builds the results; with {@code collective} every rank of {@code comm} must call it, with
     * reports of the same checkpoints.
     *
     * @param folder {@code checkpoint.checkpoint_folder}
     * @param writers how many ranks write files
     * @param readRank the rank whose files this rank read back
     */
    public static CheckpointResults gather(CheckpointRun.Report report, Clock clock, Comm comm, HostFacts host, Results.RunInfo info,
            int rank, int world, boolean collective, String folder, int writers, int readRank) {
        CheckpointResults r = new CheckpointResults(report, clock, comm, host, info, rank, world, collective, folder, writers,
                readRank);
        r.reduce(comm);
        return r;
    }

    private void reduce(Comm comm) {
        List<EpochStats.CheckpointStats> cs = report.checkpoints();
        int n = nodes.nodes();
        int k = cs.size();
        // per checkpoint: bytes moved (sum), seconds (max); then memory and cpus per node (sum)
        double[] s = new double[k + 2 * n];
        double[] mx = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = cs.get(i).rankBytes();
            mx[i] = cs.get(i).seconds();
        }
        if (nodes.leader()) {
            s[k + nodes.node()] = host.memoryGiB();
            s[k + n + nodes.node()] = host.cpuCount();
        }
        if (collective) {
            sums = comm.allreduce(s, ReduceOp.SUM);
            maxs = comm.allreduce(mx, ReduceOp.MAX);
        } else {
            sums = s;
            maxs = mx;
        }
    }

    private List<EpochStats.CheckpointStats> of(boolean save) {
        return report.checkpoints().stream().filter(c -> c.save() == save).toList();
    }

    /** A checkpoint's rate as DLIO computes it: the checkpoint's GiB over this rank's seconds. */
    static Double rate(EpochStats.CheckpointStats c) {
        return c.seconds() > 0 ? c.totalBytes() / Results.GIB / c.seconds() : null;
    }

    /** DLIO's {@code metric}: the {@code save_} keys when checkpoints were written, the {@code load_} keys when read. */
    public Map<String, Object> metric() {
        Map<String, Object> m = new LinkedHashMap<>();
        add(m, "save", of(true));
        add(m, "load", of(false));
        if (!report.checkpoints().isEmpty()) {
            m.put("checkpoint_size_GB", report.checkpoints().get(0).totalBytes() / Results.GIB);
        }
        return m;
    }

    private static void add(Map<String, Object> m, String kind, List<EpochStats.CheckpointStats> cs) {
        if (cs.isEmpty()) {
            return;
        }
        List<Double> rates = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        for (EpochStats.CheckpointStats c : cs) {
            rates.add(rate(c));
            durations.add(c.seconds());
        }
        m.put(kind + "_checkpoint_io_mean_GB_per_second", Stats.mean(rates));
        m.put(kind + "_checkpoint_io_stdev_GB_per_second", Stats.stdev(rates));
        m.put(kind + "_checkpoint_duration_mean_seconds", Stats.mean(durations));
        m.put(kind + "_checkpoint_duration_stdev_seconds", Stats.stdev(durations));
    }

    private long end() {
        return report.endNanos() >= 0 ? report.endNanos() : clock.nanoTime();
    }

    /** {@code {rank}_per_epoch_stats.json}. */
    public Map<String, Object> perEpochStats() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("start", clock.timestamp(report.startNanos()));
        for (EpochStats.CheckpointStats c : report.checkpoints()) {
            e.put(c.key(), entry(clock, c));
        }
        e.put("end", clock.timestamp(end()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("1", e);
        return m;
    }

    /** One {@code save_ckpt<k>} / {@code load_ckpt<k>} entry as DLIO writes it: start, end, duration (s), throughput (GiB/s). */
    static Map<String, Object> entry(Clock clock, EpochStats.CheckpointStats c) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("start", clock.timestamp(c.startNanos()));
        b.put("end", clock.timestamp(c.endNanos()));
        b.put("duration", c.seconds());
        b.put("throughput", rate(c));
        return b;
    }

    /** {@code {rank}_output.json}: host facts, epoch 1 with empty step lists, the hostname; Inlay's figures of this rank. */
    public Map<String, Object> output() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host_memory_GB", host.memoryGiB());
        m.put("host_cpu_count", host.cpuCount());
        m.put("host_processor_name", host.processorName());
        m.put("potential_caching", 0);
        m.put("host_cpuinfo", host.cpuinfo());
        m.put("host_meminfo", host.meminfo());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("start", clock.timestamp(report.startNanos()));
        for (String k : List.of("load", "proc", "throughput", "au", "compute")) {
            e.put(k, Map.of());
        }
        e.put("end", clock.timestamp(end()));
        m.put("1", e);
        m.put("hostname", host.hostname());
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("complete", report.complete());
        in.put("rank", rank);
        in.put("read_rank", readRank);
        List<Map<String, Object>> cks = new ArrayList<>();
        for (EpochStats.CheckpointStats c : report.checkpoints()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", c.key());
            x.put("bytes", c.rankBytes());
            x.put("seconds", c.seconds());
            x.put("direct", c.direct());
            cks.add(x);
        }
        in.put("checkpoints", cks);
        m.put("inlay", in);
        return m;
    }

    private List<Double> perNode(int offset) {
        int n = nodes.nodes();
        return Results.perNode(sums, report.checkpoints().size() + offset * n, n);
    }

    /** summary.json, in DLIO's key order, Inlay's figures under {@code inlay} at the end. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        Results.putRunKeys(m, clock, info, world, nodes, host, metric(), perNode(0), perNode(1));
        m.put("epochs", 0);
        m.put("end", clock.timestamp(clock.nanoTime()));
        m.put("inlay", inlay());
        return m;
    }

    /** Inlay's figures of the checkpoint-only run (summary.json's {@code inlay}). */
    public Map<String, Object> inlay() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Results.inlayVersion());
        m.put("complete", report.complete());
        m.put("ranks_aggregated", collective ? world : 1);
        m.put("mpi", mpi);
        m.put("checkpoint_folder", folder);
        m.put("writers", writers);
        long written = 0;
        long read = 0;
        List<Map<String, Object>> per = new ArrayList<>();
        List<EpochStats.CheckpointStats> cs = report.checkpoints();
        for (int i = 0; i < cs.size(); i++) {
            EpochStats.CheckpointStats c = cs.get(i);
            long bytes = (long) sums[i];
            if (c.save()) {
                written += bytes;
            } else {
                read += bytes;
            }
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", c.key());
            x.put("bytes", bytes);
            x.put("rank0_seconds", c.seconds());
            x.put("slowest_rank_seconds", maxs[i]);
            x.put("slowest_rank_gb_per_second", maxs[i] > 0 ? bytes / Results.GIB / maxs[i] : null);
            x.put("direct", c.direct());
            per.add(x);
        }
        m.put("bytes_written", written);
        m.put("bytes_read", read);
        m.put("checkpoints", per);
        return m;
    }

    /** The lines DLIO's rank 0 logs for the checkpoints ({@code statscounter.py}, {@code main.py}), from the records. */
    public List<String[]> logLines() {
        List<String[]> l = new ArrayList<>();
        List<EpochStats.CheckpointStats> saves = of(true);
        List<EpochStats.CheckpointStats> loads = of(false);
        phase(l, saves, "write", "saving");
        phase(l, loads, "read", "loading");
        return l;
    }

    private void phase(List<String[]> l, List<EpochStats.CheckpointStats> cs, String what, String verb) {
        if (cs.isEmpty()) {
            return;
        }
        l.add(new String[] {clock.timestamp(cs.get(0).startNanos()), "Checkpointing " + what + " started"});
        for (EpochStats.CheckpointStats c : cs) {
            String k = c.key().substring(c.key().indexOf("ckpt") + 4);
            l.add(new String[] {clock.timestamp(c.startNanos()), "Starting " + verb + " checkpoint " + k + " after total step "
                    + c.step() + " for epoch 1"});
            Double r = rate(c);
            l.add(new String[] {clock.timestamp(c.endNanos()), "Finished " + verb + " checkpoint " + k + " for epoch 1 in "
                    + String.format(Locale.ROOT, "%.4f", c.seconds()) + " s; Throughput: "
                    + String.format(Locale.ROOT, "%.4f", r == null ? 0.0 : r) + " GB/s"});
        }
        l.add(new String[] {clock.timestamp(cs.get(cs.size() - 1).endNanos()), "Checkpointing " + what + " finished"});
    }

    /** DLIO's closing block for a checkpoint-only run. */
    public String metricBlock() {
        Map<String, Object> metric = metric();
        StringBuilder b = new StringBuilder();
        String rule = "[METRIC] ==========================================================\n";
        b.append("Averaged metric over all steps/epochs\n").append(rule);
        b.append("[METRIC] Number of Simulated Accelerators: ").append(world).append(" \n");
        for (String kind : List.of("save", "load")) {
            if (metric.containsKey(kind + "_checkpoint_duration_mean_seconds")) {
                b.append(String.format(Locale.ROOT, "[METRIC] Checkpoint %s duration (seconds): %.4f (%.4f)%n", kind,
                        num(metric.get(kind + "_checkpoint_duration_mean_seconds")),
                        num(metric.get(kind + "_checkpoint_duration_stdev_seconds"))));
                b.append(String.format(Locale.ROOT, "[METRIC] Checkpoint %s I/O Throughput (GB/second): %.4f (%.4f)%n", kind,
                        num(metric.get(kind + "_checkpoint_io_mean_GB_per_second")),
                        num(metric.get(kind + "_checkpoint_io_stdev_GB_per_second"))));
            }
        }
        b.append(rule);
        return b.toString();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
