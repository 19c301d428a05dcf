package io.inlay.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code inlay report DIR}: merges the per-rank JSON results of a multi-node {@code inlay read}
 * as DLIO reports them: sample counts, bytes and throughputs summed over ranks, AU averaged,
 * wall time the slowest rank's.
 */
@Command(name = "report", description = "Merge the per-rank JSON results of inlay read into one report.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory holding the ranks' --json files.")
    Path dir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the merged report as JSON ('-': standard"
            + " output, the report then goes to standard error).")
    Path json;

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
            err.println("inlay report: " + dir + ": " + (Files.exists(dir) ? "not a directory" : "not found"));
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
        int world = -1;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Map<String, Object> m;
                try {
                    m = JSON.std.mapFrom(f.toFile());
                } catch (IOException e) {
                    String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
                    err.println("inlay report: " + f + ": not a JSON object (" + why + ")");
                    return Main.EXIT_FAILURE;
                }
                if (!(m.get("rank") instanceof Number r) || !(m.get("world_size") instanceof Number w) || !m.containsKey("samples")) {
                    continue; // not an inlay read result
                }
                if (world >= 0 && w.intValue() != world) {
                    err.println("inlay report: " + f + " is from a world of " + w + " ranks, others of " + world);
                    return Main.EXIT_FAILURE;
                }
                world = w.intValue();
                if (ranks.put(r.intValue(), m) != null) {
                    err.println("inlay report: two results for rank " + r + " in " + dir);
                    return Main.EXIT_FAILURE;
                }
            }
        } catch (IOException e) {
            return Failures.report(err, "report", e, common.verbose);
        }
        if (ranks.isEmpty()) {
            err.println("inlay report: " + dir + ": no inlay read results (*.json with rank and world_size)");
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
            print(out, merged, ranks);
        }
        if (json != null) {
            try {
                OutputFiles.write(json, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(merged) + "\n", stdout);
            } catch (IOException e) {
                return Failures.report(err, "report", e, common.verbose);
            }
        }
        out.flush();
        if (!missing.isEmpty()) {
            err.println("inlay report: missing results for rank" + (missing.size() == 1 ? " " : "s ") + missing);
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    static Map<String, Object> merge(Map<Integer, Map<String, Object>> ranks, int world, List<Integer> missing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("world_size", world);
        m.put("ranks_reported", ranks.size());
        m.put("ranks_missing", missing);
        for (String sum : List.of("samples", "steps", "files", "files_read", "bytes_read", "bytes_decoded",
                "samples_per_second", "read_mb_per_second", "decoded_mb_per_second", "gc_count")) {
            m.put(sum, ranks.values().stream().mapToDouble(r -> num(r, sum)).sum());
        }
        for (String integer : List.of("samples", "steps", "files", "files_read", "bytes_read", "bytes_decoded", "gc_count")) {
            m.put(integer, (long) (double) (Double) m.get(integer));
        }
        m.put("seconds", ranks.values().stream().mapToDouble(r -> num(r, "seconds")).max().orElse(0));
        List<Double> aus = ranks.values().stream().filter(r -> r.get("au_percent") instanceof Number)
                .map(r -> num(r, "au_percent")).toList();
        m.put("au_percent", aus.isEmpty() ? null : aus.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        m.put("au_percent_min", aus.isEmpty() ? null : aus.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        m.put("au_percent_max", aus.isEmpty() ? null : aus.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        Object expected = ranks.values().iterator().next().get("au_expected_percent");
        m.put("au_expected_percent", expected);
        m.put("au_pass", ranks.values().stream().allMatch(r -> Boolean.TRUE.equals(r.get("au_pass"))));
        m.put("peak_rss_anon_bytes_max", (long) ranks.values().stream().mapToDouble(r -> num(r, "peak_rss_anon_bytes")).max().orElse(0));
        m.put("peak_heap_bytes_max", (long) ranks.values().stream().mapToDouble(r -> num(r, "peak_heap_bytes")).max().orElse(0));
        List<Map<String, Object>> per = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Object>> e : ranks.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rank", e.getKey());
            for (String k : List.of("samples", "bytes_read", "seconds", "samples_per_second", "read_mb_per_second",
                    "au_percent", "peak_rss_anon_bytes")) {
                r.put(k, e.getValue().get(k));
            }
            per.add(r);
        }
        m.put("per_rank", per);
        return m;
    }

    private static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    private static void print(PrintWriter out, Map<String, Object> m, Map<Integer, Map<String, Object>> ranks) {
        out.printf(Locale.ROOT, "%d of %d ranks reported: %,d samples, %,d bytes read in %.2f s (slowest rank)%n",
                ranks.size(), (int) m.get("world_size"), (long) m.get("samples"), (long) m.get("bytes_read"), (double) m.get("seconds"));
        for (Map<String, Object> r : ranks.values()) {
            out.printf(Locale.ROOT, "  rank %s: %s samples, %.1f samples/s, %.1f MB/s, AU %s%n", r.get("rank"), r.get("samples"),
                    num(r, "samples_per_second"), num(r, "read_mb_per_second"),
                    r.get("au_percent") instanceof Number n ? String.format(Locale.ROOT, "%.2f%%", n.doubleValue()) : "n/a");
        }
        out.println("[METRIC] ==========================================================");
        out.printf(Locale.ROOT, "[METRIC] Number of Simulated Accelerators: %d%n", ranks.size());
        out.printf(Locale.ROOT, "[METRIC] Training Accelerator Utilization [AU] (%%): %s%n",
                m.get("au_percent") == null ? "n/a" : String.format(Locale.ROOT, "%.4f", (double) m.get("au_percent")));
        out.printf(Locale.ROOT, "[METRIC] Training Throughput (samples/second): %.4f%n", (double) m.get("samples_per_second"));
        out.printf(Locale.ROOT, "[METRIC] Training I/O Throughput (MB/second): %.4f%n", (double) m.get("read_mb_per_second"));
        if (m.get("au_expected_percent") instanceof Number e) {
            out.printf(Locale.ROOT, "[METRIC] train_au_meet_expectation: %s (expected %.2f%%)%n",
                    Boolean.TRUE.equals(m.get("au_pass")) ? "success" : "fail", e.doubleValue());
        }
        out.println("[METRIC] ==========================================================");
    }
}
