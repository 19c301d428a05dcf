package io.inlay.engine.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared conformance corpus is: {@code -Dcorpus.dir}, default {@code ../shared/corpus}. */
public final class Corpus {
    private Corpus() {}

    /** The corpus directory; skips the calling test, with the reason, when it is absent. */
    public static Path dir() {
        Path dir = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
        assumeTrue(Files.isDirectory(dir.resolve("parquet-testing")) && Files.isDirectory(dir.resolve("expected")),
                "conformance corpus not found at " + dir.toAbsolutePath() + " (set -Dcorpus.dir)");
        return dir;
    }

    /** A file of the corpus, relative to its root. */
    public static Path file(String relative) {
        Path f = dir().resolve(relative);
        assumeTrue(Files.exists(f), "corpus file not found: " + f);
        return f;
    }
}
