package io.inlay.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether standard error is a terminal, asked of the C library's {@code isatty(2)}: Java's
 * {@link System#console()} only describes standard input and output, and a progress bar belongs on
 * standard error. Falls back to "not a terminal" where {@code isatty} cannot be called.
 */
final class Terminal {
    private Terminal() {}

    // a downcall is restricted: the launcher and the jar manifest enable native access
    @SuppressWarnings("restricted")
    static boolean isStderrTerminal() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(2) == 1;
        } catch (Throwable e) {
            return false;
        }
    }
}
