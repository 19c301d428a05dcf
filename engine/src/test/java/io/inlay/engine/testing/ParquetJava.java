package io.inlay.engine.testing;

import io.inlay.engine.schema.DType;
import io.inlay.engine.vector.ColumnChecksum;
import io.inlay.engine.vector.ValueHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads a whole file with parquet-java's column API (page CRCs verified), assembling each
 * top-level column's rows from repetition and definition levels: an independent reader for tests.
 * Values: Float, Double, Short (float16 bits), Integer (int8), Boolean, String, byte[]; lists as
 * {@code List<Object>}; nulls as null.
 */
public final class ParquetJava {
    private ParquetJava() {}

    /** What parquet-java read from a file. */
    public record Content(Map<String, List<Object>> columns, List<Long> rowGroupRows, ParquetMetadata footer) {
        public long rows() {
            return rowGroupRows.stream().mapToLong(Long::longValue).sum();
        }
    }

    public static Content read(Path file) throws IOException {
        ParquetReadOptions opts = ParquetReadOptions.builder().usePageChecksumVerification(true).build();
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        List<Long> groups = new ArrayList<>();
        ParquetMetadata footer;
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), opts)) {
            footer = r.getFooter();
            MessageType schema = footer.getFileMetaData().getSchema();
            for (ColumnDescriptor d : schema.getColumns()) {
                columns.put(d.getPath()[0], new ArrayList<>());
            }
            String createdBy = footer.getFileMetaData().getCreatedBy();
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                groups.add(pages.getRowCount());
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new GroupRecordConverter(schema).getRootConverter(), schema, createdBy);
                for (ColumnDescriptor d : schema.getColumns()) {
                    readColumn(store.getColumnReader(d), d, columns.get(d.getPath()[0]));
                }
            }
        }
        return new Content(columns, groups, footer);
    }

    private static void readColumn(ColumnReader cr, ColumnDescriptor d, List<Object> rows) {
        long n = cr.getTotalValueCount();
        int maxDef = d.getMaxDefinitionLevel();
        boolean list = d.getMaxRepetitionLevel() > 0;
        List<Object> current = null;
        for (long i = 0; i < n; i++) {
            int def = cr.getCurrentDefinitionLevel();
            int rep = cr.getCurrentRepetitionLevel();
            Object value = def == maxDef ? value(cr, d.getPrimitiveType()) : null;
            if (!list) {
                rows.add(value);
            } else {
                if (rep == 0) {
                    current = def == 0 ? null : new ArrayList<>();
                    rows.add(current);
                }
                if (def >= 2) {
                    current.add(value);
                }
            }
            cr.consume();
        }
    }

    private static Object value(ColumnReader cr, PrimitiveType t) {
        return switch (t.getPrimitiveTypeName()) {
            case FLOAT -> cr.getFloat();
            case DOUBLE -> cr.getDouble();
            case INT32 -> cr.getInteger();
            case BOOLEAN -> cr.getBoolean();
            case FIXED_LEN_BYTE_ARRAY -> {
                byte[] b = cr.getBinary().getBytes();
                yield (short) ((b[0] & 0xff) | (b[1] << 8));
            }
            case BINARY -> t.getLogicalTypeAnnotation() != null
                    ? new String(cr.getBinary().getBytes(), StandardCharsets.UTF_8) : cr.getBinary().getBytes();
            default -> throw new IllegalStateException("unexpected type " + t);
        };
    }

    /** The checksum of values read back, computed the way {@link ColumnChecksum} defines it. */
    public static ColumnChecksum checksum(String name, DType type, List<Object> rows) {
        ValueHasher h = new ValueHasher();
        long[] counts = new long[2];
        double[] sum = new double[1];
        for (Object row : rows) {
            if (row instanceof List<?> l) {
                if (l.isEmpty()) {
                    counts[1]++;
                }
                for (Object v : l) {
                    add(type, v, h, counts, sum);
                }
            } else {
                add(type, row, h, counts, sum);
            }
        }
        return new ColumnChecksum(name, counts[0], counts[1], sum[0], h.value());
    }

    private static void add(DType type, Object v, ValueHasher h, long[] counts, double[] sum) {
        if (v == null) {
            counts[1]++;
            return;
        }
        counts[0]++;
        switch (type.elementType()) {
            case FLOAT32, LIST -> {
                h.addFloat((Float) v);
                sum[0] += (Float) v;
            }
            case FLOAT64 -> {
                h.addDouble((Double) v);
                sum[0] += (Double) v;
            }
            case FLOAT16 -> {
                h.addShortLE((Short) v);
                sum[0] += Float.float16ToFloat((Short) v);
            }
            case INT8 -> {
                int i = (Integer) v;
                h.addByte(i);
                sum[0] += i;
            }
            case BOOL -> {
                boolean b = (Boolean) v;
                h.addByte(b ? 1 : 0);
                sum[0] += b ? 1 : 0;
            }
            case STRING -> {
                byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
                h.addIntLE(b.length);
                h.addBytes(b, 0, b.length);
                sum[0] += b.length;
            }
            case BINARY -> {
                byte[] b = (byte[]) v;
                h.addIntLE(b.length);
                h.addBytes(b, 0, b.length);
                sum[0] += b.length;
            }
        }
    }

    /** Row counts of the row groups, from the footer only. */
    public static List<Long> rowGroupRows(ParquetMetadata footer) {
        return footer.getBlocks().stream().map(BlockMetaData::getRowCount).toList();
    }
}
