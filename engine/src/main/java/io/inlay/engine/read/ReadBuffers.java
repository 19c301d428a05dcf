package io.inlay.engine.read;

import io.inlay.engine.internal.column.ColumnBuffers;
import java.util.HashMap;
import java.util.Map;

/**
 * Decoding buffers that outlive one file: pass the same instance to
 * {@link ParquetFile#rowGroups(java.util.List, ReadBuffers)} for file after file, and the memory
 * a column needs is allocated once, not once per file. Vectors decoded into them are valid until
 * the next row group is decoded into the same buffers, or until {@link #close()}.
 *
 * <p>Confined to one thread at a time (typically one per worker thread); close it to free the memory.
 */
public final class ReadBuffers implements AutoCloseable {
    private final Map<String, ColumnBuffers> byColumn = new HashMap<>();
    private boolean closed;

    /** The buffers of a column, by name; created on first use. */
    ColumnBuffers forColumn(String column) {
        if (closed) {
            throw new IllegalStateException("these read buffers are closed");
        }
        return byColumn.computeIfAbsent(column, c -> new ColumnBuffers(null));
    }

    @Override
    public void close() {
        closed = true;
        for (ColumnBuffers b : byColumn.values()) {
            b.close();
        }
        byColumn.clear();
    }
}
