package io.inlay.bench.read;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What mapping a file costs by itself: map it, touch one byte of every 4 KiB page, unmap; repeated,
 * the first three repetitions discarded. With {@code populate}, {@code madvise(MADV_POPULATE_READ)}
 * fills the page tables first. Not JMH: a by-hand probe of the kernel's side, quoted in
 * bench/README.md beside {@code floor-scan-open}.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.inlay.bench.read.MapCost FILE 10 [populate]</pre>
 */
public final class MapCost {
    private static final int MADV_POPULATE_READ = 22;

    private MapCost() {}

    public static void main(String[] args) throws Throwable {
        Path file = Path.of(args[0]);
        int repetitions = Integer.parseInt(args[1]);
        boolean populate = args.length > 2 && args[2].equals("populate");
        Linker linker = Linker.nativeLinker();
        MethodHandle madvise = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        long best = Long.MAX_VALUE;
        long total = 0;
        long sink = 0;
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(file); Arena arena = Arena.ofShared()) {
                MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
                if (populate && (int) madvise.invokeExact(m, m.byteSize(), MADV_POPULATE_READ) != 0) {
                    throw new IllegalStateException("madvise(MADV_POPULATE_READ) failed");
                }
                for (long o = 0; o < m.byteSize(); o += 4096) {
                    sink += m.get(ValueLayout.JAVA_BYTE, o);
                }
            }
            long t = System.nanoTime() - t0;
            if (r >= 3) {
                best = Math.min(best, t);
                total += t;
            }
        }
        System.out.printf("map + touch every 4 KiB + unmap%s: best %.1f ms, mean %.1f ms (%d)%n", populate ? " (populated)" : "",
                best / 1e6, total / 1e6 / Math.max(1, repetitions - 3), sink & 1);
    }
}
