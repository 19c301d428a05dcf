package io.inlay.cli.report;

import static io.inlay.cli.report.Svg.esc;
import static io.inlay.cli.report.Svg.num;

import io.inlay.cli.run.TimeBreakdown;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code inlay report DIR --html FILE}: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) showing a run: throughput per epoch per rank against the aggregate, AU per
 * epoch against {@code metric.au}, the step-latency distribution per rank, where each rank's time
 * went, and, from the ranks' traces, a timeline of the first seconds. Every plotted value is an
 * element of class {@code pt} carrying its series and values ({@code data-series}, {@code data-x},
 * {@code data-y}) and a tooltip. Up to {@value #MAX_RANKS} ranks are drawn one by one; beyond
 * that the per-epoch charts show the ranks' minimum, median and maximum, and the per-rank charts
 * the {@value #MAX_RANKS} ranks of lowest throughput (those holding the run back).
 */
public final class HtmlReport {
    static final int MAX_RANKS = 16;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};

    private final Map<Integer, Map<String, Object>> ranks;
    private final Map<String, Object> merged;
    private final Map<Integer, TraceFile> traces;
    private final String title;
    private final double timelineSeconds;

    /**
     * @param ranks each rank's figures (Inlay's JSON: {@code inlay read --json}, or the {@code inlay} object of {@code N_output.json})
     * @param merged the ranks merged as {@code inlay report} merges them
     * @param traces the ranks' traces, by rank (none: no timeline)
     * @param title what the report is of (the folder)
     * @param timelineSeconds the timeline's length
     */
    public HtmlReport(Map<Integer, Map<String, Object>> ranks, Map<String, Object> merged, Map<Integer, TraceFile> traces,
            String title, double timelineSeconds) {
        this.ranks = new TreeMap<>(ranks);
        this.merged = merged;
        this.traces = new TreeMap<>(traces);
        this.title = title;
        this.timelineSeconds = timelineSeconds;
    }

    /** A number as the page prints it (and as its points' {@code data-y} hold it). */
    public static String number(double v) {
        return num(v);
    }

    private static String color(int i) {
        return COLORS[Math.floorMod(i, COLORS.length)];
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Double d(Object o) {
        return o instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }

    /** The page. */
    public String html() {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Inlay run report: ").append(esc(title)).append("</title><style>").append(CSS).append("</style></head><body><main>\n");
        b.append("<h1>Inlay run report</h1><p class=\"sub\">").append(esc(title)).append("</p>\n");
        summary(b);
        throughput(b);
        au(b);
        latency(b);
        breakdown(b);
        timeline(b);
        b.append("<footer>Made by <code>inlay report --html</code>. Each chart's points carry their values (hover for them);")
                .append(" the traces (<code>trace-*-of-*.pfw</code>) open in Perfetto or chrome://tracing for every event.</footer>\n");
        b.append("</main></body></html>\n");
        return b.toString();
    }

    private List<Integer> shownRanks() {
        if (ranks.size() <= MAX_RANKS) {
            return new ArrayList<>(ranks.keySet());
        }
        return ranks.entrySet().stream().sorted(Comparator.comparingDouble(e -> {
            Double v = d(e.getValue().get("samples_per_second"));
            return v == null ? Double.MAX_VALUE : v;
        })).limit(MAX_RANKS).map(Map.Entry::getKey).sorted().toList();
    }

    private TimeBreakdown breakdownOf(Map<String, Object> r) {
        Map<String, Object> t = map(r.get("time_breakdown"));
        if (t.isEmpty()) {
            return null;
        }
        Map<String, Object> a = map(t.get("accelerator"));
        Map<String, Object> rd = map(t.get("readers"));
        double decode = v(rd.get("decode_seconds"));
        Double storage = d(rd.get("storage_wait_seconds"));
        return TimeBreakdown.of(v(t.get("seconds")), v(a.get("compute_seconds")), v(a.get("data_wait_seconds")),
                v(a.get("startup_wait_seconds")), v(a.get("barrier_seconds")), (int) v(rd.get("threads")), storage,
                decode + (storage == null ? 0 : storage), v(rd.get("consumer_wait_seconds")), Runtime.getRuntime().availableProcessors());
    }

    private static double v(Object o) {
        Double x = d(o);
        return x == null ? 0 : x;
    }

    private void summary(StringBuilder b) {
        TimeBreakdown all = null;
        for (Map<String, Object> r : ranks.values()) {
            TimeBreakdown t = breakdownOf(r);
            if (t == null) {
                continue;
            }
            all = all == null ? t : all.plus(t);
        }
        b.append("<section class=\"verdict\"><h2>Verdict</h2><p>");
        b.append(all == null ? "no time breakdown in these results (written by an older Inlay)" : esc(capital(all.verdict()) + "."));
        b.append("</p></section>\n<table class=\"facts\"><tbody>");
        fact(b, "ranks", merged.get("ranks_reported") + " of " + merged.get("world_size")
                + (Boolean.TRUE.equals(merged.get("complete")) ? "" : " (incomplete: a rank was interrupted)"));
        fact(b, "epochs", String.valueOf(merged.get("epochs")));
        fact(b, "samples", String.format(Locale.ROOT, "%,d", ((Number) merged.get("samples")).longValue()));
        fact(b, "throughput (summed over ranks, mean over epochs)", fmt(merged.get("samples_per_second"), " samples/s"));
        fact(b, "throughput on the ranks' common window", fmt(merged.get("samples_per_second_common"), " samples/s"));
        fact(b, "storage read on the common window", fmt(merged.get("storage_read_mb_per_second_common"), " MB/s (10^6 bytes)"));
        fact(b, "accelerator utilisation (AU)", fmt(merged.get("au_percent"), " %") + " (expected " + fmt(merged.get("au_expected_percent"),
                " %") + ": " + (Boolean.TRUE.equals(merged.get("au_pass")) ? "pass" : "fail") + ")");
        b.append("</tbody></table>\n");
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void fact(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    private static String fmt(Object o, String unit) {
        Double x = d(o);
        return x == null ? "n/a" : num(x) + unit;
    }

    private record Series(String name, String color, List<double[]> xy, boolean dashed) {}

    /** A line chart of per-epoch values. */
    private String epochChart(String chart, String label, String yLabel, List<Series> series, Double threshold, String thresholdName,
            boolean fromZero) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        int epochs = 1;
        for (Series s : series) {
            for (double[] p : s.xy()) {
                lo = Math.min(lo, p[1]);
                hi = Math.max(hi, p[1]);
                epochs = Math.max(epochs, (int) p[0]);
            }
        }
        if (threshold != null) {
            lo = Math.min(lo, threshold);
            hi = Math.max(hi, threshold);
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        if (fromZero) {
            lo = Math.min(0, lo);
        }
        Svg svg = new Svg(220, chart, label);
        Svg.Scale y = svg.yLinear(lo, hi, yLabel);
        double x0 = svg.plotLeft() + 16;
        double x1 = svg.plotRight() - 16;
        int n = epochs;
        java.util.function.DoubleUnaryOperator xAt = e -> n == 1 ? (x0 + x1) / 2 : x0 + (e - 1) * (x1 - x0) / (n - 1);
        int step = Math.max(1, (int) Math.ceil(n / 10.0));
        for (int e = 1; e <= n; e += step) {
            svg.text(xAt.applyAsDouble(e), svg.plotBottom() + 13, "middle", "tick", String.valueOf(e));
        }
        svg.xAxis("epoch");
        if (threshold != null) {
            svg.line(svg.plotLeft(), y.at(threshold), svg.plotRight(), y.at(threshold), "threshold");
            svg.text(svg.plotRight() - 2, y.at(threshold) - 3, "end", "tick", thresholdName);
        }
        for (Series s : series) {
            List<double[]> pts = new ArrayList<>();
            for (double[] p : s.xy()) {
                pts.add(new double[] {xAt.applyAsDouble(p[0]), y.at(p[1])});
            }
            svg.polyline(pts, s.color(), s.dashed() ? "series dashed" : "series");
            for (double[] p : s.xy()) {
                svg.point(xAt.applyAsDouble(p[0]), y.at(p[1]), s.color(), s.name(), String.valueOf((int) p[0]), num(p[1]),
                        s.name() + ", epoch " + (int) p[0] + ": " + num(p[1]) + " " + yLabel.replaceAll(".*\\((.*)\\)", "$1"));
            }
        }
        return svg.end();
    }

    private static String legend(List<Series> series, String extra) {
        StringBuilder b = new StringBuilder("<ul class=\"legend\">");
        for (Series s : series) {
            b.append("<li><span class=\"sw").append(s.dashed() ? " dash" : "").append("\" style=\"background:").append(s.color())
                    .append("\"></span>").append(esc(s.name())).append("</li>");
        }
        if (extra != null) {
            b.append("<li><span class=\"sw dash\" style=\"background:#444\"></span>").append(esc(extra)).append("</li>");
        }
        return b.append("</ul>").toString();
    }

    /** Per-epoch series of a per-rank key, one per rank or min/median/max over ranks when there are many. */
    private List<Series> perRank(String key) {
        List<Series> out = new ArrayList<>();
        if (ranks.size() <= MAX_RANKS) {
            for (var r : ranks.entrySet()) {
                List<double[]> xy = new ArrayList<>();
                for (Map<String, Object> e : list(r.getValue().get("per_epoch"))) {
                    Double v = d(e.get(key));
                    if (v != null) {
                        xy.add(new double[] {((Number) e.get("epoch")).doubleValue(), v});
                    }
                }
                out.add(new Series("rank " + r.getKey(), color(r.getKey()), xy, false));
            }
            return out;
        }
        Map<Integer, List<Double>> byEpoch = new TreeMap<>();
        for (Map<String, Object> r : ranks.values()) {
            for (Map<String, Object> e : list(r.get("per_epoch"))) {
                Double v = d(e.get(key));
                if (v != null) {
                    byEpoch.computeIfAbsent(((Number) e.get("epoch")).intValue(), k -> new ArrayList<>()).add(v);
                }
            }
        }
        String[] names = {"slowest rank", "median rank", "fastest rank"};
        for (int q = 0; q < 3; q++) {
            List<double[]> xy = new ArrayList<>();
            for (var e : byEpoch.entrySet()) {
                List<Double> l = new ArrayList<>(e.getValue());
                l.sort(null);
                double v = q == 0 ? l.get(0) : q == 1 ? l.get(l.size() / 2) : l.get(l.size() - 1);
                xy.add(new double[] {e.getKey(), v});
            }
            out.add(new Series(names[q], color(q), xy, false));
        }
        return out;
    }

    private void throughput(StringBuilder b) {
        List<Series> s = perRank("samples_per_second");
        List<double[]> agg = new ArrayList<>();
        for (Map<String, Object> e : list(merged.get("per_epoch"))) {
            Double v = d(e.get("samples_per_second_sum"));
            if (v != null) {
                agg.add(new double[] {((Number) e.get("epoch")).doubleValue(), v});
            }
        }
        s.add(new Series("all ranks (sum)", "#000000", agg, true));
        b.append("<section><h2>Throughput per epoch</h2><p class=\"cap\">Samples per second of each rank over DLIO's metric window,")
                .append(" and their sum (what DLIO reports).</p>")
                .append(epochChart("throughput", "throughput per epoch per rank and summed", "throughput (samples/s)", s, null, null, true))
                .append(legend(s, null)).append("</section>\n");
    }

    private void au(StringBuilder b) {
        List<Series> s = perRank("au_percent");
        Double expected = d(merged.get("au_expected_percent"));
        b.append("<section><h2>Accelerator utilisation per epoch</h2><p class=\"cap\">AU of each rank (compute time over the metric")
                .append(" window) against <code>metric.au</code>: a run passes when the ranks' mean reaches it.</p>")
                .append(epochChart("au", "AU per epoch per rank", "AU (%)", s, expected, expected == null ? null
                        : "metric.au " + num(expected) + " %", true))
                .append(legend(s, expected == null ? null : "metric.au")).append("</section>\n");
    }

    private void latency(StringBuilder b) {
        List<Integer> shown = shownRanks();
        String[] qs = {"p50", "p90", "p99", "max"};
        String[] qc = {"#2ca02c", "#1f77b4", "#ff7f0e", "#d62728"};
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int r : shown) {
            Map<String, Object> l = map(ranks.get(r).get("latency_ms"));
            for (String q : qs) {
                Double v = d(l.get(q));
                if (v != null && v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi == 0) {
            lo = 0.001;
            hi = 1;
        }
        Svg svg = new Svg(220, "latency", "step latency per rank");
        Svg.Scale y = svg.yLog(lo, hi, "wait for a batch (ms, log)");
        double w = (svg.plotRight() - svg.plotLeft()) / Math.max(1, shown.size());
        for (int i = 0; i < shown.size(); i++) {
            int r = shown.get(i);
            double cx = svg.plotLeft() + w * (i + 0.5);
            Map<String, Object> l = map(ranks.get(r).get("latency_ms"));
            Double p50 = d(l.get("p50"));
            Double max = d(l.get("max"));
            if (p50 != null && max != null) {
                svg.line(cx, y.at(Math.max(p50, y.lo())), cx, y.at(Math.max(max, y.lo())), "range");
            }
            for (int q = 0; q < qs.length; q++) {
                Double v = d(l.get(qs[q]));
                if (v != null) {
                    svg.point(cx, y.at(Math.max(v, y.lo())), qc[q], qs[q], "rank " + r, num(v), "rank " + r + " " + qs[q] + ": "
                            + num(v) + " ms");
                }
            }
            svg.text(cx, svg.plotBottom() + 13, "middle", "tick", String.valueOf(r));
        }
        svg.xAxis("rank");
        b.append("<section><h2>Step latency</h2><p class=\"cap\">How long the accelerator waited for each batch (DLIO's load")
                .append(" time), every step of every epoch: median, 90th and 99th percentiles and the longest")
                .append(ranks.size() > MAX_RANKS ? "; the " + MAX_RANKS + " ranks of lowest throughput" : "").append(".</p>")
                .append(svg.end()).append("<ul class=\"legend\">");
        for (int q = 0; q < qs.length; q++) {
            b.append("<li><span class=\"sw\" style=\"background:").append(qc[q]).append("\"></span>").append(qs[q]).append("</li>");
        }
        b.append("</ul></section>\n");
    }

    private void breakdown(StringBuilder b) {
        List<Integer> shown = new ArrayList<>();
        for (int r : shownRanks()) {
            if (breakdownOf(ranks.get(r)) != null) {
                shown.add(r);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        String[] acc = {"compute", "waiting for data", "barriers", "other"};
        String[] accC = {"#2ca02c", "#d62728", "#7f7f7f", "#98df8a"};
        String[] rd = {"storage wait", "decode", "waiting on the consumer", "idle"};
        String[] rdC = {"#1f77b4", "#ff7f0e", "#9467bd", "#dddddd"};
        double barH = 12;
        double rowH = 2 * barH + 12;
        double height = Svg.TOP + rowH * shown.size() + Svg.BOTTOM;
        Svg svg = new Svg(height, "breakdown", "time breakdown per rank");
        double x0 = svg.plotLeft();
        double x1 = svg.plotRight();
        for (int pct = 0; pct <= 100; pct += 25) {
            double x = x0 + (x1 - x0) * pct / 100.0;
            svg.line(x, svg.plotTop(), x, svg.plotBottom(), "grid");
            svg.text(x, svg.plotBottom() + 13, "middle", "tick", pct + "%");
        }
        for (int i = 0; i < shown.size(); i++) {
            int r = shown.get(i);
            TimeBreakdown t = breakdownOf(ranks.get(r));
            double top = svg.plotTop() + i * rowH + 4;
            svg.text(x0 - 4, top + barH - 2, "end", "tick", "r" + r + " acc.");
            svg.text(x0 - 4, top + 2 * barH + 1, "end", "tick", "readers");
            double s = Math.max(1e-12, t.seconds());
            double[] a = {t.computeSeconds() / s, t.dataWaitSeconds() / s, t.barrierSeconds() / s, t.otherSeconds() / s};
            double rs = Math.max(1e-12, t.readerSeconds());
            double[] q = {t.storageWaitSeconds() == null ? 0 : t.storageWaitSeconds() / rs, t.decodeSeconds() / rs,
                t.consumerWaitSeconds() / rs, t.idleSeconds() / rs};
            if (t.storageWaitSeconds() == null) {
                rd[1] = "reading (storage + decode)";
            }
            segments(svg, x0, x1, top, barH - 1, a, acc, accC, r, "accelerator");
            segments(svg, x0, x1, top + barH, barH - 1, q, rd, rdC, r, "readers");
        }
        svg.xAxis("share of the time (%)");
        b.append("<section><h2>Where the time went</h2><p class=\"cap\">Per rank, the accelerator's time (top bar) and its reader")
                .append(" threads' time (bottom bar) over the training phases.</p>").append(svg.end()).append("<ul class=\"legend\">");
        for (int i = 0; i < 4; i++) {
            b.append("<li><span class=\"sw\" style=\"background:").append(accC[i]).append("\"></span>accelerator: ").append(acc[i])
                    .append("</li>");
        }
        for (int i = 0; i < 4; i++) {
            b.append("<li><span class=\"sw\" style=\"background:").append(rdC[i]).append("\"></span>readers: ").append(esc(rd[i]))
                    .append("</li>");
        }
        b.append("</ul><ul class=\"bounds\">");
        for (int r : shown) {
            b.append("<li>rank ").append(r).append(": ").append(esc(breakdownOf(ranks.get(r)).verdict())).append("</li>");
        }
        b.append("</ul></section>\n");
    }

    private static void segments(Svg svg, double x0, double x1, double y, double h, double[] shares, String[] names, String[] colors,
            int rank, String side) {
        double x = x0;
        double total = 0;
        for (double s : shares) {
            total += Math.max(0, s);
        }
        double scale = total > 1 ? 1 / total : 1;
        for (int i = 0; i < shares.length; i++) {
            double w = (x1 - x0) * Math.max(0, shares[i]) * scale;
            svg.bar(x, y, w, h, colors[i], side + ": " + names[i], "rank " + rank, num(100 * shares[i]),
                    "rank " + rank + ", " + side + ", " + names[i] + ": " + String.format(Locale.ROOT, "%.1f%%", 100 * shares[i]));
            x += w;
        }
    }

    private void timeline(StringBuilder b) {
        if (traces.isEmpty()) {
            b.append("<section><h2>Timeline</h2><p class=\"cap\">No trace in these results: run with <code>--trace</code>")
                    .append(" (or <code>workflow.profiling=True</code>) for a timeline.</p></section>\n");
            return;
        }
        long t0 = Long.MAX_VALUE;
        for (TraceFile t : traces.values()) {
            for (TraceFile.Event e : t.events()) {
                if (e.cat().equals("train") && e.name().equals("epoch")) {
                    t0 = Math.min(t0, e.ts());
                }
            }
        }
        if (t0 == Long.MAX_VALUE) {
            for (TraceFile t : traces.values()) {
                for (TraceFile.Event e : t.events()) {
                    t0 = Math.min(t0, e.ts());
                }
            }
        }
        long last = t0;
        for (TraceFile t : traces.values()) {
            for (TraceFile.Event e : t.events()) {
                last = Math.max(last, e.end());
            }
        }
        double window = Math.min(timelineSeconds, Math.max(1e-3, (last - t0) / 1e6));
        b.append("<section><h2>Timeline</h2><p class=\"cap\">What each thread of each rank did in the first ").append(num(window))
                .append(" s from the first epoch's start").append(window < timelineSeconds ? " (the whole run)" : "")
                .append(", on one time base: each column shows what took most of it (blank: idle).</p>");
        java.util.EnumSet<Timeline.Activity> used = java.util.EnumSet.noneOf(Timeline.Activity.class);
        List<Integer> shown = shownRanks();
        for (var t : traces.entrySet()) {
            if (ranks.size() > MAX_RANKS && !shown.contains(t.getKey())) {
                continue;
            }
            b.append("<div class=\"rank\" data-chart=\"timeline\" data-rank=\"").append(t.getKey()).append("\"><h3>")
                    .append(esc(t.getValue().processNames().getOrDefault((long) t.getKey(), "rank " + t.getKey())))
                    .append(t.getValue().complete() ? "" : " (trace incomplete)").append("</h3>");
            for (Timeline.Lane lane : Timeline.lanes(t.getValue(), t0, window)) {
                b.append("<div class=\"lane\"><div class=\"lname\">").append(esc(lane.name())).append("</div>")
                        .append("<svg class=\"lanebar\" viewBox=\"0 0 ").append(Timeline.BINS).append(" 10\" preserveAspectRatio=\"none\">");
                double binSeconds = window / Timeline.BINS;
                for (int[] run : Timeline.runs(lane, window)) {
                    Timeline.Activity a = Timeline.Activity.values()[run[2]];
                    used.add(a);
                    b.append("<rect class=\"pt\" data-series=\"").append(esc(a.label)).append("\" data-x=\"")
                            .append(num(run[0] * binSeconds)).append("\" data-y=\"").append(num(run[1] * binSeconds)).append("\" x=\"")
                            .append(run[0]).append("\" y=\"0\" width=\"").append(run[1]).append("\" height=\"10\" fill=\"")
                            .append(a.color).append("\"><title>").append(esc(lane.name() + ": " + a.label + ", " + num(run[0] * binSeconds)
                                    + " to " + num((run[0] + run[1]) * binSeconds) + " s")).append("</title></rect>");
                }
                b.append("</svg></div>");
            }
            b.append(timeAxis(window)).append("</div>");
        }
        b.append("<ul class=\"legend\">");
        for (Timeline.Activity a : used) {
            b.append("<li><span class=\"sw\" style=\"background:").append(a.color).append("\"></span>").append(esc(a.label)).append("</li>");
        }
        b.append("</ul></section>\n");
    }

    /** The timeline's time axis, in HTML (its text keeps its size whatever the page's width). */
    private static String timeAxis(double seconds) {
        StringBuilder s = new StringBuilder("<div class=\"taxis\">");
        for (double t : Svg.ticks(0, seconds)) {
            if (t > seconds * (1 + 1e-9)) {
                break;
            }
            double pct = 100 * t / seconds;
            s.append("<span class=\"tk").append(pct > 96 ? " last" : pct < 4 ? " first" : "").append("\" style=\"left:")
                    .append(Svg.n(pct)).append("%\">").append(num(t)).append("</span>");
        }
        return s.append("</div><div class=\"tlabel\">time from the first epoch's start (s)</div>").toString();
    }

    private static final String CSS = """
            :root{color-scheme:light}
            body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fafafa}
            main{max-width:760px;margin:0 auto;padding:12px 14px 28px}
            h1{font-size:1.45em;margin:.3em 0 0}
            h2{font-size:1.12em;margin:1.4em 0 .2em}
            h3{font-size:.95em;margin:.8em 0 .2em;font-weight:600}
            .sub{color:#666;margin:.1em 0 .8em;word-break:break-all}
            .cap{color:#555;margin:.1em 0 .4em;font-size:.92em}
            .verdict{background:#fff;border-left:4px solid #1f77b4;padding:.1em .8em;margin:.6em 0}
            .verdict h2{margin:.5em 0 .1em}
            table.facts{border-collapse:collapse;width:100%;font-size:.93em;background:#fff}
            .facts th{text-align:left;font-weight:500;color:#555;padding:3px 8px 3px 0;width:48%}
            .facts td{padding:3px 0}
            .facts tr+tr{border-top:1px solid #eee}
            svg.chart{display:block;width:100%;max-width:600px;height:auto;background:#fff}
            .grid{stroke:#e6e6e6;stroke-width:.6}
            .axisline{stroke:#888;stroke-width:.8}
            .range{stroke:#999;stroke-width:1.4}
            .threshold{stroke:#444;stroke-width:1;stroke-dasharray:4 3}
            .series{stroke-width:1.6}
            .dashed{stroke-dasharray:5 3}
            .tick{font-size:9.5px;fill:#555}
            .axis{font-size:10.5px;fill:#333}
            ul.legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;gap:.2em 1em;font-size:.88em}
            .sw{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em;border-radius:2px}
            .sw.dash{height:.25em;vertical-align:.2em}
            ul.bounds{font-size:.88em;color:#444;padding-left:1.1em}
            .rank{background:#fff;padding:2px 6px 4px;margin:.4em 0}
            .lane{margin:2px 0}
            .lname{font-size:.78em;color:#555}
            svg.lanebar{display:block;width:100%;height:14px;background:#f1f1f1}
            .taxis{position:relative;height:1.3em;border-top:1px solid #888;font-size:.75em;color:#555}
            .taxis .tk{position:absolute;top:.1em;transform:translateX(-50%)}
            .taxis .tk.first{transform:none}
            .taxis .tk.last{transform:translateX(-100%)}
            .tlabel{text-align:center;font-size:.78em;color:#333}
            footer{margin-top:2em;color:#777;font-size:.82em}
            code{font-size:.92em}
            """;
}
