package io.inlay.cli.checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Reserves a file's blocks before it is written (Linux's {@code fallocate} through libc, FFM; never glibc's {@code posix_fallocate}, which
 * falls back to writing zeros): O_DIRECT
 * writes into allocated extents need no allocation on the way, as fio's default {@code fallocate=native}
 * lays its file out. Best effort: where libc or the file system lacks it (EOPNOTSUPP), nothing is reserved and the
 * write allocates as it goes. Thread-safe.
 */
final class Preallocate {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final MethodHandle OPEN;
    private static final MethodHandle FALLOCATE;
    private static final MethodHandle CLOSE;

    static {
        MethodHandle open = null;
        MethodHandle fallocate = null;
        MethodHandle close = null;
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            open = linker.downcallHandle(libc.find("open").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
            fallocate = linker.downcallHandle(libc.find("fallocate").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT));
        } catch (RuntimeException | Error e) {
            open = null; // no libc or no native access: writes allocate as they go
        }
        OPEN = open;
        FALLOCATE = fallocate;
        CLOSE = close;
    }

    private Preallocate() {}

    /** Creates (or empties) {@code file} and reserves {@code bytes}; whether the blocks were reserved. */
    static boolean create(Path file, long bytes) {
        if (OPEN == null || bytes <= 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocateFrom(file.toAbsolutePath().toString());
            int fd = (int) OPEN.invokeExact(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) {
                return false;
            }
            try {
                return (int) FALLOCATE.invokeExact(fd, 0, 0L, bytes) == 0;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            return false;
        }
    }
}
