package io.inlay.bench.data;

import java.nio.file.Path;

/**
 * Writes a benchmark file for a {@link DatasetSpec}. {@link Datasets#writer()} picks the one the
 * benchmarks use; switching to Inlay's writer is a one-line change there.
 *
 * <p>An implementation writes the spec's shape with the values of {@code values} in row-major
 * order (value {@code row * floatsPerRow + i} is element {@code i} of row {@code row}), as
 * PLAIN-encoded float32 in data pages without dictionary and without nulls, so the floor
 * benchmarks can find the values in the pages. The vector column is a 3-level LIST
 * ({@code optional group features (LIST) { repeated group list { optional float element } }}).
 */
public interface DatasetWriter {

    /**
     * A short name that becomes part of the file name; change it (for example with a version
     * suffix) whenever the bytes written for the same spec change, so stale files are not reused.
     */
    String id();

    /** Writes the file for {@code spec} with the given values to {@code target}, which does not exist yet. */
    void write(DatasetSpec spec, FloatSource values, Path target) throws Exception;
}
