package io.inlay.engine.fuzz;

import io.inlay.engine.hostile.Guard;
import io.inlay.engine.hostile.Outcomes;
import io.inlay.engine.hostile.ReadProbe;
import io.inlay.engine.hostile.Subjects;
import io.inlay.engine.internal.memory.NativeMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/** What the fuzz targets share: a time limit, scratch files, native copies of inputs, the corpus as seeds. */
final class FuzzSupport {
    /** Whether Jazzer is fuzzing (rather than running the inputs as regression tests). */
    static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    /** The most one input may take in regression mode. */
    static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Guard GUARD = new Guard(LIMIT);

    private FuzzSupport() {}

    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs one input: when fuzzing, on the fuzzer's thread (libFuzzer's {@code -timeout} reports
     * hangs); in regression mode on a watchdog's worker, so that a hang fails the test with the
     * stuck thread's stack instead of stalling the build. Throws what the body throws.
     */
    static void bounded(Body body) throws Exception {
        if (FUZZING) {
            body.run();
            return;
        }
        Guard.Measured<Object> m = GUARD.run(() -> {
            body.run();
            return null;
        }, () -> "a fuzz input");
        Throwable t = m.thrown();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** A scratch file for one target, in memory-backed {@code /dev/shm} when there is one. */
    static Path scratch(String name) {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "inlay-fuzz")
                    : Files.createTempDirectory("inlay-fuzz");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve(name + ".parquet");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code bytes} to {@code file} and reads it through every entry point ({@link ReadProbe}),
     * under the corruption tests' limits; fails if the read throws anything but Inlay's own exception,
     * gives an unsound result, or requests more off-heap memory than the file justifies.
     */
    static ReadProbe.Result probe(Path file, byte[] bytes) {
        write(file, bytes);
        long before = NativeMemory.requestedByCurrentThread();
        NativeMemory.resetLargestRequest();
        ReadProbe.Result r = ReadProbe.probe(file, Subjects.OPTIONS);
        long requested = NativeMemory.requestedByCurrentThread() - before;
        long largest = NativeMemory.largestRequestOfCurrentThread();
        if (requested > Subjects.offHeapLimit(bytes.length) || largest > Subjects.largestRequestLimit(bytes.length)) {
            throw new AssertionError("a read of a " + bytes.length + "-byte file requested " + requested
                    + " bytes off-heap (largest " + largest + "); limits " + Subjects.offHeapLimit(bytes.length) + " / "
                    + Subjects.largestRequestLimit(bytes.length));
        }
        return r;
    }

    /** {@code bytes[off, off + len)} copied to native memory of {@code arena}, sized exactly. */
    static MemorySegment nativeCopy(Arena arena, byte[] bytes, int off, int len) {
        MemorySegment s = arena.allocate(Math.max(1, len), 8).asSlice(0, len);
        MemorySegment.copy(bytes, off, s, ValueLayout.JAVA_BYTE, 0, len);
        return s;
    }

    /** Lets an exception through only if it is Inlay's (or an internal decoder's) own. */
    static void expectOwn(Throwable t) {
        if (!Outcomes.isInlaysOrDecodeException(t)) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new AssertionError("unexpected " + t, t);
        }
    }

    /** The corpus directory, or null when it is absent (seeds are then only the committed inputs). */
    static Path corpus() {
        Path dir = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
        return Files.isDirectory(dir.resolve("parquet-testing")) ? dir : null;
    }

    /** Every Parquet file of the corpus (valid, bad and encrypted ones) of at most {@code maxBytes}, by name. */
    static List<Path> corpusFiles(long maxBytes) {
        Path dir = corpus();
        if (dir == null) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("parquet-testing/data", "parquet-testing/bad_data", "gap/data")) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(d)) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().contains(".parquet"))
                        .filter(p -> size(p) <= maxBytes)
                        .sorted(Comparator.comparing(Path::toString))
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    static Arguments seed(String name, byte[] bytes) {
        return Arguments.of(Named.of(name, bytes));
    }
}
