package io.inlay.bench.data;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.write.ParquetWriter;
import io.inlay.engine.write.WriterOptions;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes benchmark files with Inlay's own writer, in the layout pyarrow gives the baseline file:
 * 1 MiB v1 data pages, PLAIN floats without dictionary, an optional column (the vector as a
 * standard 3-level LIST), row groups of the spec's row count, no page CRC (pyarrow writes none,
 * and readers that check CRCs would otherwise pay for a pass the others skip). Values come from
 * the {@link FloatSource} straight into the writer's off-heap page buffers.
 */
public final class InlayDatasetWriter implements DatasetWriter {
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public String id() {
        return "inlay1";
    }

    @Override
    public void write(DatasetSpec spec, FloatSource values, Path target) throws Exception {
        Shape shape = spec.shape();
        ColumnSpec column = shape == Shape.VECTOR ? new ColumnSpec(shape.column(), DType.FLOAT32, shape.floatsPerRow())
                : new ColumnSpec(shape.column(), DType.FLOAT32, 1);
        WriterOptions options = WriterOptions.defaults()
                .withCodec(CompressionCodec.fromConfigName(spec.codec()))
                .withRowGroupRows(spec.rowGroupRows())
                .withTargetPageBytes(1 << 20)
                .withPageCrc(false);
        int perRow = shape.floatsPerRow();
        try (ParquetWriter writer = ParquetWriter.create(target, List.of(column), options)) {
            writer.write(spec.rows(), List.of((firstRow, out) -> {
                MemorySegment v = out.values();
                long first = firstRow * perRow;
                long n = out.valueCount();
                for (long i = 0; i < n; i++) {
                    v.set(LE_FLOAT, 4 * i, values.value(first + i));
                }
            }));
            writer.finish();
        }
    }
}
