package io.inlay.engine.vector;

/**
 * The type of each value (or list element) as Inlay decodes it, named after the Arrow type whose
 * buffer layout Inlay uses. Integers are stored at their logical width: an INT32 column annotated
 * INT(8) decodes to one byte per value, as Arrow's int8 does.
 */
public enum ValueType {
    BOOL(0),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    /** IEEE 754 half precision, two bytes per value. */
    FLOAT16(2),
    FLOAT32(4),
    FLOAT64(8),
    /** UTF-8 bytes with int32 offsets. */
    STRING(0),
    /** Bytes with int32 offsets. */
    BINARY(0);

    private final int byteWidth;

    ValueType(int byteWidth) {
        this.byteWidth = byteWidth;
    }

    /** Bytes per value in the values buffer; 0 for booleans (bit-packed) and variable-length types. */
    public int byteWidth() {
        return byteWidth;
    }

    /** Whether values are variable-length bytes addressed through an offsets buffer. */
    public boolean isVariableLength() {
        return this == STRING || this == BINARY;
    }

    /** Whether the values buffer is bit-packed (one bit per value, least significant bit first). */
    public boolean isBitPacked() {
        return this == BOOL;
    }

    /** Whether integer values are unsigned. */
    public boolean isUnsigned() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
    }
}
