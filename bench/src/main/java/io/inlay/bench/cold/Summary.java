package io.inlay.bench.cold;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Medians over the rounds, per view, case, thread count and contender, with the ratio to fio's
 * io_uring QD16 O_DIRECT floor on the same case and thread count ({@link FioFloor#REFERENCE}),
 * the bytes fetched from storage against the file and projected bytes, and whether every
 * eviction worked and every checksum matched. {@code report.py cold} formats it.
 */
final class Summary {
    private Summary() {}

    static List<Map<String, Object>> of(List<Map<String, Object>> samples, List<Map<String, Object>> cases) {
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> s : samples) {
            if (Boolean.TRUE.equals(s.get("warmup"))) {
                continue;
            }
            groups.computeIfAbsent(key(s.get("view"), s.get("case"), s.get("threads"), s.get("contender")), x -> new ArrayList<>())
                    .add(s);
        }
        Map<String, Map<String, Object>> caseById = new LinkedHashMap<>();
        for (Map<String, Object> c : cases) {
            caseById.put((String) c.get("id"), c);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Double> floor = new LinkedHashMap<>();
        for (List<Map<String, Object>> g : groups.values()) {
            Map<String, Object> first = g.get(0);
            List<Map<String, Object>> ok = g.stream().filter(s -> !s.containsKey("error")).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("view", first.get("view"));
            m.put("case", first.get("case"));
            m.put("threads", first.get("threads"));
            m.put("contender", first.get("contender"));
            m.put("kind", first.get("kind"));
            m.put("runs", ok.size());
            m.put("failed", g.size() - ok.size());
            if (ok.isEmpty()) {
                out.add(m);
                continue;
            }
            double[] rates = ok.stream().mapToDouble(s -> num(s.get("mb_per_s"))).toArray();
            double[] seconds = ok.stream().mapToDouble(s -> num(s.get("seconds"))).toArray();
            double rate = median(rates);
            m.put("median_mb_per_s", rate);
            m.put("min_mb_per_s", Arrays.stream(rates).min().orElse(Double.NaN));
            m.put("max_mb_per_s", Arrays.stream(rates).max().orElse(Double.NaN));
            m.put("spread_percent", 100 * (Arrays.stream(rates).max().orElse(0) - Arrays.stream(rates).min().orElse(0)) / rate);
            m.put("median_seconds", median(seconds));
            long bytes = ((Number) first.get("bytes")).longValue();
            m.put("bytes", bytes);
            double storage = medianOrNull(ok, "storage_bytes");
            if (!Double.isNaN(storage)) {
                m.put("median_storage_bytes", (long) storage);
                m.put("storage_over_file_bytes", storage / bytes);
                Map<String, Object> info = caseById.get((String) first.get("case"));
                if (info != null && "matrix".equals(first.get("view"))) {
                    m.put("storage_over_projected_bytes", storage / num(info.get("projected_chunk_bytes")));
                }
            }
            double device = medianOrNull(ok, "device_bytes");
            if (!Double.isNaN(device)) {
                m.put("median_device_bytes", (long) device);
            }
            double cpu = medianOrNull(ok, "cpu_seconds");
            if (!Double.isNaN(cpu)) {
                m.put("median_cpu_seconds", cpu);
                m.put("cpu_seconds_per_gb", cpu / (bytes / 1e9));
            }
            int files = 0;
            int filesOk = 0;
            long residentAfter = 0;
            for (Map<String, Object> s : ok) {
                @SuppressWarnings("unchecked")
                Map<String, Object> cache = (Map<String, Object>) s.get("cache");
                if (cache != null) {
                    files += ((Number) cache.get("files")).intValue();
                    filesOk += ((Number) cache.get("files_ok")).intValue();
                    residentAfter = Math.max(residentAfter, ((Number) cache.get("resident_after")).longValue());
                }
            }
            m.put("cache", ((Map<?, ?>) ok.get(0).getOrDefault("cache", Map.of())).get("asked"));
            m.put("cache_files_ok", filesOk);
            m.put("cache_files", files);
            m.put("max_resident_after", residentAfter);
            long gated = ok.stream().filter(s -> "ok".equals(s.get("gate"))).count();
            m.put("gate", gated == 0 ? "n/a" : gated == ok.size() ? "ok" : "MISMATCH");
            m.put("checksums_ok", gated);
            m.put("load1_min", ok.stream().mapToDouble(s -> num(s.get("load1"))).min().orElse(Double.NaN));
            m.put("load1_max", ok.stream().mapToDouble(s -> num(s.get("load1"))).max().orElse(Double.NaN));
            addEpochFigures(m, ok);
            if (FioFloor.REFERENCE.equals(first.get("contender"))) {
                floor.put(key(first.get("case"), first.get("threads")), rate);
            }
            out.add(m);
        }
        for (Map<String, Object> m : out) {
            Double f = floor.get(key(m.get("case"), m.get("threads")));
            if (f != null && m.containsKey("median_mb_per_s")) {
                m.put("ratio_to_fio_qd16_direct", num(m.get("median_mb_per_s")) / f);
            }
        }
        return out;
    }

    /** For multi-epoch runs: the whole run's rate against the steady epochs' (medians over the rounds). */
    private static void addEpochFigures(Map<String, Object> m, List<Map<String, Object>> ok) {
        List<Double> whole = new ArrayList<>();
        List<Double> withStart = new ArrayList<>();
        for (Map<String, Object> s : ok) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) s.get("detail");
            if (d != null && d.get("whole_mb_per_s") instanceof Number w) {
                whole.add(w.doubleValue());
            }
            if (d != null && d.get("whole_with_jvm_start_mb_per_s") instanceof Number w) {
                withStart.add(w.doubleValue());
            }
        }
        if (!whole.isEmpty()) {
            double w = median(whole.stream().mapToDouble(Double::doubleValue).toArray());
            m.put("median_whole_mb_per_s", w);
            m.put("whole_over_steady", w / num(m.get("median_mb_per_s")));
        }
        if (!withStart.isEmpty()) {
            m.put("median_whole_with_jvm_start_mb_per_s", median(withStart.stream().mapToDouble(Double::doubleValue).toArray()));
        }
    }

    static void print(List<Map<String, Object>> summary, PrintStream log) {
        log.println("cold: medians over the rounds (MB/s of file bytes; x fio = against fio io_uring QD16 O_DIRECT, same case and threads)");
        for (Map<String, Object> m : summary) {
            if (!m.containsKey("median_mb_per_s")) {
                log.printf(Locale.ROOT, "  %-6s %-18s %st  %-28s failed%n", m.get("view"), m.get("case"), m.get("threads"),
                        m.get("contender"));
                continue;
            }
            Object ratio = m.get("ratio_to_fio_qd16_direct");
            log.printf(Locale.ROOT, "  %-6s %-18s %st  %-28s %8.1f MB/s  %s  spread %4.0f%%  evicted/cached %s/%s  gate %s%s%n",
                    m.get("view"), m.get("case"), m.get("threads"), m.get("contender"), num(m.get("median_mb_per_s")),
                    ratio == null ? "  x fio n/a " : String.format(Locale.ROOT, "%5.2fx fio", num(ratio)),
                    num(m.get("spread_percent")), m.get("cache_files_ok"), m.get("cache_files"), m.get("gate"),
                    m.containsKey("whole_over_steady")
                            ? String.format(Locale.ROOT, "  whole run %.1f MB/s (%.2fx steady)", num(m.get("median_whole_mb_per_s")),
                                    num(m.get("whole_over_steady")))
                            : "");
        }
    }

    private static String key(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            b.append(p).append('\u0000');
        }
        return b.toString();
    }

    private static double medianOrNull(List<Map<String, Object>> samples, String field) {
        double[] v = samples.stream().map(s -> s.get(field)).filter(x -> x instanceof Number n && n.doubleValue() >= 0)
                .mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        return v.length == 0 ? Double.NaN : median(v);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
