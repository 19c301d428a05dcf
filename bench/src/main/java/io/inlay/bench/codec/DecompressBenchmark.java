package io.inlay.bench.codec;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Decompressor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * Page decompression through Inlay's codec SPI: one operation decompresses one page of
 * {@link #pageBytes} bytes of float data from native memory into a reused native destination,
 * so throughput in MB/s is {@code ops/s * pageBytes / 1e6} and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is the heap allocated per page.
 *
 * <p>The compressed page is checked to round-trip to the original bytes before timing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class DecompressBenchmark {

    /** The codec; {@code LZ4} is the legacy Hadoop-framed LZ4 that Inlay only reads. */
    @Param({"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW", "LZ4"})
    public String codec;

    /** The floats on the page: {@code UNIFORM} (realistic, barely compressible) or {@code QUANTIZED}. */
    @Param({"UNIFORM", "QUANTIZED"})
    public String data;

    /** Uncompressed page size: 1 MiB, parquet-java's and pyarrow's default page size. */
    @Param("1048576")
    public int pageBytes;

    private Arena arena;
    private MemorySegment compressed;
    private MemorySegment destination;
    private Decompressor decompressor;

    @Setup(Level.Trial)
    public void setUp() throws CodecException {
        arena = Arena.ofShared();
        CompressionCodec c = CompressionCodec.valueOf(codec);
        MemorySegment page = FloatPages.page(arena, FloatPages.Kind.of(data), pageBytes, 42);
        compressed = CodecPages.compress(arena, c, page);
        destination = arena.allocate(pageBytes, 64);
        decompressor = CodecRegistry.standard().provider(c).newDecompressor();
        decompressor.decompress(compressed, destination);
        if (destination.mismatch(page) != -1) {
            throw new IllegalStateException(codec + " does not round-trip the " + data + " page");
        }
    }

    @Benchmark
    public void decompress() throws CodecException {
        decompressor.decompress(compressed, destination);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decompressor.close();
        arena.close();
    }
}
