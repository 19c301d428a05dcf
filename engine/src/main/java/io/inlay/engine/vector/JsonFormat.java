package io.inlay.engine.vector;

import java.util.HexFormat;

/**
 * Renders vector values as JSON in the value format of Inlay's conformance corpus:
 * <ul>
 *   <li>float32 / float64: the shortest decimal that parses back to the same value
 *       ({@link Float#toString}, {@link Double#toString}); {@code "NaN"}, {@code "Infinity"},
 *       {@code "-Infinity"} as strings; {@code -0.0} kept</li>
 *   <li>float16: its exact float32 widening, rendered as a float32</li>
 *   <li>booleans {@code true}/{@code false}; integers in decimal (unsigned types unsigned)</li>
 *   <li>strings as JSON strings; binaries as lowercase hex</li>
 *   <li>lists as arrays; nulls (rows and elements) as {@code null}</li>
 * </ul>
 * Stateless and thread-safe. It allocates: for inspection and tests, not for hot loops.
 */
public final class JsonFormat {
    private static final HexFormat HEX = HexFormat.of();

    private JsonFormat() {}

    /** Appends the JSON of row {@code row} of {@code v}. */
    public static void appendValue(StringBuilder sb, ColumnVector v, long row) {
        if (v.isNull(row)) {
            sb.append("null");
            return;
        }
        if (v.type().list()) {
            ColumnVector child = v.child();
            int start = v.offset(row);
            int end = v.offset(row + 1);
            sb.append('[');
            for (int i = start; i < end; i++) {
                if (i > start) {
                    sb.append(',');
                }
                appendValue(sb, child, i);
            }
            sb.append(']');
            return;
        }
        switch (v.type().valueType()) {
            case FLOAT32 -> appendFloat(sb, v.getFloat(row));
            case FLOAT64 -> appendDouble(sb, v.getDouble(row));
            case FLOAT16 -> appendFloat(sb, Float.float16ToFloat(v.getFloat16Bits(row)));
            case BOOL -> sb.append(v.getBoolean(row));
            case UINT64 -> sb.append(Long.toUnsignedString(v.getLong(row)));
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> sb.append(v.getLong(row));
            case STRING -> appendString(sb, v.getString(row));
            case BINARY -> sb.append('"').append(HEX.formatHex(v.getBytes(row).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)))
                    .append('"');
        }
    }

    public static void appendFloat(StringBuilder sb, float f) {
        if (Float.isNaN(f)) {
            sb.append("\"NaN\"");
        } else if (Float.isInfinite(f)) {
            sb.append(f > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            sb.append(Float.toString(f));
        }
    }

    public static void appendDouble(StringBuilder sb, double d) {
        if (Double.isNaN(d)) {
            sb.append("\"NaN\"");
        } else if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            sb.append(Double.toString(d));
        }
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
