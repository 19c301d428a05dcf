package io.inlay.engine.testing;

import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Brings values from different readers to one comparable form: byte arrays and blobs as hex,
 * integers as Integer, float16 bits as the float they stand for, SQL arrays as lists.
 */
public final class Normalize {
    private Normalize() {}

    /** A value read by parquet-java or built by a test; {@code float16} says Short means half-float bits. */
    public static Object value(Object o, boolean float16) {
        if (o == null) {
            return null;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) {
                out.add(value(e, float16));
            }
            return out;
        }
        if (o instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (o instanceof Short s && float16) {
            return Float.float16ToFloat(s);
        }
        if (o instanceof Byte b) {
            return (int) b;
        }
        return o;
    }

    /** A value from DuckDB's JDBC driver. */
    public static Object jdbc(Object o) throws SQLException {
        if (o == null) {
            return null;
        }
        if (o instanceof Array a) {
            List<Object> out = new ArrayList<>();
            for (Object e : (Object[]) a.getArray()) {
                out.add(jdbc(e));
            }
            return out;
        }
        if (o instanceof Blob b) {
            return HexFormat.of().formatHex(b.getBytes(1, (int) b.length()));
        }
        return value(o, false);
    }
}
