package io.inlay.bench.codec;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
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
 * Page compression through Inlay's codec SPI at each codec's default level (zstd 3, gzip 6), as
 * the writer uses it: one operation compresses one page of {@link #pageBytes} bytes of float data
 * from native memory into a reused native destination of {@code maxCompressedLength} bytes.
 * MB/s of input is {@code ops/s * pageBytes / 1e6}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CompressBenchmark {

    /** The codecs Inlay writes (legacy LZ4 is read-only). */
    @Param({"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"})
    public String codec;

    /** The floats on the page: {@code UNIFORM} (realistic, barely compressible) or {@code QUANTIZED}. */
    @Param({"UNIFORM", "QUANTIZED"})
    public String data;

    /** Uncompressed page size: 1 MiB. */
    @Param("1048576")
    public int pageBytes;

    private Arena arena;
    private MemorySegment page;
    private MemorySegment destination;
    private Compressor compressor;

    @Setup(Level.Trial)
    public void setUp() throws CodecException {
        arena = Arena.ofShared();
        page = FloatPages.page(arena, FloatPages.Kind.of(data), pageBytes, 42);
        compressor = CodecRegistry.standard().provider(CompressionCodec.valueOf(codec)).newCompressor();
        destination = arena.allocate(compressor.maxCompressedLength(pageBytes), 64);
    }

    /** Returns the compressed size so the work cannot be dropped. */
    @Benchmark
    public long compress() throws CodecException {
        return compressor.compress(page, destination);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compressor.close();
        arena.close();
    }
}
