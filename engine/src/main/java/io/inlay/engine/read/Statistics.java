package io.inlay.engine.read;

import io.inlay.engine.vector.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.parquet.format.Type;

/** Converts Thrift statistics into {@link ChunkStatistics}, rendering min/max for their type. */
final class Statistics {
    private Statistics() {}

    /**
     * @param valueType the column's decoded type, or null for unsupported columns (rendered by
     *     physical type only)
     */
    static ChunkStatistics of(org.apache.parquet.format.Statistics s, Type physical, ValueType valueType) {
        if (s == null) {
            return null;
        }
        boolean legacy = !s.isSetMin_value() && !s.isSetMax_value() && (s.isSetMin() || s.isSetMax());
        byte[] min = s.isSetMin_value() ? s.getMin_value() : s.isSetMin() ? s.getMin() : null;
        byte[] max = s.isSetMax_value() ? s.getMax_value() : s.isSetMax() ? s.getMax() : null;
        return new ChunkStatistics(s.isSetNull_count() ? s.getNull_count() : -1,
                s.isSetDistinct_count() ? s.getDistinct_count() : -1, min, max,
                render(min, physical, valueType), render(max, physical, valueType), legacy);
    }

    /** A value's PLAIN bytes as text; hex when the bytes do not fit the type. */
    static String render(byte[] b, Type physical, ValueType valueType) {
        if (b == null) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        try {
            switch (physical) {
                case BOOLEAN:
                    return b.length >= 1 ? String.valueOf(b[0] != 0) : hex(b);
                case INT32:
                    if (b.length != 4) {
                        return hex(b);
                    }
                    return valueType != null && valueType.isUnsigned()
                            ? Integer.toUnsignedString(bb.getInt()) : String.valueOf(bb.getInt());
                case INT64:
                    if (b.length != 8) {
                        return hex(b);
                    }
                    return valueType == ValueType.UINT64 ? Long.toUnsignedString(bb.getLong()) : String.valueOf(bb.getLong());
                case FLOAT:
                    return b.length == 4 ? String.valueOf(bb.getFloat()) : hex(b);
                case DOUBLE:
                    return b.length == 8 ? String.valueOf(bb.getDouble()) : hex(b);
                case BYTE_ARRAY:
                    return valueType == ValueType.STRING ? new String(b, StandardCharsets.UTF_8) : hex(b);
                case FIXED_LEN_BYTE_ARRAY:
                    return valueType == ValueType.FLOAT16 && b.length == 2
                            ? String.valueOf(Float.float16ToFloat(bb.getShort())) : hex(b);
                default:
                    return hex(b);
            }
        } catch (RuntimeException e) {
            return hex(b);
        }
    }

    private static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}
