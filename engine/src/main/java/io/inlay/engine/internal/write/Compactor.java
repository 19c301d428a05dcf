package io.inlay.engine.internal.write;

import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Gathers the non-null values of a page with nulls into contiguous scratch buffers, so that
 * encoders and statistics only ever see dense values (Parquet stores no slot for a null). Pages
 * without nulls never come here. Confined to the writer's thread; owns its scratch buffers.
 */
final class Compactor implements AutoCloseable {

    private final GrowableBuffer values = GrowableBuffer.zeroed(1 << 12);
    private final GrowableBuffer offsets = GrowableBuffer.zeroed(1 << 12);

    /** The page's non-null leaf values as a dense input, valid until the next call. */
    PageInput compact(PageInput in, StoredColumn column) {
        values.clear();
        offsets.clear();
        if (column.variableLength()) {
            offsets.putIntLE(0);
        }
        long count = 0;
        for (int r = 0; r < in.rows(); r++) {
            if (PageLevels.rowNull(in, r)) {
                continue;
            }
            if (!column.list()) {
                append(in, column, in.firstElement() + r, count++);
                continue;
            }
            long first = PageLevels.listStart(in, r);
            long len = PageLevels.listLength(in, r);
            for (long e = first; e < first + len; e++) {
                if (in.elementValidity() == null || PageInput.bit(in.elementValidity(), e)) {
                    append(in, column, e, count++);
                }
            }
        }
        return PageInput.dense(0, count, values.segment(), column.variableLength() ? offsets.segment() : null);
    }

    private void append(PageInput in, StoredColumn column, long element, long index) {
        if (column.variableLength()) {
            int start = in.varOffsets().get(Layouts.LE_INT, element * 4);
            int end = in.varOffsets().get(Layouts.LE_INT, (element + 1) * 4);
            values.put(in.values(), start, end - start);
            offsets.putIntLE(Math.toIntExact(values.size()));
        } else if (column.bool()) {
            if ((index & 7) == 0) {
                values.putByte(0);
            }
            if (PageInput.bit(in.values(), element)) {
                MemorySegment s = values.segment();
                long b = index >>> 3;
                s.set(ValueLayout.JAVA_BYTE, b, (byte) (s.get(ValueLayout.JAVA_BYTE, b) | (1 << (index & 7))));
            }
        } else {
            int w = column.arrowWidth();
            values.put(in.values(), element * w, w);
        }
    }

    @Override
    public void close() {
        values.close();
        offsets.close();
    }
}
