package io.inlay.engine.internal.memory;

import io.inlay.engine.internal.CapacityException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Variable-length values being decoded: int32 offsets ({@code count + 1} of them) and the
 * concatenated bytes. Not thread-safe.
 */
public final class BinaryOutput implements AutoCloseable {
    private final OutputBuffer offsets;
    private final OutputBuffer data;
    private MemorySegment offsetSeg;
    private MemorySegment dataSeg;
    private long count;
    private long dataSize;
    private long lastStart;

    public BinaryOutput(Arena callerArena) {
        this(callerArena, callerArena != null);
    }

    /** As {@link #BinaryOutput(Arena)}; {@code confined}: see {@link GrowableBuffer#GrowableBuffer(boolean)}. */
    public BinaryOutput(Arena callerArena, boolean confined) {
        offsets = new OutputBuffer(callerArena, confined);
        data = new OutputBuffer(callerArena, confined);
    }

    /** Starts a vector with room planned for {@code values} values and {@code bytes} data bytes. */
    public void begin(long values, long bytes) {
        offsetSeg = offsets.begin((values + 1) * 4);
        dataSeg = data.begin(Math.max(bytes, 0));
        count = 0;
        dataSize = 0;
        lastStart = 0;
        offsetSeg = offsets.ensure(4, 0);
        offsetSeg.set(Layouts.LE_INT, 0, 0);
    }

    public long count() {
        return count;
    }

    public long dataSize() {
        return dataSize;
    }

    /**
     * Appends {@code len} bytes from {@code src} at {@code off}.
     *
     * @throws CapacityException when the data would pass the 2 GiB int32 offsets can address
     */
    public void append(MemorySegment src, long off, int len) {
        long end = dataSize + len;
        if (end > Integer.MAX_VALUE) {
            throw new CapacityException("more than 2 GiB of variable-length data in one vector");
        }
        if (end > dataSeg.byteSize()) {
            dataSeg = data.ensure(end, dataSize);
        }
        MemorySegment.copy(src, off, dataSeg, dataSize, len);
        lastStart = dataSize;
        dataSize = end;
        writeOffset();
    }

    /**
     * Appends the first {@code prefix} bytes of the previous value followed by {@code len} bytes
     * from {@code src} (DELTA_BYTE_ARRAY).
     */
    public void appendWithPrefix(int prefix, MemorySegment src, long off, int len) {
        long end = dataSize + prefix + len;
        if (end > Integer.MAX_VALUE) {
            throw new CapacityException("more than 2 GiB of variable-length data in one vector");
        }
        if (end > dataSeg.byteSize()) {
            dataSeg = data.ensure(end, dataSize);
        }
        long start = dataSize;
        if (prefix > 0) {
            MemorySegment.copy(dataSeg, lastStart, dataSeg, start, prefix);
        }
        MemorySegment.copy(src, off, dataSeg, start + prefix, len);
        lastStart = start;
        dataSize = end;
        writeOffset();
    }

    /** The bytes of the value appended last (empty when none); valid until the next append. */
    public MemorySegment last() {
        return dataSeg.asSlice(lastStart, dataSize - lastStart);
    }

    /** Length of the value appended last (0 when none). */
    public int lastLength() {
        return (int) (dataSize - lastStart);
    }

    /** Appends a null or empty value: no bytes. */
    public void appendEmpty() {
        writeOffset();
    }

    private void writeOffset() {
        count++;
        long at = count * 4;
        if (at + 4 > offsetSeg.byteSize()) {
            offsetSeg = offsets.ensure(Math.max(at + 4, offsetSeg.byteSize() * 2), at);
        }
        offsetSeg.set(Layouts.LE_INT, at, (int) dataSize);
    }

    public MemorySegment finishOffsets() {
        return offsets.finish((count + 1) * 4);
    }

    public MemorySegment finishData() {
        return data.finish(dataSize);
    }

    @Override
    public void close() {
        offsets.close();
        data.close();
    }
}
