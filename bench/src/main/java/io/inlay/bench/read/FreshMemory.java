package io.inlay.bench.read;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Fresh off-heap memory taken the way the best reader would take it for a whole row group:
 * {@code aligned_alloc} at 2 MiB with {@code madvise(MADV_HUGEPAGE)}, not zero-filled by Java, freed
 * with {@code free}. For {@code floor-place-fresh}: the kernel's cost of handing out new memory
 * (a page fault and zeroing per page first touched) is what it measures beside the placing.
 */
final class FreshMemory {
    private static final long HUGE = 2L << 20;
    private static final int MADV_HUGEPAGE = 14;
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle MADVISE;

    static {
        Linker linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        ALIGNED_ALLOC = linker.downcallHandle(lookup.find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(lookup.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        MADVISE = linker.downcallHandle(lookup.find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }

    private FreshMemory() {}

    /** {@code bytes} of new memory (rounded up to 2 MiB), backed by huge pages where the kernel has them. */
    static MemorySegment allocate(long bytes) {
        long size = (Math.max(bytes, 1) + HUGE - 1) & -HUGE;
        MemorySegment raw;
        try {
            raw = (MemorySegment) ALIGNED_ALLOC.invokeExact(HUGE, size);
            if (raw.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("aligned_alloc(" + size + ") failed");
            }
            int ignored = (int) MADVISE.invokeExact(raw, size, MADV_HUGEPAGE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("aligned_alloc/madvise failed", t);
        }
        return raw.reinterpret(size);
    }

    static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
