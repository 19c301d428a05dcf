package io.inlay.bench.read;

import io.inlay.bench.data.DatasetSpec;
import io.inlay.bench.data.Shape;
import io.inlay.bench.data.Sizes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inlay's zero-copy read ({@code inlay-zero-copy}) beside the floor, on the uncompressed files of
 * {@link ReadBenchmark} (zero-copy hands out slices of the mapping, so it exists for uncompressed
 * PLAIN pages only). Same data, same checksum gate, same summing loop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ZeroCopyBenchmark {

    @Param({"inlay-zero-copy", "inlay-zero-copy-mapped", "floor-scan", "floor-scan-open"})
    public String contender;

    @Param({"vector", "flat"})
    public String shape;

    @Param({"64MiB", "1GiB", "4GiB"})
    public String size;

    @Param({"1", "2"})
    public int threads;

    @Param("0")
    public int rowGroupRows;

    private Contender reader;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DatasetSpec spec = new DatasetSpec(Shape.of(shape), Sizes.parse(size), "none", rowGroupRows, DatasetSpec.DEFAULT_SEED);
        reader = ChecksumGate.openChecked(contender, spec, threads);
    }

    @Benchmark
    public double read() throws Exception {
        return reader.sum();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (reader != null) {
            reader.close();
        }
    }
}
