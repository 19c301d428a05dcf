package io.inlay.bench.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What fresh memory costs on this machine: allocate N GiB off-heap (zeroed, 2 MiB aligned), touch
 * every 4 KiB, free; three times. The first round includes whatever the host charges for memory the
 * guest has not touched lately. A by-hand probe quoted in bench/README.md (default read mode).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.inlay.bench.memory.FirstTouch 4</pre>
 */
public final class FirstTouch {
    private FirstTouch() {}

    public static void main(String[] args) {
        long size = Long.parseLong(args.length > 0 ? args[0] : "4") << 30;
        long sink = 0;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment m = arena.allocate(size, 1 << 21);
                for (long o = 0; o < size; o += 4096) {
                    sink += m.get(ValueLayout.JAVA_BYTE, o);
                }
            }
            System.out.printf("round %d: allocate, zero and touch %d GiB off-heap, free: %.2f s%n", r + 1, size >> 30,
                    (System.nanoTime() - t0) / 1e9);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
