package io.inlay.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.dlio.Json;
import io.inlay.cli.report.HtmlReport;
import io.inlay.cli.report.TraceFile;
import io.inlay.cli.run.Clock;
import io.inlay.cli.run.Stats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay report DIR}: merges the ranks' results of runs that did not reduce them
 * themselves (processes started without MPI, each with {@code --rank}), from Inlay's JSON
 * ({@code --json}) or the DLIO folders Inlay writes ({@code N_output.json}). Per epoch, as DLIO:
 * throughput summed and AU averaged over ranks; and on one time base, from the ranks' wall-clock
 * windows: total samples and bytes over (latest end - earliest start). Ranks whose windows
 * overlap less than 90% did not run together: the sum then overstates, and the report says so.
 */
@Command(name = "report", description = {"Merge the per-rank results of inlay read (its --json files, or the N_output.json",
    "of its result folders) into one report, on the ranks' common wall-clock window."})
final class ReportCommand implements Callable<Integer> {
    /** Below this share of overlap, the ranks' windows are not one run. */
    static final double MIN_OVERLAP = 0.90;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder holding the ranks' JSON files or result folders.")
    Path dir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the merged report as JSON ('-': standard"
            + " output, the report then goes to standard error).")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page of the run (charts of"
            + " throughput, AU, step latency and the time breakdown per rank, and a timeline from the ranks' traces).")
    Path html;

    @Option(names = "--timeline-seconds", paramLabel = "S", defaultValue = "10",
            description = "The HTML timeline's length from the first epoch's start (default ${DEFAULT-VALUE}; the whole run when shorter).")
    double timelineSeconds;
    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = OutputFiles.isStdout(json) ? err : stdout;
        if (!Files.isDirectory(dir)) {
            err.println("inlay report: " + dir + ": " + (Files.exists(dir) ? "not a folder" : "not found"));
            err.flush();
            return Main.EXIT_USAGE;
        }
        try {
            OutputFiles.check(json, "--json");
        } catch (OutputFiles.Unwritable e) {
            err.println("inlay report: " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        Map<Integer, Map<String, Object>> ranks = new TreeMap<>();
        Map<Integer, Path> from = new TreeMap<>();
        int world = -1;
        List<Path> candidates;
        try (Stream<Path> s = Files.walk(dir, 3)) {
            candidates = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return Failures.report(err, "report", e, common.verbose);
        }
        for (Path f : candidates) {
            Map<String, Object> m;
            try {
                m = JSON.std.mapFrom(f.toFile());
            } catch (IOException e) {
                err.println("inlay report: " + f + ": not a JSON object (" + e.getMessage().lines().findFirst().orElse("") + ")");
                return Main.EXIT_FAILURE;
            }
            if (f.getFileName().toString().endsWith("_output.json") && m.get("inlay") instanceof Map<?, ?> in) {
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) in;
                m = inner;
            }
            if (!(m.get("rank") instanceof Number r) || !(m.get("world_size") instanceof Number w) || !(m.get("per_epoch") instanceof List)) {
                continue; // not a rank's result of inlay read (a summary, a config, another tool's file)
            }
            if (world >= 0 && w.intValue() != world) {
                err.println("inlay report: " + f + " is from a world of " + w + " ranks, others of " + world);
                return Main.EXIT_FAILURE;
            }
            world = w.intValue();
            if (ranks.put(r.intValue(), m) != null) {
                err.println("inlay report: two results for rank " + r + ": " + from.get(r.intValue()) + " and " + f);
                return Main.EXIT_FAILURE;
            }
            from.put(r.intValue(), f);
        }
        if (ranks.isEmpty()) {
            err.println("inlay report: " + dir + ": no results of inlay read (JSON with rank, world_size and per_epoch)");
            return Main.EXIT_FAILURE;
        }
        List<Integer> missing = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            if (!ranks.containsKey(r)) {
                missing.add(r);
            }
        }
        Map<String, Object> merged = merge(ranks, world, missing);
        if (!common.quiet) {
            print(out, merged);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> per = (List<Map<String, Object>>) merged.get("per_epoch");
        for (Map<String, Object> e : per) {
            if (e.get("window_overlap") instanceof Number o && o.doubleValue() < MIN_OVERLAP) {
                err.printf(Locale.ROOT, "inlay report: warning: epoch %s: the ranks' windows overlap %.0f%% only: they did not run"
                        + " together, so the summed throughput (%s samples/s) overstates; on the common window: %s samples/s%n",
                        e.get("epoch"), 100 * o.doubleValue(), RunReportText.num(e.get("samples_per_second_sum")),
                        RunReportText.num(e.get("samples_per_second_common")));
            }
        }
        if (json != null) {
            try {
                OutputFiles.write(json, Json.text(merged), stdout);
            } catch (IOException e) {
                return Failures.report(err, "report", e, common.verbose);
            }
        }
        if (html != null) {
            int code = writeHtml(ranks, merged, err);
            if (code != Main.EXIT_OK) {
                return code;
            }
        }
        out.flush();
        err.flush();
        if (!missing.isEmpty()) {
            err.println("inlay report: missing results for rank" + (missing.size() == 1 ? " " : "s ") + missing);
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** The traces in the folder ({@code trace-R-of-W.pfw[.gz]}), checked, and the page. */
    private int writeHtml(Map<Integer, Map<String, Object>> ranks, Map<String, Object> merged, PrintWriter err) {
        if (!(timelineSeconds > 0) || Double.isInfinite(timelineSeconds)) {
            err.println("inlay report: --timeline-seconds " + timelineSeconds + " must be a number of seconds above 0");
            return Main.EXIT_USAGE;
        }
        Map<Integer, TraceFile> traces = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir, 3)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                java.util.regex.Matcher m = TRACE_NAME.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                int rank = Integer.parseInt(m.group(1));
                TraceFile t = TraceFile.read(p);
                TraceFile before = traces.put(rank, t);
                if (before != null) {
                    err.println("inlay report: two traces for rank " + rank + ": " + before.file() + " and " + p);
                    return Main.EXIT_FAILURE;
                }
            }
        } catch (TraceFile.TraceFormatException e) {
            err.println("inlay report: " + e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (IOException | java.io.UncheckedIOException e) {
            return Failures.report(err, "report", e, false);
        }
        String page = new HtmlReport(ranks, merged, traces, dir.toAbsolutePath().normalize().toString(), timelineSeconds).html();
        try {
            if (html.getParent() != null) {
                Files.createDirectories(html.getParent());
            }
            Path tmp = html.resolveSibling("." + html.getFileName() + ".tmp");
            Files.writeString(tmp, page);
            Files.move(tmp, html, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return Failures.report(err, "report", e, false);
        }
        return Main.EXIT_OK;
    }

    static final java.util.regex.Pattern TRACE_NAME = java.util.regex.Pattern.compile("trace-(\\d+)-of-(\\d+)\\.pfw(\\.gz)?");

    /** Seconds since 1970 of a DLIO timestamp (local time, no zone). */
    static double epochSeconds(Object timestamp) {
        LocalDateTime t = LocalDateTime.parse(String.valueOf(timestamp), Clock.TIMESTAMP);
        var i = t.atZone(ZoneId.systemDefault()).toInstant();
        return i.getEpochSecond() + i.getNano() / 1e9;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<Integer, Map<String, Object>> ranks, int world, List<Integer> missing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("world_size", world);
        m.put("ranks_reported", ranks.size());
        m.put("ranks_missing", missing);
        m.put("complete", ranks.values().stream().allMatch(r -> Boolean.TRUE.equals(r.get("complete"))));
        for (String sum : List.of("samples", "steps", "files", "files_read", "bytes_read", "bytes_decoded", "gc_count")) {
            m.put(sum, ranks.values().stream().mapToLong(r -> r.get(sum) instanceof Number n ? n.longValue() : 0).sum());
        }
        int epochs = ranks.values().stream().mapToInt(r -> ((List<?>) r.get("per_epoch")).size()).min().orElse(0);
        List<Map<String, Object>> per = new ArrayList<>();
        List<Double> tpSum = new ArrayList<>();
        List<Double> auMean = new ArrayList<>();
        double samplesAll = 0;
        double bytesAll = 0;
        double secondsAll = 0;
        for (int i = 0; i < epochs; i++) {
            double startMin = Double.MAX_VALUE;
            double startMax = -Double.MAX_VALUE;
            double endMin = Double.MAX_VALUE;
            double endMax = -Double.MAX_VALUE;
            double samples = 0;
            double bytes = 0;
            double tp = 0;
            int tpn = 0;
            List<Double> aus = new ArrayList<>();
            for (Map<String, Object> r : ranks.values()) {
                Map<String, Object> e = ((List<Map<String, Object>>) r.get("per_epoch")).get(i);
                double start = epochSeconds(e.get("start"));
                double end = start + ((Number) e.get("seconds")).doubleValue();
                startMin = Math.min(startMin, start);
                startMax = Math.max(startMax, start);
                endMin = Math.min(endMin, end);
                endMax = Math.max(endMax, end);
                samples += ((Number) e.get("samples")).doubleValue();
                bytes += ((Number) e.get("bytes_read")).doubleValue();
                if (e.get("samples_per_second") instanceof Number n) {
                    tp += n.doubleValue();
                    tpn++;
                }
                aus.add(e.get("au_percent") instanceof Number n ? n.doubleValue() : null);
            }
            double common = endMax - startMin;
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("epoch", i + 1);
            x.put("start_spread_seconds", startMax - startMin);
            x.put("window_overlap", common <= 0 ? null : Math.max(0, endMin - startMax) / common);
            x.put("common_seconds", common);
            x.put("samples", (long) samples);
            x.put("bytes_read", (long) bytes);
            x.put("samples_per_second_sum", tpn == 0 ? null : tp);
            x.put("samples_per_second_common", common <= 0 ? null : samples / common);
            x.put("storage_read_mb_per_second_common", common <= 0 ? null : bytes / 1e6 / common);
            x.put("au_percent_mean", Stats.mean(aus));
            per.add(x);
            tpSum.add(tpn == 0 ? null : tp);
            auMean.add(Stats.mean(aus));
            samplesAll += samples;
            bytesAll += bytes;
            secondsAll += Math.max(0, common);
        }
        m.put("epochs", epochs);
        m.put("samples_per_second", Stats.mean(tpSum));
        m.put("samples_per_second_common", secondsAll == 0 ? null : samplesAll / secondsAll);
        m.put("storage_read_mb_per_second_common", secondsAll == 0 ? null : bytesAll / 1e6 / secondsAll);
        m.put("au_percent", Stats.mean(auMean));
        m.put("au_percent_min", ranks.values().stream().filter(r -> r.get("au_percent") instanceof Number)
                .mapToDouble(r -> ((Number) r.get("au_percent")).doubleValue()).min().stream().boxed().findFirst().orElse(null));
        m.put("au_expected_percent", ranks.values().iterator().next().get("au_expected_percent"));
        Object expected = m.get("au_expected_percent");
        m.put("au_pass", m.get("au_percent") instanceof Number a && expected instanceof Number x && a.doubleValue() >= x.doubleValue());
        m.put("peak_rss_anon_bytes_max", ranks.values().stream().mapToLong(r -> r.get("peak_rss_anon_bytes") instanceof Number n
                ? n.longValue() : 0).max().orElse(0));
        m.put("per_epoch", per);
        List<Map<String, Object>> perRank = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Object>> e : ranks.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rank", e.getKey());
            for (String k : List.of("complete", "samples", "bytes_read", "seconds", "samples_per_second", "au_percent",
                    "storage_read_mb_per_second", "peak_rss_anon_bytes")) {
                r.put(k, e.getValue().get(k));
            }
            perRank.add(r);
        }
        m.put("per_rank", perRank);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> m) {
        out.printf(Locale.ROOT, "%s of %s ranks reported: %,d samples, %,d bytes read%s%n", m.get("ranks_reported"),
                m.get("world_size"), (long) m.get("samples"), (long) m.get("bytes_read"),
                Boolean.TRUE.equals(m.get("complete")) ? "" : " (INCOMPLETE: a rank was interrupted)");
        for (Map<String, Object> r : (List<Map<String, Object>>) m.get("per_rank")) {
            out.printf(Locale.ROOT, "  rank %s: %s samples, %s samples/s, AU %s%n", r.get("rank"), r.get("samples"),
                    RunReportText.num(r.get("samples_per_second")), RunReportText.pct(r.get("au_percent")));
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) m.get("per_epoch")) {
            out.printf(Locale.ROOT, "  epoch %s: %s samples/s summed, %s samples/s on the common window (%s s, overlap %s)%n",
                    e.get("epoch"), RunReportText.num(e.get("samples_per_second_sum")), RunReportText.num(e.get("samples_per_second_common")),
                    RunReportText.num(e.get("common_seconds")), RunReportText.pct(e.get("window_overlap") instanceof Number o
                            ? 100 * o.doubleValue() : null));
        }
        out.println("[METRIC] ==========================================================");
        out.printf(Locale.ROOT, "[METRIC] Number of Simulated Accelerators: %s%n", m.get("ranks_reported"));
        out.printf(Locale.ROOT, "[METRIC] Training Accelerator Utilization [AU] (%%): %s%n", RunReportText.num(m.get("au_percent")));
        out.printf(Locale.ROOT, "[METRIC] Training Throughput (samples/second): %s%n", RunReportText.num(m.get("samples_per_second")));
        out.printf(Locale.ROOT, "[METRIC] Throughput on the common window (samples/second): %s%n",
                RunReportText.num(m.get("samples_per_second_common")));
        out.printf(Locale.ROOT, "[METRIC] Storage read on the common window (MB/second, 10^6 bytes): %s%n",
                RunReportText.num(m.get("storage_read_mb_per_second_common")));
        if (m.get("au_expected_percent") instanceof Number) {
            out.printf(Locale.ROOT, "[METRIC] train_au_meet_expectation: %s%n", Boolean.TRUE.equals(m.get("au_pass")) ? "success" : "fail");
        }
        out.println("[METRIC] ==========================================================");
    }

    /** Number formatting for the report lines. */
    static final class RunReportText {
        private RunReportText() {}

        static String num(Object v) {
            return v instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "n/a";
        }

        static String pct(Object v) {
            return v instanceof Number n ? String.format(Locale.ROOT, "%.2f%%", n.doubleValue()) : "n/a";
        }
    }
}
