package io.inlay.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;

/** Checks the chunk statistics parquet-java reads against min/max/null counts computed from the test's own values. */
public final class StatsCheck {
    private StatsCheck() {}

    public static void assertMatch(ParquetMetadata footer, List<ColumnSpec> schema, Map<String, List<Object>> rows,
            int rowGroupRows) {
        List<BlockMetaData> blocks = footer.getBlocks();
        for (int g = 0; g < blocks.size(); g++) {
            for (int c = 0; c < schema.size(); c++) {
                ColumnSpec spec = schema.get(c);
                List<Object> all = rows.get(spec.name());
                List<Object> part = all.subList(g * rowGroupRows, Math.min(all.size(), (g + 1) * rowGroupRows));
                ColumnChunkMetaData chunk = blocks.get(g).getColumns().get(c);
                check(spec, part, chunk.getStatistics(), "row group " + g + " column " + spec.name());
            }
        }
    }

    private static void check(ColumnSpec spec, List<Object> rows, Statistics<?> st, String where) {
        List<Object> values = new ArrayList<>();
        long nulls = 0;
        for (Object row : rows) {
            if (row == null) {
                nulls++;
            } else if (row instanceof List<?> l) {
                if (l.isEmpty()) {
                    nulls++;
                }
                for (Object v : l) {
                    if (v == null) {
                        nulls++;
                    } else {
                        values.add(v);
                    }
                }
            } else {
                values.add(row);
            }
        }
        assertTrue(st.isNumNullsSet(), where + ": null count set");
        assertEquals(nulls, st.getNumNulls(), where + ": null count");
        if (values.isEmpty()) {
            assertFalse(st.hasNonNullValue(), where + ": no min/max without values");
            return;
        }
        DType t = spec.elementType();
        if ((t == DType.STRING || t == DType.BINARY) && values.stream().anyMatch(v -> bytes(v).length > 4096)) {
            assertFalse(st.hasNonNullValue(), where + ": no min/max for values over 4096 bytes");
            return;
        }
        assertTrue(st.hasNonNullValue(), where + ": min/max present");
        switch (t) {
            case FLOAT32, LIST, FLOAT64 -> {
                double min = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).min().orElseThrow();
                double max = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElseThrow();
                assertEquals(min, ((Number) st.genericGetMin()).doubleValue(), 0.0, where + ": min (-0 and +0 equal)");
                assertEquals(max, ((Number) st.genericGetMax()).doubleValue(), 0.0, where + ": max (-0 and +0 equal)");
            }
            case FLOAT16 -> {
                double min = values.stream().mapToDouble(v -> Float.float16ToFloat((Short) v)).min().orElseThrow();
                double max = values.stream().mapToDouble(v -> Float.float16ToFloat((Short) v)).max().orElseThrow();
                assertEquals(min, half((Binary) st.genericGetMin()), 0.0, where + ": min (-0 and +0 equal)");
                assertEquals(max, half((Binary) st.genericGetMax()), 0.0, where + ": max (-0 and +0 equal)");
            }
            case INT8 -> {
                int min = values.stream().mapToInt(v -> (Integer) v).min().orElseThrow();
                int max = values.stream().mapToInt(v -> (Integer) v).max().orElseThrow();
                assertEquals(min, st.genericGetMin(), where + ": min");
                assertEquals(max, st.genericGetMax(), where + ": max");
            }
            case BOOL -> {
                assertEquals(!values.contains(false), st.genericGetMin(), where + ": min");
                assertEquals(values.contains(true), st.genericGetMax(), where + ": max");
            }
            case STRING, BINARY -> {
                List<byte[]> bytes = values.stream().map(StatsCheck::bytes).toList();
                byte[] min = bytes.stream().min(Arrays::compareUnsigned).orElseThrow();
                byte[] max = bytes.stream().max(Arrays::compareUnsigned).orElseThrow();
                assertEquals(Arrays.toString(min), Arrays.toString(((Binary) st.genericGetMin()).getBytes()), where + ": min");
                assertEquals(Arrays.toString(max), Arrays.toString(((Binary) st.genericGetMax()).getBytes()), where + ": max");
            }
        }
    }

    private static byte[] bytes(Object v) {
        return v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v;
    }

    private static double half(Binary b) {
        byte[] x = b.getBytes();
        return Float.float16ToFloat((short) ((x[0] & 0xff) | (x[1] << 8)));
    }
}
