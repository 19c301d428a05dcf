package io.inlay.bench.write;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateResult;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One file of one row group of float32 vectors (1024 per row), large enough to prove the writer's
 * memory does not grow with the row group: run it with {@code -Xmx128m} and a few GiB of rows.
 * Prints the file size, time, GB/s, the heap limit, the peak heap used and the peak resident set.
 *
 * <pre>
 * java -Xmx128m --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.inlay.bench.write.LargeFileRun DIR [ROWS=524288] [CODEC=none]
 * </pre>
 *
 * The file is deleted afterwards.
 */
public final class LargeFileRun {
    private LargeFileRun() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LargeFileRun DIR [ROWS] [CODEC]");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(args[0])), "inlay-large-");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 524_288;
        CompressionCodec codec = CompressionCodec.fromConfigName(args.length > 2 ? args[2] : "none");
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(1).numSamplesPerFile(rows).rowGroupSize(rows)
                .compression(codec).columns(List.of(new ColumnSpec("features", DType.FLOAT32, 1024))).build();
        GenerateResult r;
        try {
            r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .findFirst().map(l -> l.replaceAll("[^0-9]", "")).orElse("-1");
        System.out.printf(Locale.ROOT, "file %.3f GB (%d rows, one row group, %s) in %.2f s: %.2f GB/s; heap limit %d MiB,"
                + " peak heap used %.1f MiB, peak RSS %d MiB%n", r.bytesWritten() / 1e9, rows, codec, r.seconds(),
                r.gigabytesPerSecond(), Runtime.getRuntime().maxMemory() >> 20, peakHeap / 1048576.0,
                Long.parseLong(hwm) >> 10);
    }
}
