package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * A column chunk's dictionary, decoded once from its (PLAIN encoded) dictionary page into
 * reusable off-heap memory: fixed-width entries at the output width, or offsets plus bytes.
 * Reused from chunk to chunk; confined to one thread.
 */
public final class Dictionary implements AutoCloseable {
    private final GrowableBuffer fixed;
    private final BinaryOutput binary;
    private MemorySegment values = MemorySegment.NULL;
    private MemorySegment offsets = MemorySegment.NULL;
    private int size;
    private int width;
    private boolean variable;
    private boolean loaded;

    public Dictionary() {
        this(false);
    }

    /** @param confined whether only the creating thread uses and closes it (see {@link GrowableBuffer#GrowableBuffer(boolean)}) */
    public Dictionary(boolean confined) {
        fixed = new GrowableBuffer(confined);
        binary = new BinaryOutput(null, confined);
    }

    /** Decodes {@code count} fixed-width entries of {@code inWidth} bytes, stored at {@code outWidth}. */
    public void loadFixed(MemorySegment page, long offset, long length, int count, int inWidth, int outWidth)
            throws DecodeException {
        checkCount(count, length, inWidth);
        FixedPlainDecoder d = new FixedPlainDecoder(inWidth, outWidth); // per chunk, not per page
        d.init(page, offset, length, count);
        values = fixed.ensure(Math.max(1, (long) count * outWidth), 0);
        d.readFixed(values, 0, count);
        size = count;
        width = outWidth;
        variable = false;
        loaded = true;
    }

    /** Decodes {@code count} PLAIN byte arrays. */
    public void loadBinary(MemorySegment page, long offset, long length, int count) throws DecodeException {
        checkCount(count, length, 4);
        BinaryPlainDecoder d = new BinaryPlainDecoder();
        d.init(page, offset, length, count);
        binary.begin(count, length - 4L * count);
        d.readBinary(binary, count);
        offsets = binary.finishOffsets();
        values = binary.finishData();
        size = count;
        variable = true;
        loaded = true;
    }

    private static void checkCount(int count, long length, int minBytes) throws DecodeException {
        if (count < 0) {
            throw new DecodeException("dictionary page has a negative entry count " + count);
        }
        if ((long) count * minBytes > length) {
            throw new DecodeException("dictionary page claims " + count + " entries but has only " + length + " bytes");
        }
    }

    /** Forgets the dictionary (a new chunk starts). */
    public void clear() {
        loaded = false;
        size = 0;
    }

    public boolean isLoaded() {
        return loaded;
    }

    public int size() {
        return size;
    }

    int width() {
        return width;
    }

    MemorySegment values() {
        return values;
    }

    int start(int index) {
        return offsets.get(Layouts.LE_INT, 4L * index);
    }

    int end(int index) {
        return offsets.get(Layouts.LE_INT, 4L * index + 4);
    }

    @Override
    public void close() {
        fixed.close();
        binary.close();
    }
}
