package io.inlay.engine.vector;

import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
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

    /** The type Inlay writes, and expects to read, for a workload column. */
    public static ColumnType of(ColumnSpec spec) {
        ValueType v = valueTypeOf(spec.elementType());
        return new ColumnType(v, spec.isList());
    }

    /** The value type a workload dtype is decoded into ({@code list} holds float32). */
    public static ValueType valueTypeOf(DType dtype) {
        return switch (dtype) {
            case FLOAT32, LIST -> ValueType.FLOAT32;
            case FLOAT64 -> ValueType.FLOAT64;
            case FLOAT16 -> ValueType.FLOAT16;
            case INT8 -> ValueType.INT8;
            case STRING -> ValueType.STRING;
            case BINARY, BLOB -> ValueType.BINARY;
            case BOOL -> ValueType.BOOL;
        };
    }

    @Override
    public String toString() {
        String v = valueType.name().toLowerCase(java.util.Locale.ROOT);
        return list ? "list<" + v + ">" : v;
    }
}
