package io.inlay.engine.testing;

import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds Arrow-layout {@link ColumnVector}s from Java values for tests (nulls as null). */
public final class Vectors {
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Vectors() {}

    /** A scalar vector of the given type: Float, Double, Short (float16 bits), Integer (int8), Boolean, String, byte[]. */
    public static ColumnVector of(Arena arena, ValueType type, List<?> values) {
        int n = values.size();
        MemorySegment validity = arena.allocate(Math.max(1, (n + 7) / 8));
        long nulls = 0;
        for (int i = 0; i < n; i++) {
            if (values.get(i) != null) {
                validity.set(ValueLayout.JAVA_BYTE, i >>> 3, (byte) (validity.get(ValueLayout.JAVA_BYTE, i >>> 3) | (1 << (i & 7))));
            } else {
                nulls++;
            }
        }
        if (type.isVariableLength()) {
            MemorySegment offsets = arena.allocate(4L * (n + 1));
            int total = 0;
            for (int i = 0; i < n; i++) {
                total += bytes(values.get(i)).length;
            }
            MemorySegment data = arena.allocate(Math.max(1, total));
            int pos = 0;
            for (int i = 0; i < n; i++) {
                offsets.set(LE_INT, 4L * i, pos);
                byte[] b = bytes(values.get(i));
                MemorySegment.copy(b, 0, data, ValueLayout.JAVA_BYTE, pos, b.length);
                pos += b.length;
            }
            offsets.set(LE_INT, 4L * n, pos);
            return ColumnVector.ofVariableLength(type, n, nulls, validity, offsets, data);
        }
        MemorySegment v = arena.allocate(Math.max(1, type == ValueType.BOOL ? (n + 7) / 8 : (long) n * type.byteWidth()));
        for (int i = 0; i < n; i++) {
            Object o = values.get(i);
            if (o == null) {
                continue;
            }
            switch (type) {
                case FLOAT32 -> v.set(LE_FLOAT, 4L * i, (Float) o);
                case FLOAT64 -> v.set(LE_DOUBLE, 8L * i, (Double) o);
                case FLOAT16 -> v.set(LE_SHORT, 2L * i, (Short) o);
                case INT8 -> v.set(ValueLayout.JAVA_BYTE, i, (byte) (int) (Integer) o);
                case BOOL -> {
                    if ((Boolean) o) {
                        v.set(ValueLayout.JAVA_BYTE, i >>> 3, (byte) (v.get(ValueLayout.JAVA_BYTE, i >>> 3) | (1 << (i & 7))));
                    }
                }
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return ColumnVector.ofValues(type, n, nulls, validity, v);
    }

    /** A list vector: each row a List of element values (elements may be null) or null. */
    public static ColumnVector lists(Arena arena, ValueType type, List<? extends List<?>> rows) {
        int n = rows.size();
        MemorySegment offsets = arena.allocate(4L * (n + 1));
        MemorySegment validity = arena.allocate(Math.max(1, (n + 7) / 8));
        java.util.ArrayList<Object> elements = new java.util.ArrayList<>();
        long nulls = 0;
        for (int i = 0; i < n; i++) {
            offsets.set(LE_INT, 4L * i, elements.size());
            List<?> row = rows.get(i);
            if (row == null) {
                nulls++;
                continue;
            }
            validity.set(ValueLayout.JAVA_BYTE, i >>> 3, (byte) (validity.get(ValueLayout.JAVA_BYTE, i >>> 3) | (1 << (i & 7))));
            elements.addAll(row);
        }
        offsets.set(LE_INT, 4L * n, elements.size());
        return ColumnVector.ofLists(n, nulls, validity, offsets, of(arena, type, elements));
    }

    private static byte[] bytes(Object o) {
        if (o == null) {
            return new byte[0];
        }
        return o instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) o;
    }
}
