package io.inlay.bench.read;

import dev.hardwood.HardwoodContext;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.Validity;

/**
 * Hardwood 1.0.0.Final (pure Java, mmap-based) through its fastest columnar API: a
 * {@code ColumnReader} over the leaf column handing out batches as {@code float[]} with a leaf
 * validity, summed over {@code getValueCount()} leaf values per batch. Batches of the vector
 * column are limited to {@link #VECTOR_BATCH_ROWS} records (see there); the flat column keeps
 * Hardwood's own batch size.
 *
 * <p>Threads: Hardwood decodes pages on the pool of a {@code HardwoodContext}; the context is
 * made once with the target's thread count ({@code HardwoodContext.create(n)}), and batches are
 * consumed on the calling thread. An operation opens the file and reads the whole column.
 */
public final class HardwoodContender implements Contender {

    /** Registers {@code hardwood}. */
    public static final class Factory implements ContenderFactory {
        @Override
        public String name() {
            return "hardwood";
        }

        @Override
        public Contender open(ReadTarget target) {
            return new HardwoodContender(target);
        }
    }

    /**
     * Records per batch for the vector column. Hardwood sizes batches in records from the leaf's
     * byte width alone (about 6 MiB / 4 bytes, capped at 524,288 records), which for 1024 floats
     * per record makes batches of 2 GiB: reading a 1 GiB file then needs about 10 GB of heap. Its
     * public {@code batchSize} setting keeps a batch at 4 MiB of floats instead.
     */
    static final int VECTOR_BATCH_ROWS = Integer.getInteger("inlay.bench.hardwood.vectorBatch", 1024);

    private final ReadTarget target;
    private final HardwoodContext context;
    private final int batchRows;

    private HardwoodContender(ReadTarget target) {
        this.target = target;
        this.context = HardwoodContext.create(target.threads());
        this.batchRows = target.shape() == io.inlay.bench.data.Shape.VECTOR ? VECTOR_BATCH_ROWS : 524_288;
    }

    @Override
    public double sum() throws Exception {
        double sum = 0;
        try (ParquetFileReader reader = ParquetFileReader.open(InputFile.of(target.file()), context);
                ColumnReader column = reader.buildColumnReader(0).batchSize(batchRows).build()) {
            while (column.nextBatch()) {
                int n = column.getValueCount();
                float[] values = column.getFloats();
                Validity validity = column.getLeafValidity();
                if (!validity.hasNulls()) {
                    sum += FloatSums.sum(values, 0, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        if (validity.isNotNull(i)) {
                            sum += values[i];
                        }
                    }
                }
            }
        }
        return sum;
    }

    @Override
    public void close() {
        context.close();
    }
}
