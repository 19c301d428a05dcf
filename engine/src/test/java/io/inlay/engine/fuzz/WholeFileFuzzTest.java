package io.inlay.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inlay.engine.hostile.Subjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A whole-file read: the input is a file, opened and read through every entry point (metadata,
 * page headers, verify, both read modes, zero-copy; see {@code ReadProbe}) under the corruption
 * tests' limits, with the off-heap memory it requests bounded by its size. Seeded with every
 * corpus file of up to 64 KiB and the small files DuckDB writes for the corruption tests.
 */
class WholeFileFuzzTest {
    private static final Path FILE = FuzzSupport.scratch("whole");

    static Stream<Arguments> corpusFiles() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Path p : FuzzSupport.corpusFiles(64 << 10)) {
            out.add(FuzzSupport.seed(p.getFileName().toString(), Files.readAllBytes(p)));
        }
        // and the small files DuckDB writes for the corruption tests (every supported kind of column)
        for (Subjects.Subject s : Subjects.all()) {
            if (s.name().startsWith("duck_")) {
                out.add(FuzzSupport.seed(s.name(), s.bytes()));
            }
        }
        return out.stream();
    }

    @MethodSource("corpusFiles")
    @FuzzTest(maxDuration = "5m")
    void wholeFile(byte[] file) throws Exception {
        FuzzSupport.bounded(() -> FuzzSupport.probe(FILE, file));
    }
}
