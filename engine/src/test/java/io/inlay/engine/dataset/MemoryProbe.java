package io.inlay.engine.dataset;

import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link LargeRowGroupMemoryTest}: writes one file of a single row group of
 * 1024-float vectors and prints the peak resident set (VmHWM) and the peak heap, so the test can
 * show memory does not grow with the row group.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(1).numSamplesPerFile(rows).rowGroupSize(rows)
                .columns(List.of(new ColumnSpec("features", DType.FLOAT32, 1024))).build();
        GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .findFirst().orElse("VmHWM: -1 kB").replaceAll("[^0-9-]", "");
        System.out.println("bytes=" + r.bytesWritten() + " rss_kb=" + hwm + " heap=" + heap);
    }
}
