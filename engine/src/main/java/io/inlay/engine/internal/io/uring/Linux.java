package io.inlay.engine.internal.io.uring;

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
import java.util.Locale;

/**
 * The C library calls io_uring needs, bound through {@code java.lang.foreign}: the variadic
 * {@code syscall(2)} (glibc has no wrappers for the io_uring calls), {@code mmap}/{@code munmap}
 * of the rings, {@code close} and {@code strerror}. Every call that can fail returns
 * {@code -errno} rather than setting a global, so callers handle errors as the kernel reports them.
 * Stateless and thread-safe; the {@code errno} capture buffer is the caller's.
 */
@SuppressWarnings("restricted") // binding libc and mapping the kernel's rings is what this class is for
final class Linux {
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOSYS = 38;
    static final int ETIME = 62;
    static final int EOPNOTSUPP = 95;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_POPULATE = 0x8000;

    /** The layout of the capture buffer every call below takes as its first argument. */
    static final StructLayout CALL_STATE;
    /** Null when the calls could be bound; otherwise why not, in words. */
    static final String UNAVAILABLE;

    private static final VarHandle ERRNO;
    private static final MethodHandle SYSCALL;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle CLOSE;
    private static final MethodHandle STRERROR;

    static {
        StructLayout state = null;
        VarHandle errno = null;
        MethodHandle syscall = null;
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle close = null;
        MethodHandle strerror = null;
        String unavailable = null;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux")) {
            unavailable = "io_uring is Linux-only and this is " + System.getProperty("os.name");
        } else if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            unavailable = "the io_uring system call numbers are known only for x86-64 and arm64, not " + arch;
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                Linker.Option capture = Linker.Option.captureCallState("errno");
                ValueLayout j = ValueLayout.JAVA_LONG;
                ValueLayout i = ValueLayout.JAVA_INT;
                // long syscall(long number, ...): every argument passed as a full register (long),
                // as glibc's assembly moves registers to the kernel unchanged
                syscall = linker.downcallHandle(find(libc, "syscall"), FunctionDescriptor.of(j, j, j, j, j, j, j, j),
                        capture, Linker.Option.firstVariadicArg(1));
                mmap = linker.downcallHandle(find(libc, "mmap"),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, j, i, i, i, j), capture);
                munmap = linker.downcallHandle(find(libc, "munmap"),
                        FunctionDescriptor.of(i, ValueLayout.ADDRESS, j), capture);
                close = linker.downcallHandle(find(libc, "close"), FunctionDescriptor.of(i, i), capture);
                strerror = linker.downcallHandle(find(libc, "strerror"), FunctionDescriptor.of(ValueLayout.ADDRESS, i));
            } catch (RuntimeException | LinkageError e) {
                unavailable = "the C library's system call entry could not be bound (" + e.getMessage()
                        + "; is native access enabled with --enable-native-access?)";
            }
        }
        CALL_STATE = state;
        ERRNO = errno;
        SYSCALL = syscall;
        MMAP = mmap;
        MUNMAP = munmap;
        CLOSE = close;
        STRERROR = strerror;
        UNAVAILABLE = unavailable;
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
    }

    private Linux() {}

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code syscall(nr, a..f)}: the result, or {@code -errno}. */
    static long syscall(MemorySegment state, long nr, long a, long b, long c, long d, long e, long f) {
        long r;
        try {
            r = (long) SYSCALL.invokeExact(state, nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new IllegalStateException("syscall " + nr + " could not be called", t);
        }
        return r == -1 ? -errno(state) : r;
    }

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset}, shared, readable and writable, the
     * pages populated up front.
     *
     * @return the mapping's address, or {@code -errno}
     */
    static long mmapShared(MemorySegment state, long length, int fd, long offset) {
        MemorySegment r;
        try {
            r = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_POPULATE, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap could not be called", t);
        }
        return r.address() == -1L ? -errno(state) : r.address();
    }

    /** @return 0, or {@code -errno} */
    static int munmap(MemorySegment state, long address, long length) {
        try {
            int r = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length);
            return r == 0 ? 0 : -errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap could not be called", t);
        }
    }

    /** @return 0, or {@code -errno} */
    static int close(MemorySegment state, int fd) {
        try {
            int r = (int) CLOSE.invokeExact(state, fd);
            return r == 0 ? 0 : -errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("close could not be called", t);
        }
    }

    /** The C library's words for an error number ("Operation not permitted"). */
    static String describe(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    /** The symbolic name of an error number ("EPERM"), or "errno N". */
    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ENOSYS -> "ENOSYS";
            case ETIME -> "ETIME";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
    }

    /** A buffer for the calls' {@code errno} capture, from {@code arena}. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }
}
