package io.inlay.bench.write;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateResult;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import io.inlay.engine.write.ParquetWriter;
import io.inlay.engine.write.WriterOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Generation and writing throughput of a file of float32 vectors (1024 per row, a 3-level LIST,
 * the DLIO vector workload), one file per operation:
 *
 * <ul>
 *   <li>{@code generate}: what {@code inlay generate} does per file: seeded values, statistics,
 *       checksums, CRCs, the codec, the temporary file and the rename</li>
 *   <li>{@code writeVectors}: the writer alone, from a caller-held Arrow vector made in setup</li>
 *   <li>{@code ioFloor}: the same number of bytes written with a plain {@link FileChannel} from one
 *       reused buffer: the file system's limit in the same run</li>
 * </ul>
 *
 * The {@link Bytes} counters report float bytes and file bytes per second: divide by 10^9 for
 * GB/s. With {@code -prof gc}, {@code gc.alloc.rate.norm} is heap bytes per file; divided by the
 * file's MB it gives bytes allocated per MB written. {@code -p dir=/dev/shm} takes the disk out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class WriteBenchmark {
    static final int VECTOR = 1024;

    @Param({"none", "snappy", "gzip", "zstd", "lz4"})
    public String codec;

    /** Rows per file: 16384 rows of 1024 floats is 64 MiB of float data. */
    @Param("16384")
    public int rows;

    /** Where files are written (default: the temporary directory). */
    @Param("")
    public String dir;

    private Path folder;
    private DatasetSpec spec;
    private GenerateOptions options;
    private Arena arena;
    private ColumnVector vectors;
    private long floatBytes;
    private ByteBuffer floorBuffer;

    /** Bytes per second, reported by JMH as rates beside the operations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Float payload written (rows x 1024 x 4). */
        public long floatBytes;
        /** Parquet file bytes written. */
        public long fileBytes;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
        folder = Files.createTempDirectory(base, "inlay-write-bench-");
        spec = DatasetSpec.builder(folder).numFilesTrain(1).numSamplesPerFile(rows).rowGroupSize(rows)
                .compression(CompressionCodec.fromConfigName(codec))
                .columns(List.of(new ColumnSpec("features", DType.FLOAT32, VECTOR))).build();
        options = GenerateOptions.defaults();
        floatBytes = (long) rows * VECTOR * 4;
        arena = Arena.ofShared();
        MemorySegment values = arena.allocate(floatBytes, 64);
        SplittableRandom random = new SplittableRandom(42);
        for (long i = 0; i < (long) rows * VECTOR; i++) {
            values.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, random.nextInt(1 << 24) * 0x1p-24f);
        }
        MemorySegment offsets = arena.allocate(4L * (rows + 1));
        for (int r = 0; r <= rows; r++) {
            offsets.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), r, r * VECTOR);
        }
        vectors = ColumnVector.ofLists(rows, 0, null, offsets,
                ColumnVector.ofValues(ValueType.FLOAT32, (long) rows * VECTOR, 0, null, values));
        floorBuffer = arena.allocate(1 << 20).asByteBuffer();
    }

    /**
     * Each operation writes a new file, as generation does: the previous one is deleted outside
     * the measurement (replacing it would make the rename pay for freeing its pages).
     */
    @Setup(Level.Invocation)
    public void clean() throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        arena.close();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public long generate(Bytes b) throws Exception {
        GenerateResult r = DatasetGenerator.generate(spec, options);
        b.floatBytes += floatBytes;
        b.fileBytes += r.bytesWritten();
        return r.bytesWritten();
    }

    @Benchmark
    public long writeVectors(Bytes b) throws Exception {
        WriterOptions w = WriterOptions.defaults().withCodec(spec.compression()).withRowGroupRows(rows);
        long size;
        try (ParquetWriter writer = ParquetWriter.create(folder.resolve("vectors.parquet"), spec.columns(), w)) {
            writer.write(List.of(vectors));
            size = writer.finish().bytes();
        }
        b.floatBytes += floatBytes;
        b.fileBytes += size;
        return size;
    }

    @Benchmark
    public long ioFloor(Bytes b) throws Exception {
        Path file = folder.resolve("floor.bin");
        long left = floatBytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (left > 0) {
                floorBuffer.clear().limit((int) Math.min(floorBuffer.capacity(), left));
                left -= ch.write(floorBuffer);
            }
        }
        b.floatBytes += floatBytes;
        b.fileBytes += floatBytes;
        return floatBytes;
    }
}
