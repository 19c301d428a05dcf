package io.inlay.engine.vector;

import java.util.Objects;

/**
 * A column's type as Inlay decodes it: a value type, or a list of values of that type.
 *
 * @param valueType the type of each value, or of each list element
 * @param list whether each row holds a list
 */
public record ColumnType(ValueType valueType, boolean list) {

    public ColumnType {
        Objects.requireNonNull(valueType, "valueType");
    }

    /** A scalar column. */
    public static ColumnType of(ValueType valueType) {
        return new ColumnType(valueType, false);
    }

    /** A list column. */
    public static ColumnType listOf(ValueType valueType) {
        return new ColumnType(valueType, true);
    }

    @Override
    public String toString() {
        String v = valueType.name().toLowerCase(java.util.Locale.ROOT);
        return list ? "list<" + v + ">" : v;
    }
}
