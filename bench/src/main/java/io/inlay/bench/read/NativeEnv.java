package io.inlay.bench.read;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Sets environment variables of this process for native libraries that read them once when
 * they initialise (Arrow C++ sizes its CPU thread pool from {@code OMP_NUM_THREADS}), through
 * libc's {@code setenv}. {@link System#getenv} does not see the change; native code loaded later does.
 */
public final class NativeEnv {
    @SuppressWarnings("restricted") // a downcall to libc; the bench runs with native access enabled
    private static final MethodHandle SETENV = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setenv").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private NativeEnv() {}

    /** {@code setenv(name, value, 1)}; throws if libc refuses. */
    public static void set(String name, String value) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) SETENV.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
            if (rc != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed with " + rc);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setenv(" + name + ") failed", t);
        }
    }
}
