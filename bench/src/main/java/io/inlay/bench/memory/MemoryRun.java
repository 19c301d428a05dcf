package io.inlay.bench.memory;

import io.inlay.bench.KeyValueArgs;
import io.inlay.bench.data.DatasetSpec;
import io.inlay.bench.data.Datasets;
import io.inlay.bench.data.Shape;
import io.inlay.bench.data.Sizes;
import io.inlay.bench.read.Contender;
import io.inlay.bench.read.Contenders;
import io.inlay.bench.read.ReadTarget;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A GB-scale memory run outside JMH: reads one benchmark file through one contender in this JVM
 * (start it with the heap limit under test, e.g. {@code -Xmx64m}) and records what the process
 * used: peak heap used (sampled, and the sum of the heap pools' peaks), GC count and time, heap
 * bytes allocated by all threads, and peak anonymous RSS sampled from {@code /proc/self/status}
 * ({@code RssAnon}: heap, native buffers and mallocs, not the page cache of the mapped file).
 *
 * <p>The file must exist already (written by {@code bench/run.sh data} or any JMH run), so that
 * writing it does not count. Inlay's read modes join as contenders (see {@link Contenders}).
 *
 * <p>Usage: {@code MemoryRun contender=parquet-java shape=vector size=4GiB codec=none threads=1
 * repeat=1 [json=FILE]}; prints one JSON object, and writes it to FILE if given. Exits 1 if the
 * read fails (an OutOfMemoryError is reported as such in the JSON).
 */
public final class MemoryRun {

    private MemoryRun() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = KeyValueArgs.parse(args);
        String contender = o.getOrDefault("contender", "parquet-java");
        DatasetSpec spec = new DatasetSpec(Shape.of(o.getOrDefault("shape", "vector")),
                Sizes.parse(o.getOrDefault("size", "4GiB")), o.getOrDefault("codec", "none"),
                Integer.parseInt(o.getOrDefault("rowGroupRows", "0")), DatasetSpec.DEFAULT_SEED);
        int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
        int repeat = Integer.parseInt(o.getOrDefault("repeat", "1"));
        Path file = Datasets.directory().resolve(spec.fileName(Datasets.writer().id()));
        if (!Files.exists(file)) {
            System.err.println("memory run: " + file + " does not exist; write it first with: bench/run.sh data "
                    + spec.shape().id() + " " + Sizes.format(spec.floatBytes()) + " " + spec.codec());
            System.exit(2);
        }

        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        var threadsBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long gcCount0 = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        long gcTime0 = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
        long rssBefore = RssSampler.rssAnonBytes();
        long allocated0 = threadsBean.getTotalThreadAllocatedBytes();

        String error = null;
        double sum = Double.NaN;
        long start;
        long end;
        try (RssSampler sampler = RssSampler.start(5)) {
            start = System.nanoTime();
            try (Contender c = Contenders.get(contender).open(new ReadTarget(file, spec.shape(), threads))) {
                for (int i = 0; i < repeat; i++) {
                    sum = c.sum();
                }
            } catch (OutOfMemoryError e) {
                error = "OutOfMemoryError: " + e.getMessage();
            } catch (Exception e) {
                error = e.toString();
            }
            end = System.nanoTime();
            sampler.stop();

            long allocated = threadsBean.getTotalThreadAllocatedBytes() - allocated0;
            long poolPeaks = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            double seconds = (end - start) / 1e9;
            double gib = (double) spec.floatBytes() * repeat / (1L << 30);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("contender", contender);
            r.put("file", file.getFileName().toString());
            r.put("shape", spec.shape().id());
            r.put("size", Sizes.format(spec.floatBytes()));
            r.put("codec", spec.codec());
            r.put("threads", threads);
            r.put("repeat", repeat);
            r.put("ok", error == null);
            r.put("error", error);
            r.put("sum", error == null ? Double.toHexString(sum) : null);
            r.put("seconds", seconds);
            r.put("gb_per_second", error == null ? spec.floatBytes() * (double) repeat / seconds / 1e9 : null);
            r.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
            r.put("peak_heap_used_sampled_bytes", sampler.peakHeapUsed());
            r.put("peak_heap_used_pool_sum_bytes", poolPeaks);
            r.put("gc_count", gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum() - gcCount0);
            r.put("gc_time_ms", gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() - gcTime0);
            r.put("heap_allocated_bytes", allocated);
            r.put("heap_allocated_bytes_per_gib", (long) (allocated / gib));
            r.put("rss_anon_before_bytes", rssBefore);
            r.put("peak_rss_anon_bytes", sampler.peakRssAnon());
            r.put("rss_samples", sampler.samples());
            r.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
            r.put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
            String json = toJson(r);
            System.out.println(json);
            if (o.containsKey("json")) {
                Path out = Path.of(o.get("json"));
                if (out.getParent() != null) {
                    Files.createDirectories(out.getParent());
                }
                Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
            }
        }
        System.exit(error == null ? 0 : 1);
    }

    private static String toJson(Map<String, Object> map) {
        StringJoiner j = new StringJoiner(",\n  ", "{\n  ", "\n}");
        for (var e : map.entrySet()) {
            Object v = e.getValue();
            String value;
            if (v == null) {
                value = "null";
            } else if (v instanceof Number || v instanceof Boolean) {
                value = v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v.toString();
            } else {
                value = "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
            j.add("\"" + e.getKey() + "\": " + value);
        }
        return j.toString();
    }
}
