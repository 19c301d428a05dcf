package io.inlay.engine.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The few POSIX calls Inlay makes through {@code java.lang.foreign}: {@code open}/{@code close},
 * {@code posix_fadvise} (drop a file from the page cache), {@code madvise} (read-ahead hints on a
 * mapping) and {@code mincore} (which pages are resident). Linux only; {@link #available()} says
 * whether the calls could be bound. Stateless and thread-safe.
 */
public final class Posix {
    /** posix_fadvise advice: the pages will not be needed; drop clean ones from the page cache. */
    public static final int POSIX_FADV_DONTNEED = 4;
    /** madvise advice: the pages will be needed soon; start reading them. */
    public static final int MADV_WILLNEED = 3;
    /** madvise advice: back this anonymous memory with transparent huge pages. */
    public static final int MADV_HUGEPAGE = 14;
    /** madvise advice: random access; no read-around on page faults. */
    public static final int MADV_RANDOM = 1;
    /** madvise advice: the pages will be read sequentially; read ahead aggressively. */
    public static final int MADV_SEQUENTIAL = 2;
    private static final int O_RDONLY = 0;
    private static final int SC_PAGESIZE = 30;

    private static final boolean AVAILABLE;
    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FADVISE;
    private static final MethodHandle FDATASYNC;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MINCORE;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;
    public static final long PAGE_SIZE;

    static {
        boolean ok = false;
        MethodHandle open = null;
        MethodHandle close = null;
        MethodHandle fadvise = null;
        MethodHandle fdatasync = null;
        MethodHandle madvise = null;
        MethodHandle mincore = null;
        StructLayout state = null;
        VarHandle errno = null;
        long page = 4096;
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                Linker.Option capture = Linker.Option.captureCallState("errno");
                open = linker.downcallHandle(find(libc, "open"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        capture, Linker.Option.firstVariadicArg(2));
                close = linker.downcallHandle(find(libc, "close"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                fadvise = linker.downcallHandle(find(libc, "posix_fadvise"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                fdatasync = linker.downcallHandle(find(libc, "fdatasync"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), capture);
                madvise = linker.downcallHandle(find(libc, "madvise"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), capture);
                mincore = linker.downcallHandle(find(libc, "mincore"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), capture);
                MethodHandle sysconf = linker.downcallHandle(find(libc, "sysconf"),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                long p = (long) sysconf.invokeExact(SC_PAGESIZE);
                if (p > 0) {
                    page = p;
                }
                ok = true;
            } catch (Throwable t) {
                ok = false;
            }
        }
        AVAILABLE = ok;
        OPEN = open;
        CLOSE = close;
        FADVISE = fadvise;
        FDATASYNC = fdatasync;
        MADVISE = madvise;
        MINCORE = mincore;
        CALL_STATE = state;
        ERRNO = errno;
        PAGE_SIZE = page;
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        Optional<MemorySegment> s = lookup.find(name);
        return s.orElseThrow(() -> new IllegalStateException(name + " not found"));
    }

    private Posix() {}

    /** Whether the calls are bound (Linux with native access enabled). */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Asks the kernel to drop the file's pages from the page cache. Dirty pages (a file written a
     * moment ago) cannot be dropped, so the file's data is written back first ({@code fdatasync}).
     *
     * @return 0, or the error number
     */
    public static int dropFromPageCache(String path) {
        if (!AVAILABLE) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY, 0);
            if (fd < 0) {
                return (int) ERRNO.get(state, 0L);
            }
            try {
                int synced = (int) FDATASYNC.invokeExact(state, fd);
                if (synced != 0) {
                    return (int) ERRNO.get(state, 0L);
                }
                return (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * Gives {@code advice} for the pages holding {@code [offset, offset + length)} of a mapping
     * (the range is widened to whole pages).
     *
     * @return 0, or the error number
     */
    public static int madvise(MemorySegment mapping, long offset, long length, int advice) {
        if (!AVAILABLE || length <= 0 || !mapping.isNative()) {
            return -1;
        }
        long base = mapping.address();
        long start = (base + offset) & -PAGE_SIZE;
        long end = Math.min(base + offset + length, base + mapping.byteSize());
        if (end <= start) {
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) MADVISE.invokeExact(state, MemorySegment.ofAddress(start), end - start, advice);
            return r == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * How many bytes of a mapping are resident in memory (whole pages).
     *
     * @return the resident bytes, or -1 when unknown
     */
    public static long residentBytes(MemorySegment mapping) {
        if (!AVAILABLE || mapping.byteSize() == 0) {
            return mapping.byteSize() == 0 ? 0 : -1;
        }
        long base = mapping.address();
        if ((base & (PAGE_SIZE - 1)) != 0) {
            return -1;
        }
        long pages = (mapping.byteSize() + PAGE_SIZE - 1) / PAGE_SIZE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment vec = arena.allocate(pages);
            int r = (int) MINCORE.invokeExact(state, MemorySegment.ofAddress(base), mapping.byteSize(), vec);
            if (r != 0) {
                return -1;
            }
            long resident = 0;
            for (long i = 0; i < pages; i++) {
                if ((vec.get(ValueLayout.JAVA_BYTE, i) & 1) != 0) {
                    resident++;
                }
            }
            return Math.min(resident * PAGE_SIZE, mapping.byteSize());
        } catch (Throwable t) {
            return -1;
        }
    }
}
