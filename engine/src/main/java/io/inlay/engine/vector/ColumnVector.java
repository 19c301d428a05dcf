package io.inlay.engine.vector;

import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The values of one column for a run of rows, in Apache Arrow's columnar layout, so that they
 * can be handed to Arrow (or a GPU loader) without copying:
 *
 * <pre>
 * validity  bit i set when row i is not null (LSB first); absent (null) when there are no nulls
 * offsets   int32, length + 1 entries: row i spans [offsets[i], offsets[i+1]) of the data bytes
 *           (string, binary) or of the child's elements (list)
 * values    fixed-width values, length * byteWidth bytes (a null row's slot is zero); bit-packed
 *           booleans; the concatenated bytes of strings and binaries; absent for lists
 * child     a list's elements, a vector of its own (with its own validity for null elements)
 * </pre>
 *
 * All multi-byte values are little-endian. Offsets are absolute positions: {@code offsets[0]} is 0
 * for vectors Inlay decodes.
 *
 * <p><b>Memory and threads.</b> A vector is an immutable view: it owns none of its segments. Their
 * lifetime is that of whoever allocated them — the {@link java.lang.foreign.Arena} the caller passed
 * to the reader, a reusable buffer set the caller holds, or the mapping of an open file — and a
 * vector must not be used after that ends (access then fails with {@link IllegalStateException}, it
 * does not crash). Segments from a shared arena may be read by any thread; a vector holds no mutable
 * state of its own.
 */
public final class ColumnVector {

    private final ColumnType type;
    private final long length;
    private final long nullCount;
    private final MemorySegment validity;
    private final MemorySegment offsets;
    private final MemorySegment values;
    private final ColumnVector child;

    private ColumnVector(ColumnType type, long length, long nullCount, MemorySegment validity,
            MemorySegment offsets, MemorySegment values, ColumnVector child) {
        this.type = Objects.requireNonNull(type, "type");
        if (length < 0 || nullCount < 0 || nullCount > length) {
            throw new IllegalArgumentException("length " + length + ", null count " + nullCount);
        }
        if (nullCount > 0 && validity == null) {
            throw new IllegalArgumentException("a vector with nulls needs a validity bitmap");
        }
        if (validity != null && validity.byteSize() < (length + 7) / 8) {
            throw new IllegalArgumentException("validity of " + validity.byteSize() + " bytes for " + length + " rows");
        }
        boolean needsOffsets = type.list() || type.valueType().isVariableLength();
        if (needsOffsets && (offsets == null || offsets.byteSize() < (length + 1) * 4)) {
            throw new IllegalArgumentException(type + " needs " + (length + 1) + " int32 offsets");
        }
        if (type.list() != (child != null)) {
            throw new IllegalArgumentException(type.list() ? "a list needs a child vector" : "only lists have a child");
        }
        if (!type.list()) {
            long need = type.valueType().isBitPacked() ? (length + 7) / 8
                    : type.valueType().isVariableLength() ? 0 : length * type.valueType().byteWidth();
            if (values == null || values.byteSize() < need) {
                throw new IllegalArgumentException(type + " of " + length + " rows needs " + need + " value bytes");
            }
        }
        this.length = length;
        this.nullCount = nullCount;
        this.validity = nullCount == 0 ? null : validity;
        this.offsets = needsOffsets ? offsets : null;
        this.values = type.list() ? null : values;
        this.child = child;
    }

    /** A vector of fixed-width or boolean values. */
    public static ColumnVector ofValues(ValueType type, long length, long nullCount, MemorySegment validity,
            MemorySegment values) {
        if (type.isVariableLength()) {
            throw new IllegalArgumentException(type + " needs offsets: use ofVariableLength");
        }
        return new ColumnVector(ColumnType.of(type), length, nullCount, validity, null, values, null);
    }

    /** A vector of strings or binaries: offsets into {@code data}. */
    public static ColumnVector ofVariableLength(ValueType type, long length, long nullCount, MemorySegment validity,
            MemorySegment offsets, MemorySegment data) {
        if (!type.isVariableLength()) {
            throw new IllegalArgumentException(type + " is not variable-length");
        }
        return new ColumnVector(ColumnType.of(type), length, nullCount, validity, offsets, data, null);
    }

    /** A vector of lists: offsets into {@code elements}. */
    public static ColumnVector ofLists(long length, long nullCount, MemorySegment validity, MemorySegment offsets,
            ColumnVector elements) {
        if (elements.type().list()) {
            throw new IllegalArgumentException("nested lists are not supported");
        }
        return new ColumnVector(ColumnType.listOf(elements.type().valueType()), length, nullCount, validity, offsets,
                null, elements);
    }

    public ColumnType type() {
        return type;
    }

    /** Rows in this vector. */
    public long length() {
        return length;
    }

    /** Null rows (null lists, for a list vector). */
    public long nullCount() {
        return nullCount;
    }

    /** The validity bitmap, or {@code null} when no row is null. */
    public MemorySegment validity() {
        return validity;
    }

    /** The int32 offsets of a list or variable-length vector, otherwise {@code null}. */
    public MemorySegment offsets() {
        return offsets;
    }

    /** The values (or data bytes) buffer; {@code null} for lists. */
    public MemorySegment values() {
        return values;
    }

    /** A list's elements, otherwise {@code null}. */
    public ColumnVector child() {
        return child;
    }

    // ---- convenience accessors: for inspection and tests, not for hot loops ----

    public boolean isNull(long row) {
        Objects.checkIndex(row, length);
        return validity != null && (validity.get(ValueLayout.JAVA_BYTE, row >>> 3) & (1 << (row & 7))) == 0;
    }

    /** Start of row {@code row} in the child or data (offsets vectors only). */
    public int offset(long row) {
        Objects.checkIndex(row, length + 1);
        return offsets.get(Layouts.LE_INT, row * 4);
    }

    public float getFloat(long row) {
        Objects.checkIndex(row, length);
        return values.get(Layouts.LE_FLOAT, row * 4);
    }

    public double getDouble(long row) {
        Objects.checkIndex(row, length);
        return values.get(Layouts.LE_DOUBLE, row * 8);
    }

    /** The raw bits of a float16 value. */
    public short getFloat16Bits(long row) {
        Objects.checkIndex(row, length);
        return values.get(Layouts.LE_SHORT, row * 2);
    }

    public boolean getBoolean(long row) {
        Objects.checkIndex(row, length);
        return (values.get(ValueLayout.JAVA_BYTE, row >>> 3) & (1 << (row & 7))) != 0;
    }

    /** An integer value widened to long; unsigned types give their unsigned value (UINT64 as raw bits). */
    public long getLong(long row) {
        Objects.checkIndex(row, length);
        return switch (type.valueType()) {
            case INT8 -> values.get(ValueLayout.JAVA_BYTE, row);
            case UINT8 -> values.get(ValueLayout.JAVA_BYTE, row) & 0xffL;
            case INT16 -> values.get(Layouts.LE_SHORT, row * 2);
            case UINT16 -> values.get(Layouts.LE_SHORT, row * 2) & 0xffffL;
            case INT32 -> values.get(Layouts.LE_INT, row * 4);
            case UINT32 -> values.get(Layouts.LE_INT, row * 4) & 0xffffffffL;
            case INT64, UINT64 -> values.get(Layouts.LE_LONG, row * 8);
            default -> throw new IllegalStateException(type + " is not an integer type");
        };
    }

    /** The bytes of a string or binary row, as a slice of the data buffer. */
    public MemorySegment getBytes(long row) {
        Objects.checkIndex(row, length);
        int start = offsets.get(Layouts.LE_INT, row * 4);
        int end = offsets.get(Layouts.LE_INT, (row + 1) * 4);
        return values.asSlice(start, end - start);
    }

    /** A string row decoded from UTF-8 (allocates: for inspection, not for hot loops). */
    public String getString(long row) {
        return new String(getBytes(row).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ColumnVector[" + type + ", " + length + " rows, " + nullCount + " nulls]";
    }
}
