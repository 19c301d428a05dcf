package io.inlay.engine.write;

import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.lang.foreign.MemorySegment;

/**
 * The off-heap buffers a {@link ColumnSource} fills with one page's values, in Apache Arrow's
 * layout (little-endian), without nulls:
 *
 * <pre>
 * float32, float64, float16, int8   values(): valueCount() values of 4, 8, 2, 1 bytes
 * bool                              values(): valueCount() bits, least significant bit first
 * string, binary                    offsets(): valueCount() + 1 int32 offsets, offsets[0] = 0, non-decreasing;
 *                                   data(n): the bytes, value i at [offsets[i], offsets[i+1])
 * </pre>
 *
 * For a vector column (a fixed-length list per row) the values are the rows' elements one row
 * after another, so {@code valueCount() = rows() * column().valuesPerRow()}.
 *
 * <p><b>Memory and threads.</b> The writer owns these buffers and reuses them for every page of
 * every column: segments obtained during one {@link ColumnSource#fill} call are valid only until it
 * returns, and {@link #data(long)} may move the data (take the segment again after calling it).
 * Confined to the writer's thread.
 */
public final class PageBuffers {
    private final GrowableBuffer values = GrowableBuffer.zeroed(1 << 16);
    private final GrowableBuffer offsets = GrowableBuffer.zeroed(1 << 12);
    private final GrowableBuffer data = GrowableBuffer.zeroed(1 << 16);
    private ColumnSpec column;
    private int rows;
    private long valueCount;

    PageBuffers() {}

    /** Prepares the buffers for a page of {@code rowCount} rows of {@code spec}. */
    void prepare(ColumnSpec spec, int rowCount) {
        this.column = spec;
        this.rows = rowCount;
        this.valueCount = (long) rowCount * spec.valuesPerRow();
        values.clear();
        offsets.clear();
        data.clear();
    }

    /** The column being written. */
    public ColumnSpec column() {
        return column;
    }

    /** Rows in this page. */
    public int rows() {
        return rows;
    }

    /** Values to write: rows, times the vector length for vector columns. */
    public long valueCount() {
        return valueCount;
    }

    /**
     * The values of a fixed-width or bool column, exactly as many bytes as {@link #valueCount()}
     * values take ({@code (valueCount + 7) / 8} for bool).
     *
     * @throws IllegalStateException for string and binary columns
     */
    public MemorySegment values() {
        DType t = column.elementType();
        if (t == DType.STRING || t == DType.BINARY) {
            throw new IllegalStateException("column '" + column.name() + "' is " + t + ": use offsets() and data()");
        }
        long bytes = t == DType.BOOL ? (valueCount + 7) >>> 3 : valueCount * t.byteWidth();
        values.ensureCapacity(bytes);
        values.setSize(bytes);
        return values.slice(0, bytes);
    }

    /**
     * The {@code valueCount() + 1} int32 offsets of a string or binary column.
     *
     * @throws IllegalStateException for other columns
     */
    public MemorySegment offsets() {
        requireVariableLength();
        long bytes = (valueCount + 1) * 4;
        offsets.ensureCapacity(bytes);
        offsets.setSize(bytes);
        return offsets.slice(0, bytes);
    }

    /**
     * The data buffer of a string or binary column, grown to at least {@code minBytes} (content
     * kept). The returned segment may be larger than asked.
     *
     * @throws IllegalStateException for other columns
     */
    public MemorySegment data(long minBytes) {
        requireVariableLength();
        if (minBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a page's data cannot exceed 2 GiB (asked " + minBytes + " bytes)");
        }
        keepGrow(data, minBytes);
        return data.segment();
    }

    /** Grows {@code b} to {@code capacity} keeping all its bytes (the buffer itself keeps only its size's worth). */
    private static void keepGrow(GrowableBuffer b, long capacity) {
        b.ensure(capacity, b.capacity());
    }

    private void requireVariableLength() {
        DType t = column.elementType();
        if (t != DType.STRING && t != DType.BINARY) {
            throw new IllegalStateException("column '" + column.name() + "' is " + t + ": use values()");
        }
    }

    // ---- blob pages: the writer fills these itself from a BlobSource

    /** Prepares the buffers for a blob page of {@code column}. */
    void prepareBlob(ColumnSpec spec) {
        this.column = spec;
        this.rows = 0;
        this.valueCount = 0;
        values.clear();
        offsets.clear();
        data.clear();
    }

    /** The blob page's chunk bytes, at least {@code bytes} long (content kept). */
    MemorySegment blobData(long bytes) {
        keepGrow(data, bytes);
        return data.segment();
    }

    /** The int32 offsets of the chunks in {@link #blobData}, room for {@code count + 1} (content kept). */
    MemorySegment blobChunkOffsets(long count) {
        keepGrow(offsets, (count + 1) * 4);
        return offsets.segment();
    }

    /** The int32 list offsets of the row pieces (into the chunks), room for {@code pieces + 1} (content kept). */
    MemorySegment blobListOffsets(long pieces) {
        keepGrow(values, (pieces + 1) * 4);
        return values.segment();
    }

    MemorySegment valuesSegment() {
        return values.segment();
    }

    MemorySegment offsetsSegment() {
        return offsets.segment();
    }

    MemorySegment dataSegment() {
        return data.segment();
    }

    /** Frees the buffers; called by the writer when it closes. */
    void release() {
        values.close();
        offsets.close();
        data.close();
    }
}
