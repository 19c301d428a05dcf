package io.inlay.bench.read;

import java.io.IOException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * parquet-java 1.18.1 through its column-level API, the fastest it offers without the
 * record/Group assembly: {@code ParquetFileReader} (a {@code LocalInputFile}, no Hadoop file
 * system) hands out each row group's pages, and a {@code ColumnReadStoreImpl} column reader
 * walks the (repetition, definition, value) triplets, adding {@code getFloat()} where the
 * definition level is the maximum.
 *
 * <p>An operation opens the file (footer included) and reads every row group. With n threads,
 * thread t opens its own reader and reads row groups t, t+n, t+2n, ...
 */
public final class ParquetJavaContender implements Contender {

    /** Registers {@code parquet-java}. */
    public static final class Factory implements ContenderFactory {
        @Override
        public String name() {
            return "parquet-java";
        }

        @Override
        public Contender open(ReadTarget target) {
            return new ParquetJavaContender(target);
        }
    }

    private final ReadTarget target;
    private final Workers workers;

    private ParquetJavaContender(ReadTarget target) {
        this.target = target;
        this.workers = new Workers(target.threads(), "parquet-java");
    }

    @Override
    public double sum() throws Exception {
        return workers.sum(this::sumPart);
    }

    private double sumPart(int part, int parts) throws IOException {
        // options per reader: their codec factory caches decompressors that are not thread-safe;
        // defaults otherwise (heap buffers), page checksums not verified (the files carry none)
        ParquetReadOptions options = ParquetReadOptions.builder().usePageChecksumVerification(false).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(target.file()), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            ColumnDescriptor column = schema.getColumns().get(0);
            int maxDef = column.getMaxDefinitionLevel();
            GroupConverter converter = new NoOpGroupConverter(schema);
            int rowGroups = reader.getRowGroups().size();
            double sum = 0;
            for (int rg = part; rg < rowGroups; rg += parts) {
                PageReadStore pages = reader.readRowGroup(rg);
                long triplets = pages.getPageReader(column).getTotalValueCount();
                ColumnReader values = new ColumnReadStoreImpl(pages, converter, schema, createdBy).getColumnReader(column);
                for (long i = 0; i < triplets; i++) {
                    if (values.getCurrentDefinitionLevel() == maxDef) {
                        sum += values.getFloat();
                    }
                    values.consume();
                }
            }
            return sum;
        }
    }

    @Override
    public void close() {
        workers.close();
    }

    /** The converter tree the column store asks for; values are read from the column readers directly. */
    private static final class NoOpGroupConverter extends GroupConverter {
        private final Converter[] children;

        NoOpGroupConverter(GroupType type) {
            children = new Converter[type.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                children[i] = type.getType(i).isPrimitive()
                        ? new PrimitiveConverter() {}
                        : new NoOpGroupConverter(type.getType(i).asGroupType());
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {}

        @Override
        public void end() {}
    }
}
