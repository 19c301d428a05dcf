package io.inlay.engine.fuzz;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Shrinks a fuzzer's finding to a small input that fails the same way (same exception type thrown
 * from the same reader method), by removing ever smaller chunks of bytes, then lowering bytes. The
 * result is what gets committed as a regression input.
 *
 * <pre>
 * java -cp ... io.inlay.engine.fuzz.Minimize io.inlay.engine.fuzz.ChunkFuzzTest chunk crash-... minimized
 * </pre>
 */
public final class Minimize {
    private Minimize() {}

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName(args[0]);
        Method target = type.getDeclaredMethod(args[1], byte[].class);
        target.setAccessible(true);
        var ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        Object instance = ctor.newInstance();
        byte[] input = Files.readAllBytes(Path.of(args[2]));
        String signature = signature(target, instance, input);
        if (signature == null) {
            throw new IllegalArgumentException("the input does not fail");
        }
        System.out.println("failure: " + signature);
        byte[] best = input;
        for (int chunk = Math.max(1, best.length / 2); chunk >= 1; chunk = chunk == 1 ? 0 : chunk / 2) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int at = 0; at + chunk <= best.length; ) {
                    byte[] candidate = new byte[best.length - chunk];
                    System.arraycopy(best, 0, candidate, 0, at);
                    System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
                    if (signature.equals(signature(target, instance, candidate))) {
                        best = candidate;
                        progress = true;
                    } else {
                        at += chunk;
                    }
                }
            }
        }
        for (int i = 0; i < best.length; i++) {
            for (int v : new int[] {0, 1}) {
                if (best[i] != v) {
                    byte[] candidate = best.clone();
                    candidate[i] = (byte) v;
                    if (signature.equals(signature(target, instance, candidate))) {
                        best = candidate;
                        break;
                    }
                }
            }
        }
        Files.write(Path.of(args[3]), best);
        System.out.println(input.length + " -> " + best.length + " bytes: " + Arrays.toString(best).substring(0,
                Math.min(400, Arrays.toString(best).length())));
    }

    /** The exception and the engine frame it came from, or null when the input passes. */
    private static String signature(Method target, Object instance, byte[] input) {
        try {
            target.invoke(instance, (Object) input);
            return null;
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            while (t.getCause() != null && t instanceof AssertionError) {
                t = t.getCause();
            }
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().startsWith("io.inlay.engine") && !f.getClassName().startsWith("io.inlay.engine.fuzz")
                        && !f.getClassName().startsWith("io.inlay.engine.hostile")) {
                    return t.getClass().getName() + " at " + f.getClassName() + "." + f.getMethodName();
                }
            }
            return t.getClass().getName() + ": " + t.getMessage();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
