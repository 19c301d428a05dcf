package io.inlay.cli.run;

import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.BlockingDeque;

/**
 * A batch of samples collated the way a data loader hands them to the accelerator: per column,
 * the samples' bytes back to back with an offset per sample (fixed-length vectors end up as one
 * contiguous tensor). Batches are pooled per worker and reused; memory grows only when a batch
 * needs more than before; the free batch given back last is the one filled next. Filled by one worker thread, then handed to the consumer, which gives
 * it back with {@link #release()}.
 */
final class Batch {
    private final BlockingDeque<Batch> home;
    private final Column[] columns;
    final long[] sampleIds;
    int size;
    /** Bytes of the collated samples. */
    long bytes;
    /** Bytes read from storage for these samples: each row group's bytes spread evenly over its rows. */
    double storageBytes;

    /** One column's collated bytes. */
    static final class Column {
        Arena arena = Arena.ofShared();
        MemorySegment data = arena.allocate(1 << 16, 64);
        final int[] offsets;
        long used;

        Column(int capacity) {
            offsets = new int[capacity + 1];
        }

        MemorySegment ensure(long more) {
            if (used + more > data.byteSize()) {
                long grown = Math.max(used + more, data.byteSize() * 2);
                Arena next = Arena.ofShared();
                MemorySegment bigger = next.allocate(grown, 64);
                MemorySegment.copy(data, 0, bigger, 0, used);
                arena.close();
                arena = next;
                data = bigger;
            }
            return data;
        }
    }

    /**
     * DLIO's {@code resized_image} ({@code dataset.record_length_bytes_resize}): the tensor handed on
     * for every sample in place of its bytes, or null to hand on the samples' bytes. Read-only, shared.
     */
    private final MemorySegment resized;

    Batch(int capacity, int columnCount, BlockingDeque<Batch> home) {
        this(capacity, columnCount, home, null);
    }

    /** @param resized the tensor every sample is handed on as (one column), or null for the samples' own bytes */
    Batch(int capacity, int columnCount, BlockingDeque<Batch> home, MemorySegment resized) {
        this.resized = resized;
        if (resized != null) {
            columnCount = 1;
        }
        this.home = home;
        this.columns = new Column[columnCount];
        for (int i = 0; i < columnCount; i++) {
            columns[i] = new Column(capacity);
        }
        this.sampleIds = new long[capacity];
    }

    /** Sample {@code i}'s bytes in column {@code column} (a view of the batch's buffer, valid until it is reused). */
    MemorySegment sample(int column, int i) {
        Column c = columns[column];
        return c.data.asSlice(c.offsets[i], c.offsets[i + 1] - c.offsets[i]);
    }

    int capacity() {
        return sampleIds.length;
    }

    boolean isFull() {
        return size == sampleIds.length;
    }

    int room() {
        return sampleIds.length - size;
    }

    void clear() {
        size = 0;
        bytes = 0;
        storageBytes = 0;
        for (Column c : columns) {
            c.used = 0;
        }
    }

    /**
     * Appends rows {@code [from, to)} of the vectors (one per column) as consecutive samples.
     *
     * @param idBase the sample id of row 0 (file index in the high bits, row within the file below)
     */
    void appendRun(ColumnVector[] vectors, long from, long to, long idBase) {
        int n = (int) (to - from);
        if (resized != null) {
            appendResized(n); // DLIO reads the sample and hands on its resized_image instead
        } else {
            for (int c = 0; c < columns.length; c++) {
                appendRun(columns[c], vectors[c], from, to);
            }
        }
        for (int i = 0; i < n; i++) {
            sampleIds[size + i] = idBase + from + i;
        }
        size += n;
    }

    private void appendRun(Column col, ColumnVector v, long from, long to) {
        ColumnVector values = v.type().list() ? v.child() : v;
        ValueType t = values.type().valueType();
        int w = t.byteWidth();
        if (w > 0 || t.isVariableLength()) {
            // contiguous bytes: fixed-width rows, list elements, or variable-length data
            long start;
            long end;
            if (v.type().list()) {
                long e0 = v.offset(from);
                long e1 = v.offset(to);
                start = t.isVariableLength() ? values.offset(e0) : e0 * w;
                end = t.isVariableLength() ? values.offset(e1) : e1 * w;
            } else if (t.isVariableLength()) {
                start = v.offset(from);
                end = v.offset(to);
            } else {
                start = from * w;
                end = to * w;
            }
            MemorySegment dst = col.ensure(end - start);
            MemorySegment.copy(values.values(), start, dst, col.used, end - start);
            // per-sample offsets
            int base = (int) col.used;
            for (long r = from; r < to; r++) {
                long s;
                if (v.type().list()) {
                    long e = v.offset(r);
                    s = t.isVariableLength() ? values.offset(e) : e * w;
                } else {
                    s = t.isVariableLength() ? v.offset(r) : r * w;
                }
                col.offsets[size + (int) (r - from)] = base + (int) (s - start);
            }
            col.used += end - start;
            col.offsets[size + (int) (to - from)] = (int) col.used;
            bytes += end - start;
        } else {
            for (long r = from; r < to; r++) {
                appendOneBoolean(col, v, r, size + (int) (r - from));
            }
        }
    }

    /** {@code n} copies of the resized tensor, one per sample, as DLIO stacks its batch ({@code np.array(batch)}). */
    private void appendResized(int n) {
        Column col = columns[0];
        long len = resized.byteSize();
        MemorySegment dst = col.ensure(len * n);
        for (int i = 0; i < n; i++) {
            col.offsets[size + i] = (int) col.used;
            MemorySegment.copy(resized, 0, dst, col.used, len);
            col.used += len;
        }
        col.offsets[size + n] = (int) col.used;
        bytes += len * n;
    }

    private void appendOneBoolean(Column col, ColumnVector v, long row, int slot) {
        col.offsets[slot] = (int) col.used;
        if (v.type().list()) {
            ColumnVector child = v.child();
            int a = v.offset(row);
            int b = v.offset(row + 1);
            MemorySegment dst = col.ensure(b - a);
            for (int i = a; i < b; i++) {
                dst.set(ValueLayout.JAVA_BYTE, col.used++, (byte) (!child.isNull(i) && child.getBoolean(i) ? 1 : 0));
            }
            bytes += b - a;
        } else {
            MemorySegment dst = col.ensure(1);
            dst.set(ValueLayout.JAVA_BYTE, col.used++, (byte) (!v.isNull(row) && v.getBoolean(row) ? 1 : 0));
            bytes++;
        }
        col.offsets[slot + 1] = (int) col.used;
    }

    /**
     * Appends samples {@code [from, to)} of another batch with the same columns (the consumer
     * joins the partial batches workers end their share with into whole ones).
     */
    void appendFrom(Batch src, int from, int to) {
        int n = to - from;
        for (int c = 0; c < columns.length; c++) {
            Column s = src.columns[c];
            Column d = columns[c];
            long start = s.offsets[from];
            long end = s.offsets[to];
            MemorySegment dst = d.ensure(end - start);
            MemorySegment.copy(s.data, start, dst, d.used, end - start);
            for (int i = 0; i < n; i++) {
                d.offsets[size + i] = (int) (d.used + s.offsets[from + i] - start);
            }
            d.used += end - start;
            d.offsets[size + n] = (int) d.used;
            bytes += end - start;
        }
        System.arraycopy(src.sampleIds, from, sampleIds, size, n);
        storageBytes += src.size == 0 ? 0 : src.storageBytes * n / src.size;
        size += n;
    }

    /** Gives the batch back to the worker that filled it (a batch without one is just cleared). */
    void release() {
        clear();
        if (home != null) {
            home.addFirst(this); // taken first: its memory is the one most recently touched
        }
    }

    void close() {
        for (Column c : columns) {
            c.arena.close();
        }
    }
}
