package io.inlay.bench.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes benchmark files with parquet-java 1.18.1 in the layout pyarrow gives the baseline file:
 * 1 MiB data pages (v1), PLAIN floats without dictionary, no page CRC, an optional column (the
 * vector as a 3-level LIST with an optional element), row groups of the spec's row count. The
 * values come straight from the {@link FloatSource} into parquet-java's record consumer, with no
 * object per value.
 */
public final class ParquetJavaDatasetWriter implements DatasetWriter {

    static final int PAGE_BYTES = 1 << 20;

    @Override
    public String id() {
        return "pj1";
    }

    @Override
    public void write(DatasetSpec spec, FloatSource values, Path target) throws Exception {
        Shape shape = spec.shape();
        MessageType schema = MessageTypeParser.parseMessageType(switch (shape) {
            case VECTOR -> "message schema { optional group " + shape.column()
                    + " (LIST) { repeated group list { optional float element; } } }";
            case FLAT -> "message schema { optional float " + shape.column() + "; }";
        });
        try (ParquetWriter<Long> writer = new Builder(new LocalOutputFile(target), schema, shape, values)
                .withCompressionCodec(codec(spec.codec()))
                .withDictionaryEncoding(false)
                .withPageSize(PAGE_BYTES)
                .withPageRowCountLimit(Integer.MAX_VALUE)
                .withRowGroupRowCountLimit(spec.rowGroupRows())
                .withRowGroupSize(Long.MAX_VALUE)
                .withPageWriteChecksumEnabled(false)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withConf(new Configuration(false))
                .build()) {
            for (long row = 0; row < spec.rows(); row++) {
                writer.write(row);
            }
        }
    }

    private static CompressionCodecName codec(String codec) {
        return switch (codec.toLowerCase(Locale.ROOT)) {
            case "none" -> CompressionCodecName.UNCOMPRESSED;
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "gzip" -> CompressionCodecName.GZIP;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "lz4" -> CompressionCodecName.LZ4_RAW;
            default -> throw new IllegalArgumentException("codec '" + codec + "' is not one of none, snappy, gzip, zstd, lz4");
        };
    }

    private static final class Builder extends ParquetWriter.Builder<Long, Builder> {
        private final MessageType schema;
        private final Shape shape;
        private final FloatSource values;

        Builder(OutputFile file, MessageType schema, Shape shape, FloatSource values) {
            super(file);
            this.schema = schema;
            this.shape = shape;
            this.values = values;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        @SuppressWarnings("deprecation") // abstract in 1.18.1 although deprecated in favour of the next one
        protected WriteSupport<Long> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(schema, shape, values);
        }

        @Override
        protected WriteSupport<Long> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(schema, shape, values);
        }
    }

    /** Writes row {@code r} of the file: one float, or one list of {@link Shape#VECTOR_LENGTH} floats. */
    private static final class RowWriteSupport extends WriteSupport<Long> {
        private final MessageType schema;
        private final Shape shape;
        private final FloatSource values;
        private final float[] row;
        private RecordConsumer out;

        RowWriteSupport(MessageType schema, Shape shape, FloatSource values) {
            this.schema = schema;
            this.shape = shape;
            this.values = values;
            this.row = new float[shape.floatsPerRow()];
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Long r) {
            long first = r * row.length;
            values.fill(first, row, 0, row.length);
            out.startMessage();
            out.startField(shape.column(), 0);
            if (shape == Shape.VECTOR) {
                out.startGroup();
                out.startField("list", 0);
                for (float f : row) {
                    out.startGroup();
                    out.startField("element", 0);
                    out.addFloat(f);
                    out.endField("element", 0);
                    out.endGroup();
                }
                out.endField("list", 0);
                out.endGroup();
            } else {
                out.addFloat(row[0]);
            }
            out.endField(shape.column(), 0);
            out.endMessage();
        }
    }
}
