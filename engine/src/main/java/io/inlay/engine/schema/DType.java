package io.inlay.engine.schema;

import io.inlay.engine.vector.ValueType;
import java.util.Locale;

/**
 * The column data types a DLIO workload config names ({@code dataset.parquet.columns[].dtype}).
 *
 * <p>How each is stored in Parquet:
 * <ul>
 *   <li>{@code float32}: FLOAT; {@code float64}: DOUBLE</li>
 *   <li>{@code float16}: FIXED_LEN_BYTE_ARRAY(2) annotated FLOAT16</li>
 *   <li>{@code int8}: INT32 annotated INT(8, signed)</li>
 *   <li>{@code string}: BYTE_ARRAY annotated STRING; {@code binary}: BYTE_ARRAY</li>
 *   <li>{@code bool}: BOOLEAN</li>
 *   <li>{@code list}: a float32 vector of the column's {@code size}</li>
 *   <li>{@code blob}: one sample's bytes, of any length up to 2 GiB - 1, as a standard 3-level
 *       LIST of BYTE_ARRAY chunks of {@link ColumnSpec#BLOB_CHUNK} bytes (the last one shorter):
 *       a single BYTE_ARRAY value cannot span pages, a list's elements can, so a sample of any size
 *       is written and read a page at a time. The sample is the chunks concatenated.</li>
 * </ul>
 * A {@code size} greater than 1 (and every {@code list}) makes a fixed-length vector per row,
 * stored as a standard 3-level LIST; for {@code binary} the size is the byte length instead, and for
 * {@code blob} the sample's nominal byte length (a generator may draw each file's length around it).
 */
public enum DType {
    FLOAT32("float32"),
    FLOAT64("float64"),
    FLOAT16("float16"),
    INT8("int8"),
    STRING("string"),
    BINARY("binary"),
    BOOL("bool"),
    LIST("list"),
    BLOB("blob");

    /** The config names, as listed in error messages. */
    public static final String VALID_NAMES = "float32, float64, float16, int8, string, binary, bool, list, blob";

    private final String configName;

    DType(String configName) {
        this.configName = configName;
    }

    /** The name used in workload configs. */
    public String configName() {
        return configName;
    }

    /**
     * The dtype a config names, case-insensitively.
     *
     * @throws IllegalArgumentException naming the value and listing the valid dtypes
     */
    public static DType fromConfigName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (DType d : values()) {
            if (d.configName.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; valid: " + VALID_NAMES);
    }

    /** The element type of a vector of this dtype ({@link #LIST} holds float32, {@link #BLOB} binary chunks). */
    public DType elementType() {
        return this == LIST ? FLOAT32 : this == BLOB ? BINARY : this;
    }

    /** Bytes per value in the Arrow layout Inlay decodes into; 0 for variable-length and bit-packed types. */
    public int byteWidth() {
        return switch (this) {
            case FLOAT32, LIST -> 4;
            case FLOAT64 -> 8;
            case FLOAT16 -> 2;
            case INT8 -> 1;
            case STRING, BINARY, BOOL, BLOB -> 0;
        };
    }

    /** The value type this dtype is decoded into ({@code list} holds float32). */
    public ValueType valueType() {
        return switch (this) {
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
        return configName;
    }
}
