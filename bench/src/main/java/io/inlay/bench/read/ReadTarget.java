package io.inlay.bench.read;

import io.inlay.bench.data.Shape;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a contender reads: a Parquet file whose only column has the given {@link Shape}, with a
 * number of threads to use (1, or more where the contender can).
 */
public record ReadTarget(Path file, Shape shape, int threads) {
    public ReadTarget {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(shape, "shape");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }
}
