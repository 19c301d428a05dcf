package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inlay report DIR --html FILE} on a 2-rank, 3-epoch traced run: one self-contained file
 * (nothing fetched, no script) whose charts hold every value of the results; and, in a real
 * headless Chromium (the distribution's, skipped with the reason when absent), the page loads
 * without console errors or exceptions, fetches nothing, fits a phone's width, and every chart
 * has its data points.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlReportTest {
    Path dir;
    TracedRun run;
    Path page;
    String html;

    @BeforeAll
    void makeRunAndReport(@TempDir Path tmp) throws Exception {
        dir = tmp;
        run = TracedRun.make(dir, 2, 3);
        page = dir.resolve("report/run.html");
        Cli.Result r = Cli.run("report", run.results.toString(), "--html", page.toString());
        assertEquals(0, r.exit(), r.err());
        html = Files.readString(page);
    }

    /** Points (elements of class pt) per chart, in page order: data-chart name to count, timeline per rank. */
    static Map<String, Integer> pointsPerChart(String html) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher m = Pattern.compile("data-chart=\"([a-z]+)\"(?: data-rank=\"(\\d+)\")?").matcher(html);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start()});
            names.add(m.group(1) + (m.group(2) == null ? "" : "-" + m.group(2)));
        }
        for (int i = 0; i < starts.size(); i++) {
            int from = starts.get(i)[0];
            int to = i + 1 < starts.size() ? starts.get(i + 1)[0] : html.length();
            Matcher p = Pattern.compile("class=\"pt\"").matcher(html.substring(from, to));
            int n = 0;
            while (p.find()) {
                n++;
            }
            counts.put(names.get(i), n);
        }
        return counts;
    }

    @Test
    void oneSelfContainedFile_underAMegabyte() throws Exception {
        assertTrue(html.startsWith("<!doctype html>"));
        long size = Files.size(page);
        assertTrue(size < 1_000_000, size + " bytes");
        assertFalse(html.contains("http://") || html.contains("https://"), "no address: nothing to fetch");
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("src=") || html.contains("<img")
                || html.contains("@import") || html.contains("url("), "no script, stylesheet, image or font from anywhere");
        assertTrue(html.contains("name=\"viewport\" content=\"width=device-width"), "laid out for a phone's width");
        assertTrue(html.contains("throughput (samples/s)") && html.contains("AU (%)") && html.contains("wait for a batch (ms, log)")
                && html.contains("share of the time (%)") && html.contains("time from the first epoch's start (s)"),
                "axis labels with units");
    }

    @Test
    void everyChartHoldsItsDataPoints() {
        Map<String, Integer> n = pointsPerChart(html);
        assertEquals(2 * 3 + 3, n.get("throughput"), "2 ranks x 3 epochs, and the sum per epoch: " + n);
        assertEquals(2 * 3, n.get("au"), n.toString());
        assertEquals(2 * 4, n.get("latency"), "p50, p90, p99, max per rank: " + n);
        assertEquals(2 * 8, n.get("breakdown"), "4 accelerator and 4 reader shares per rank: " + n);
        assertTrue(n.get("timeline-0") >= 3 && n.get("timeline-1") >= 3, "a timeline per rank, every thread busy somewhere: " + n);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChartsValuesAreTheResults() throws Exception {
        for (int r = 0; r < 2; r++) {
            Map<String, Object> out = JSON.std.mapFrom(run.results.resolve("r" + r).resolve(r + "_output.json").toFile());
            Map<String, Object> inlay = (Map<String, Object>) out.get("inlay");
            for (Map<String, Object> e : (List<Map<String, Object>>) inlay.get("per_epoch")) {
                String tp = "data-series=\"rank " + r + "\" data-x=\"" + e.get("epoch") + "\" data-y=\""
                        + HtmlReport.number(((Number) e.get("samples_per_second")).doubleValue()) + "\"";
                assertTrue(html.contains(tp), "throughput point " + tp);
            }
            Map<String, Object> lat = (Map<String, Object>) inlay.get("latency_ms");
            String p99 = "data-series=\"p99\" data-x=\"rank " + r + "\" data-y=\""
                    + HtmlReport.number(((Number) lat.get("p99")).doubleValue()) + "\"";
            assertTrue(html.contains(p99), p99);
        }
        assertTrue(html.contains("metric.au 70 %"), "the built-in workload's metric.au, 0.70, drawn");
        assertTrue(html.contains("Bound by "), "the verdict");
    }

    /** What a page showed in the browser: the probe's values, console errors and exceptions, and the load time. */
    record Loaded(Map<String, Object> value, List<String> problems, double seconds) {}

    static final String PROBE = "JSON.stringify({charts: Array.from(document.querySelectorAll('[data-chart]')).map(c =>"
            + " [c.getAttribute('data-chart') + (c.dataset.rank === undefined ? '' : '-' + c.dataset.rank),"
            + " c.querySelectorAll('.pt').length]), scrollWidth: document.documentElement.scrollWidth,"
            + " innerWidth: window.innerWidth, resources: performance.getEntriesByType('resource').length,"
            + " load: performance.getEntriesByType('navigation')[0].loadEventEnd})";

    /** Loads {@code file} in a new page of {@code width} CSS pixels and collects what went wrong. */
    @SuppressWarnings("unchecked")
    static Loaded load(Chromium c, Path file, int width) throws Exception {
        String s = c.newPage();
        for (String domain : List.of("Runtime.enable", "Log.enable", "Page.enable")) {
            c.send(s, domain, Map.of());
        }
        c.send(s, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 844, "deviceScaleFactor", 1, "mobile",
                width < 600));
        long t0 = System.nanoTime();
        c.send(s, "Page.navigate", Map.of("url", file.toUri().toString()));
        c.await(e -> "Page.loadEventFired".equals(e.get("method")) && s.equals(e.get("sessionId")), 30_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> result = c.send(s, "Runtime.evaluate", Map.of("expression", PROBE, "returnByValue", true));
        Map<String, Object> value = JSON.std.mapFrom((String) ((Map<String, Object>) result.get("result")).get("value"));
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> e : c.events()) {
            if (!s.equals(e.get("sessionId"))) {
                continue;
            }
            Object method = e.get("method");
            Map<String, Object> params = (Map<String, Object>) e.getOrDefault("params", Map.of());
            if ("Runtime.exceptionThrown".equals(method)) {
                problems.add("exception: " + params.get("exceptionDetails"));
            } else if ("Runtime.consoleAPICalled".equals(method) && List.of("error", "warning", "assert").contains(params.get("type"))) {
                problems.add("console " + params.get("type") + ": " + params.get("args"));
            } else if ("Log.entryAdded".equals(method)) {
                Map<String, Object> entry = (Map<String, Object>) params.get("entry");
                if (List.of("error", "warning").contains(entry.get("level"))) {
                    problems.add("log " + entry.get("level") + ": " + entry.get("text"));
                }
            }
        }
        value.put("session", s);
        return new Loaded(value, problems, seconds);
    }

    static Chromium browser(Path dir) throws Exception {
        Optional<Path> exe = Chromium.find();
        assumeTrue(exe.isPresent(), "no Chromium (apt-get install chromium, or set CHROMIUM): the page is not checked in a browser");
        return Chromium.start(exe.get(), dir.resolve("chromium-profile-" + System.nanoTime()));
    }

    @Test
    void inAHeadlessBrowser_loadsCleanly_fitsAPhone_andDrawsEveryPoint() throws Exception {
        try (Chromium c = browser(dir)) {
            Loaded l = load(c, page, 390);
            Map<String, Integer> inBrowser = new LinkedHashMap<>();
            for (Object o : (List<?>) l.value().get("charts")) {
                List<?> pair = (List<?>) o;
                inBrowser.put((String) pair.get(0), ((Number) pair.get(1)).intValue());
            }
            assertEquals(pointsPerChart(html), inBrowser, "the browser's DOM holds every chart's points");
            assertEquals(2 * 3 + 3, inBrowser.get("throughput"));
            assertEquals(0, ((Number) l.value().get("resources")).intValue(), "nothing fetched");
            assertTrue(((Number) l.value().get("scrollWidth")).intValue() <= ((Number) l.value().get("innerWidth")).intValue(),
                    "no sideways scrolling at a phone's 390 px: " + l.value());
            assertEquals(List.of(), l.problems(), "no console errors or exceptions");
            System.out.printf(java.util.Locale.ROOT, "report page: %,d bytes; loaded in a headless Chromium at 390 px in %.3f s"
                    + " (navigation to load event; loadEventEnd %.1f ms)%n", Files.size(page), l.seconds(),
                    ((Number) l.value().get("load")).doubleValue());
            String shot = System.getProperty("report.screenshot");
            if (shot != null) { // for docs/: the page at a desktop's width
                String s = (String) l.value().get("session");
                c.send(s, "Emulation.setDeviceMetricsOverride", Map.of("width", 820, "height", 1000, "deviceScaleFactor", 1,
                        "mobile", false));
                Map<String, Object> png = c.send(s, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
                Files.write(Path.of(shot), Base64.getDecoder().decode((String) png.get("data")));
            }
        }
    }

    @Test
    void theBrowserCheckSeesWhatGoesWrong() throws Exception {
        // the same check on a page that misbehaves: it must report it (else a clean result above would mean nothing)
        Path bad = dir.resolve("bad.html");
        Files.writeString(bad, "<!doctype html><html><body><div style=\"width:2000px\">wide</div>"
                + "<script>console.error('broken'); undefinedFunction();</script></body></html>");
        try (Chromium c = browser(dir)) {
            Loaded l = load(c, bad, 390);
            assertTrue(l.problems().stream().anyMatch(p -> p.startsWith("console error")), l.problems().toString());
            assertTrue(l.problems().stream().anyMatch(p -> p.startsWith("exception")), l.problems().toString());
            assertTrue(((Number) l.value().get("scrollWidth")).intValue() > ((Number) l.value().get("innerWidth")).intValue());
        }
    }

    /**
     * A measurement, not a check (bench/run-report.sh runs it): load {@code -Dreport.page=FILE}
     * {@code -Dreport.loads=N} times in one browser, at a phone's and a desktop's width, and print
     * each time from navigation to the load event.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "report.page", matches = ".+")
    void renderTimeOfAGivenPage() throws Exception {
        Path given = Path.of(System.getProperty("report.page"));
        int loads = Integer.getInteger("report.loads", 5);
        try (Chromium c = browser(dir)) {
            for (int width : new int[] {390, 1000}) {
                List<Double> seconds = new ArrayList<>();
                for (int i = 0; i < loads; i++) {
                    Loaded l = load(c, given, width);
                    assertEquals(List.of(), l.problems());
                    seconds.add(l.seconds());
                }
                List<Double> sorted = new ArrayList<>(seconds);
                sorted.sort(null);
                System.out.printf(java.util.Locale.ROOT, "render %s (%,d bytes) at %d px: median %.3f s, max %.3f s over %d loads %s%n",
                        given, Files.size(given), width, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), loads, seconds);
            }
        }
    }

    @Test
    void manyRanks_chartsStayBounded() {
        // 64 ranks of made-up figures: per-epoch charts summarise (3 series), per-rank charts show the 16 slowest
        Map<Integer, Map<String, Object>> ranks = new LinkedHashMap<>();
        for (int r = 0; r < 64; r++) {
            Map<String, Object> m = ReportCommandTest.rank(r, "2026-07-04T05:21:10.000000", 1, 100, 100 + r);
            m.put("world_size", 64);
            m.put("samples_per_second", 100.0 + r);
            m.put("latency_ms", Map.of("p50", 1.0, "p90", 2.0, "p99", 3.0, "max", 4.0 + r));
            ranks.put(r, m);
        }
        Map<String, Object> merged = ReportCommand.merge(new java.util.TreeMap<>(ranks), 64, List.of());
        String page = new HtmlReport(ranks, merged, Map.of(), "test", 10).html();
        Map<String, Integer> n = pointsPerChart(page);
        assertEquals(3 + 1, n.get("throughput"), "slowest, median, fastest rank and the sum, for one epoch: " + n);
        assertEquals(16 * 4, n.get("latency"), n.toString());
        assertTrue(page.contains("data-series=\"max\" data-x=\"rank 15\"") && !page.contains("data-x=\"rank 16\""),
                "the 16 ranks of lowest throughput");
        assertTrue(page.contains("No trace in these results"), "no timeline without traces, and why");
    }
}
