package io.inlay.bench.read;

import java.lang.foreign.MemorySegment;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Arrow Java dataset 18.3.0: Arrow C++'s Parquet reader through JNI, batches imported into Arrow
 * Java vectors through the C data interface. An operation makes a {@code FileSystemDatasetFactory}
 * for the file, scans it with an {@code ArrowReader} and sums each batch's {@code Float4Vector}
 * (for the vector column, the list's child between the first and last list offsets) over its
 * off-heap data buffer, with the same loop as the floor.
 *
 * <p>Threads: Arrow C++ decodes on its CPU thread pool, sized once per process from
 * {@code OMP_NUM_THREADS}; the first Arrow contender opened in a JVM sets it to the target's
 * thread count before Arrow's native library loads (JMH forks a JVM per trial). Arrow's I/O pool
 * is left as Arrow sizes it.
 */
public final class ArrowContender implements Contender {

    /** Rows per batch: 64 MiB of floats, one row group of the benchmark files. */
    static final long VECTOR_BATCH_ROWS = 16_384;
    static final long FLAT_BATCH_ROWS = 16_384L * 1024;

    private static int poolThreads;

    /** Registers {@code arrow}. */
    public static final class Factory implements ContenderFactory {
        @Override
        public String name() {
            return "arrow";
        }

        @Override
        public Contender open(ReadTarget target) {
            sizeThreadPool(target.threads());
            return new ArrowContender(target);
        }
    }

    /**
     * Sizes Arrow C++'s CPU thread pool for this JVM before Arrow's native library loads (through
     * {@code OMP_NUM_THREADS}); only the first call in a JVM has an effect, later calls asking for
     * another size print a notice.
     */
    public static void sizeThreadPool(int threads) {
        synchronized (ArrowContender.class) {
            if (poolThreads == 0) {
                NativeEnv.set("OMP_NUM_THREADS", Integer.toString(threads));
                poolThreads = threads;
            } else if (poolThreads != threads) {
                System.err.println("arrow: Arrow C++'s thread pool was already sized for " + poolThreads
                        + " threads in this JVM; " + threads + " asked for");
            }
        }
    }

    private final ReadTarget target;
    private final BufferAllocator allocator;
    private final String uri;

    private ArrowContender(ReadTarget target) {
        this.target = target;
        this.allocator = new RootAllocator();
        this.uri = target.file().toUri().toString();
    }

    @Override
    @SuppressWarnings("try") // Arrow's Dataset and Scanner declare close() throws Exception
    public double sum() throws Exception {
        long batchRows = target.shape() == io.inlay.bench.data.Shape.VECTOR ? VECTOR_BATCH_ROWS : FLAT_BATCH_ROWS;
        double sum = 0;
        try (DatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
                        FileFormat.PARQUET, uri);
                Dataset dataset = factory.finish();
                Scanner scanner = dataset.newScan(new ScanOptions(batchRows));
                ArrowReader reader = scanner.scanBatches()) {
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                FieldVector vector = root.getVector(0);
                if (vector instanceof ListVector list) {
                    int rows = list.getValueCount();
                    ArrowBuf offsets = list.getOffsetBuffer();
                    int start = offsets.getInt(0);
                    int end = offsets.getInt((long) rows * ListVector.OFFSET_WIDTH);
                    sum += sum((Float4Vector) list.getDataVector(), start, end);
                } else {
                    sum += sum((Float4Vector) vector, 0, vector.getValueCount());
                }
            }
        }
        return sum;
    }

    @SuppressWarnings("restricted") // a view of Arrow's off-heap buffer, which outlives the loop
    private static double sum(Float4Vector floats, int from, int to) {
        if (floats.getNullCount() == 0) {
            ArrowBuf data = floats.getDataBuffer();
            MemorySegment values = MemorySegment.ofAddress(data.memoryAddress()).reinterpret(4L * to);
            return FloatSums.sum(values, 4L * from, to - from);
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (!floats.isNull(i)) {
                sum += floats.get(i);
            }
        }
        return sum;
    }

    @Override
    public void close() {
        allocator.close();
    }
}
