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
 * Inlay's peers and the floor in one run: one operation reads the whole float column of one
 * file through one {@link Contender} and returns the sum. Throughput in GB/s of float data is
 * {@code ops/s * size}; {@code -prof gc}'s {@code gc.alloc.rate.norm} divided by the size in GiB
 * is the heap allocated per GiB read (native allocations of Arrow and DuckDB are not counted).
 *
 * <p>Setup writes the file if the data directory does not hold it yet ({@link Datasets}), then
 * runs the {@linkplain ChecksumGate checksum gate}: the contender's first sum must equal the
 * floor's exactly, or the trial fails (run with {@code -foe true} to stop the whole run).
 *
 * <p>Inlay's reader joins as more {@code contender} values (see {@link Contenders}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-modules=jdk.incubator.vector"})
public class ReadBenchmark {

    /** Who reads: the floors, then the peers. */
    @Param({"floor-scan", "floor-copy", "floor-scan-open", "inlay-default", "inlay-default-reuse", "inlay-row_group", "inlay-default-mapped", "inlay-default-reuse-mapped", "inlay-row_group-mapped", "parquet-java", "hardwood", "arrow", "duckdb"})
    public String contender;

    /** {@code vector} (features, 1024 floats per row, 3-level LIST) or {@code flat} (x). */
    @Param({"vector", "flat"})
    public String shape;

    /** Bytes of float values in the file. */
    @Param({"64MiB", "1GiB", "4GiB"})
    public String size;

    /** Page codec, as a workload config names it. */
    @Param({"none", "zstd", "snappy", "lz4"})
    public String codec;

    /** Threads the contender may use. */
    @Param({"1", "2"})
    public int threads;

    /** Rows per row group; 0 is the shape's default (64 MiB of floats per row group). */
    @Param("0")
    public int rowGroupRows;

    /**
     * The I/O engine Inlay's contenders read with (issue 13: auto, mmap, pread, direct, io_uring);
     * the others ignore it. Hot: the file is in the page cache, read by the direct engines anyway.
     */
    @Param("auto")
    public String ioEngine;

    private Contender reader;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        System.setProperty(InlayContender.IO_ENGINE_PROPERTY, ioEngine);
        DatasetSpec spec = new DatasetSpec(Shape.of(shape), Sizes.parse(size), codec, rowGroupRows, DatasetSpec.DEFAULT_SEED);
        reader = ChecksumGate.openChecked(contender, spec, threads);
    }

    @Benchmark
    public double read() throws Exception {
        return reader.sum();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (reader != null) {
            reader.close();
        }
    }
}
