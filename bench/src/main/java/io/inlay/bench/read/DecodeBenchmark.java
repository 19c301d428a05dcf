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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4's measurement: decode throughput against the floor, in one run. One operation makes
 * every float of the file's column available through one {@link Contender}'s
 * {@link Contender#decode()}, with the file already open and mapped (opened when the trial
 * starts, as {@code floor-scan} maps it once): what is timed is decoding, not opening.
 *
 * <ul>
 *   <li>{@code floor-scan}: a plain scan of the mapped bytes (the float values summed in place;
 *       compressed pages decompressed first);</li>
 *   <li>{@code floor-decompress}: the raw decompression speed of the same pages (compressed
 *       files), into one page buffer that stays in the CPU cache;</li>
 *   <li>{@code floor-place}: every page decompressed (or copied) into its place in a
 *       row-group-sized buffer: the same, with the output going to memory as a vector's must;</li>
 *   <li>{@code floor-place-fresh}: the same into new memory per row group and operation, as the
 *       default mode into a fresh arena;</li>
 *   <li>{@code inlay-row_group-mapped}, {@code inlay-default-reuse-mapped}, {@code inlay-default-mapped}:
 *       every row group decoded into vectors (reused buffers; buffers per row group reused across
 *       operations; a fresh arena per operation), each vector's length and first value read back;</li>
 *   <li>{@code inlay-zero-copy-mapped}: the values handed out as slices of the mapping and summed
 *       (uncompressed files).</li>
 * </ul>
 *
 * The trial's setup runs the checksum gate on each contender's full {@link Contender#sum()}, so
 * what is decoded here is proven to be the file's values. {@link ReadBenchmark} times reading and
 * summing every value instead: what a consumer of the values pays, and what peers are compared on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class DecodeBenchmark {

    @Param({"floor-scan", "floor-decompress", "floor-place", "floor-place-fresh", "inlay-row_group-mapped", "inlay-default-reuse-mapped",
            "inlay-default-mapped", "inlay-zero-copy-mapped"})
    public String contender;

    @Param({"vector", "flat"})
    public String shape;

    @Param({"1GiB"})
    public String size;

    @Param({"none", "zstd", "snappy", "lz4"})
    public String codec;

    @Param({"1"})
    public int threads;

    /** Rows per row group; 0 is the shape's default (64 MiB of floats per row group). */
    @Param("0")
    public int rowGroupRows;

    private Contender reader;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!Contenders.get(contender).supportsCodec(codec)) {
            throw new IllegalArgumentException(contender + " does not read " + codec + " files (bench/run.sh decode"
                    + " runs floor-decompress on compressed files only, zero-copy on uncompressed ones only)");
        }
        DatasetSpec spec = new DatasetSpec(Shape.of(shape), Sizes.parse(size), codec, rowGroupRows, DatasetSpec.DEFAULT_SEED);
        reader = ChecksumGate.openChecked(contender, spec, threads);
    }

    @Benchmark
    public double decode() throws Exception {
        return reader.decode();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (reader != null) {
            reader.close();
        }
    }
}
