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
 * {@code pread} (the storage I/O engines), {@code statx} (size and O_DIRECT alignment),
 * {@code posix_fadvise} (drop a file from the page cache), {@code madvise} (read-ahead hints on a
 * mapping), {@code mincore} and {@code cachestat} (which pages are resident). Linux only;
 * {@link #available()} says whether the calls could be bound. Stateless and thread-safe; the calls
 * on the storage engines' hot path ({@link #pread}, {@link #madviseQuiet}) allocate nothing.
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
    /** madvise advice (Linux 5.14+): fault in the pages now, reading them if needed; EINVAL on older kernels. */
    public static final int MADV_POPULATE_READ = 22;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    /** O_DIRECT: 040000 (octal) on x86-64, 0200000 on arm64 (asm-generic/fcntl.h and arch headers). */
    public static final int O_DIRECT = System.getProperty("os.arch", "").matches("aarch64|arm64") ? 0x10000 : 0x4000;
    public static final int EINTR = 4;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    private static final int SC_PAGESIZE = 30;
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_SIZE = 0x200;
    private static final int STATX_DIOALIGN = 0x2000;
    /** cachestat(2), Linux 6.5+: the same number in the generic table (arm64) and on x86-64. */
    private static final long SYS_CACHESTAT = 451;

    private static final boolean AVAILABLE;
    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FADVISE;
    private static final MethodHandle FDATASYNC;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MINCORE;
    private static final MethodHandle PREAD;
    private static final MethodHandle MADVISE_QUIET;
    private static final MethodHandle STATX;
    private static final MethodHandle SYSCALL4;
    private static final MethodHandle STRERROR;
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
        MethodHandle pread = null;
        MethodHandle madviseQuiet = null;
        MethodHandle statx = null;
        MethodHandle syscall4 = null;
        MethodHandle strerror = null;
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
                // pread(int fd, void *buf, size_t count, off_t offset): the buffer's address passed as a
                // long (the same register as a pointer on x86-64 and arm64), so a call allocates nothing
                pread = linker.downcallHandle(find(libc, "pread"), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), capture);
                madviseQuiet = linker.downcallHandle(find(libc, "madvise"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                statx = linker.downcallHandle(find(libc, "statx"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS), capture);
                // long syscall(long number, ...): every argument passed as a long, as the kernel reads them
                syscall4 = linker.downcallHandle(find(libc, "syscall"), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG), capture, Linker.Option.firstVariadicArg(1));
                strerror = linker.downcallHandle(find(libc, "strerror"),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
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
        PREAD = pread;
        MADVISE_QUIET = madviseQuiet;
        STATX = statx;
        SYSCALL4 = syscall4;
        STRERROR = strerror;
        CALL_STATE = state;
        ERRNO = errno;
        PAGE_SIZE = page;
    }

    /**
     * Sets the calling thread's nice value ({@code setpriority(PRIO_PROCESS, gettid(), nice)}: on
     * Linux a thread's own priority, 19 the lowest, so that it runs mostly when the CPUs would
     * otherwise be idle). Returns false where that cannot be done; raising a priority (a negative
     * value) needs privileges and fails likewise.
     */
    public static boolean niceCurrentThread(int nice) {
        if (!AVAILABLE) {
            return false;
        }
        boolean arm = System.getProperty("os.arch", "").matches("aarch64|arm64");
        long sysGettid = arm ? 178 : 186;
        long sysSetpriority = arm ? 140 : 141;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            long tid = (long) SYSCALL4.invokeExact(state, sysGettid, 0L, 0L, 0L, 0L);
            if (tid <= 0) {
                return false;
            }
            long r = (long) SYSCALL4.invokeExact(state, sysSetpriority, 0L, tid, (long) nice, 0L);
            return r == 0;
        } catch (Throwable t) {
            return false;
        }
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

    /** Memory for the {@code errno} a call leaves, one per thread that makes calls allocating nothing. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * Opens a file read-only ({@code O_RDONLY | O_CLOEXEC | extraFlags}).
     *
     * @return the file descriptor, or {@code -errno}
     */
    public static int open(String path, int extraFlags) {
        if (!AVAILABLE) {
            return -ENOSYS;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC | extraFlags, 0);
            return fd >= 0 ? fd : -errno(state);
        } catch (Throwable t) {
            return -ENOSYS;
        }
    }

    /** Closes a file descriptor; errors are ignored (nothing was written through it). */
    public static void close(int fd) {
        if (!AVAILABLE || fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing to do
        }
    }

    /**
     * {@code pread(2)} of {@code length} bytes at {@code offset} into native memory at
     * {@code address}, retried when interrupted by a signal. Allocates nothing.
     *
     * @param state this thread's {@link #newCallState call state}
     * @return bytes read (0 at end of file), or {@code -errno}
     */
    public static long pread(MemorySegment state, int fd, long address, long length, long offset) {
        try {
            for (;;) {
                long n = (long) PREAD.invokeExact(state, fd, address, length, offset);
                if (n >= 0) {
                    return n;
                }
                int e = errno(state);
                if (e != EINTR) {
                    return -e;
                }
            }
        } catch (Throwable t) {
            return -ENOSYS;
        }
    }

    /** A file's size and its O_DIRECT alignments (0 where the file system does not say). */
    public record FileStat(long size, int dioMemAlign, int dioOffsetAlign) {}

    /**
     * {@code statx(2)} of an open file: its size and, where the kernel (6.1+) and file system tell,
     * the alignment O_DIRECT needs of buffers and offsets.
     *
     * @return the figures, or null with {@code error[0]} set to the errno
     */
    public static FileStat statx(int fd, int[] error) {
        if (!AVAILABLE) {
            error[0] = ENOSYS;
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buf = arena.allocate(256, 8);
            int r = (int) STATX.invokeExact(state, fd, arena.allocateFrom(""), AT_EMPTY_PATH, STATX_SIZE | STATX_DIOALIGN, buf);
            if (r != 0) {
                error[0] = errno(state);
                return null;
            }
            int mask = buf.get(ValueLayout.JAVA_INT, 0);
            long size = buf.get(ValueLayout.JAVA_LONG, 0x28);
            boolean dio = (mask & STATX_DIOALIGN) != 0;
            return new FileStat(size, dio ? buf.get(ValueLayout.JAVA_INT, 0x98) : 0, dio ? buf.get(ValueLayout.JAVA_INT, 0x9c) : 0);
        } catch (Throwable t) {
            error[0] = ENOSYS;
            return null;
        }
    }

    /**
     * Bytes of {@code [offset, offset + length)} of an open file that are in the page cache
     * ({@code cachestat(2)}, Linux 6.5+; counted in whole pages).
     *
     * @return the bytes, or -1 when the kernel has no cachestat (or refuses it)
     */
    public static long cachedBytes(int fd, long offset, long length) {
        if (!AVAILABLE || length <= 0) {
            return length <= 0 ? 0 : -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment range = arena.allocate(16, 8);
            long start = offset & -PAGE_SIZE;
            range.set(ValueLayout.JAVA_LONG, 0, start);
            range.set(ValueLayout.JAVA_LONG, 8, offset + length - start);
            MemorySegment stat = arena.allocate(40, 8);
            long r = (long) SYSCALL4.invokeExact(state, SYS_CACHESTAT, (long) fd, range.address(), stat.address(), 0L);
            if (r != 0) {
                return -1;
            }
            return Math.min(stat.get(ValueLayout.JAVA_LONG, 0) * PAGE_SIZE, offset + length - start);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Scratch memory for {@link #cachedBytes(int, long, long, MemorySegment)}: one per thread that asks often. */
    public static MemorySegment newCachestatScratch(Arena arena) {
        return arena.allocate(64 + CALL_STATE.byteSize(), 8);
    }

    /**
     * As {@link #cachedBytes(int, long, long)}, allocating nothing: {@code scratch} comes from
     * {@link #newCachestatScratch}.
     */
    public static long cachedBytes(int fd, long offset, long length, MemorySegment scratch) {
        if (!AVAILABLE || length <= 0) {
            return length <= 0 ? 0 : -1;
        }
        try {
            long start = offset & -PAGE_SIZE;
            scratch.set(ValueLayout.JAVA_LONG, 0, start);
            scratch.set(ValueLayout.JAVA_LONG, 8, offset + length - start);
            long r = (long) SYSCALL4.invokeExact(scratch.asSlice(64), SYS_CACHESTAT, (long) fd, scratch.address(),
                    scratch.address() + 16, 0L);
            if (r != 0) {
                return -1;
            }
            return Math.min(scratch.get(ValueLayout.JAVA_LONG, 16) * PAGE_SIZE, offset + length - start);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** {@code posix_fadvise(2)} on an open file. @return 0 or the error number */
    public static int fadvise(int fd, long offset, long length, int advice) {
        if (!AVAILABLE) {
            return ENOSYS;
        }
        try {
            return (int) FADVISE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            return ENOSYS;
        }
    }

    /**
     * {@code madvise(2)} of {@code [address, address + length)}, widened to whole pages, without
     * reporting errno: for hints on the hot path, where it allocates nothing.
     *
     * @return 0, or -1 on failure
     */
    public static int madviseQuiet(long address, long length, int advice) {
        if (!AVAILABLE || length <= 0) {
            return -1;
        }
        long start = address & -PAGE_SIZE;
        try {
            return (int) MADVISE_QUIET.invokeExact(start, address + length - start, advice);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** The C library's text for an error number ("Invalid argument"). */
    public static String strerror(int errno) {
        if (AVAILABLE) {
            try {
                MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
                if (!s.equals(MemorySegment.NULL)) {
                    return s.reinterpret(1024).getString(0);
                }
            } catch (Throwable t) {
                // fall through
            }
        }
        return "error " + errno;
    }
}
