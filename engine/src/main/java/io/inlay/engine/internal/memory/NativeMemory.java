package io.inlay.engine.internal.memory;

import io.inlay.engine.internal.CapacityException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Off-heap memory that is not zero-filled, for buffers that decoding overwrites completely.
 * {@link Arena#allocate} zeroes every byte, which costs as much as the decoding that follows; this
 * takes memory from the C library's {@code aligned_alloc} and ties it to an arena, which frees it
 * when closed, so lifetime checks work as for any arena segment (access after close fails, it does
 * not crash). Where the C library cannot be reached, it falls back to {@link Arena#allocate}.
 *
 * <p>Large allocations are 2 MiB aligned but not {@code MADV_HUGEPAGE}d: with the kernel's usual
 * {@code defrag=madvise}, a huge-page fault in a madvised region compacts memory synchronously, which
 * on a machine whose memory is full of page cache (a storage benchmark's normal state) made the
 * first read of a 1 GiB file into fresh buffers cost 1.1 to 3.5 s of CPU instead of 0.9 s (4 KiB
 * pages), with no gain once the buffers are reused (issue 13's hot-run measurement, bench/README.md).
 */
public final class NativeMemory {
    private static final long ALIGN = 64;
    /** Allocations from this size on are aligned to 2 MiB (huge pages where the kernel gives them unasked). */
    private static final long HUGE_THRESHOLD = 8L << 20;
    private static final long HUGE_ALIGN = 2L << 20;
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    static {
        MethodHandle alloc = null;
        MethodHandle free = null;
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle madvise = null;
        try {
            Linker linker = Linker.nativeLinker();
            var lookup = linker.defaultLookup();
            var a = lookup.find("aligned_alloc");
            var f = lookup.find("free");
            if (a.isPresent() && f.isPresent()) {
                alloc = linker.downcallHandle(a.get(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                free = linker.downcallHandle(f.get(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            }
            var m = lookup.find("mmap");
            var u = lookup.find("munmap");
            var d = lookup.find("madvise");
            if (m.isPresent() && u.isPresent() && d.isPresent() && System.getProperty("os.name", "").startsWith("Linux")) {
                mmap = linker.downcallHandle(m.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                munmap = linker.downcallHandle(u.get(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(d.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            }
        } catch (RuntimeException | Error e) {
            alloc = null;
            free = null;
            mmap = null;
            munmap = null;
            madvise = null;
        }
        ALIGNED_ALLOC = alloc;
        FREE = free;
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
    }

    /**
     * Per thread: bytes requested so far and the largest single request, counted before the
     * memory is sought (so a refused request counts too). Tests bound what a read of a hostile file
     * may ask for with these; one thread-local lookup per allocation, never per value.
     */
    private static final ThreadLocal<long[]> REQUESTED = ThreadLocal.withInitial(() -> new long[2]);

    private NativeMemory() {}

    /** Bytes of off-heap memory the current thread has requested through this class. */
    public static long requestedByCurrentThread() {
        return REQUESTED.get()[0];
    }

    /** The largest single request of the current thread since {@link #resetLargestRequest()}. */
    public static long largestRequestOfCurrentThread() {
        return REQUESTED.get()[1];
    }

    /** Starts a new measurement of {@link #largestRequestOfCurrentThread()}. */
    public static void resetLargestRequest() {
        REQUESTED.get()[1] = 0;
    }

    private static void count(long bytes) {
        long[] c = REQUESTED.get();
        c[0] += bytes;
        c[1] = Math.max(c[1], bytes);
    }

    /**
     * {@code bytes} of memory (contents undefined), 64-byte aligned, freed when {@code arena} closes.
     *
     * @throws CapacityException when the memory cannot be had
     */
    public static MemorySegment allocate(Arena arena, long bytes) {
        return allocate(arena, bytes, ALIGN);
    }

    /**
     * {@code bytes} of memory (contents undefined) aligned to {@code minAlign} (a power of two; 2 MiB
     * from 8 MiB on), freed when {@code arena} closes: for buffers that O_DIRECT reads go into.
     *
     * @throws CapacityException when the memory cannot be had
     */
    public static MemorySegment allocate(Arena arena, long bytes, long minAlign) {
        if (bytes <= 0) {
            return arena.allocate(0, 1);
        }
        count(bytes);
        if (ALIGNED_ALLOC == null) {
            return arena.allocate(bytes, Math.max(ALIGN, minAlign));
        }
        long align = Math.max(minAlign, bytes >= HUGE_THRESHOLD ? HUGE_ALIGN : ALIGN);
        long size = (bytes + align - 1) & -align;
        MemorySegment raw;
        try {
            raw = (MemorySegment) ALIGNED_ALLOC.invokeExact(align, size);
        } catch (Throwable t) {
            throw new CapacityException("cannot allocate " + bytes + " bytes of off-heap memory", t);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new CapacityException("cannot allocate " + bytes + " bytes of off-heap memory");
        }
        try {
            return raw.reinterpret(bytes, arena, NativeMemory::free);
        } catch (RuntimeException e) {
            free(raw);
            throw e;
        }
    }

    /**
     * {@code bytes} of zero-filled memory, 2 MiB aligned, in an anonymous mapping of its own that is
     * backed by transparent huge pages where the kernel has them ({@code MADV_HUGEPAGE}), unmapped
     * when {@code arena} closes. For a buffer that lives long and that O_DIRECT reads go into: its
     * 2 MiB pages are physically contiguous, so one read is a few large segments for the device
     * instead of hundreds of scattered 4 KiB pages. A mapping of its own, so that the advice never
     * reaches memory the C library hands out later. Where mmap cannot be reached (not Linux), it is
     * {@link #allocate(Arena, long, long)}'s memory, 2 MiB aligned.
     *
     * @throws CapacityException when the memory cannot be had
     */
    public static MemorySegment allocateHugePages(Arena arena, long bytes) {
        if (bytes <= 0 || MMAP == null) {
            return allocate(arena, bytes, HUGE_ALIGN);
        }
        count(bytes);
        long size = (bytes + HUGE_ALIGN - 1) & -HUGE_ALIGN;
        long length = size + HUGE_ALIGN; // room to start on a 2 MiB boundary
        long raw;
        try {
            raw = (long) MMAP.invokeExact(0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new CapacityException("cannot map " + bytes + " bytes of off-heap memory", t);
        }
        if (raw == -1L) {
            throw new CapacityException("cannot map " + bytes + " bytes of off-heap memory");
        }
        long start = (raw + HUGE_ALIGN - 1) & -HUGE_ALIGN;
        try {
            int ignored = (int) MADVISE.invokeExact(start, size, MADV_HUGEPAGE); // best effort: no THP, 4 KiB pages
            return MemorySegment.ofAddress(start).reinterpret(bytes, arena, s -> unmap(raw, length));
        } catch (Throwable t) {
            unmap(raw, length);
            throw t instanceof RuntimeException e ? e : new IllegalStateException("madvise failed", t);
        }
    }

    private static void unmap(long address, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }

    private static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
