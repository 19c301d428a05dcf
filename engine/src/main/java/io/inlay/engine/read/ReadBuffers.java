package io.inlay.engine.read;

import io.inlay.engine.internal.Lifetime;
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
 * Closing it from another thread is safe: a row group being decoded into it at that moment is
 * finished first; access to vectors in it then fails with {@link IllegalStateException}.
 */
public final class ReadBuffers implements AutoCloseable {
    private final Map<String, ColumnBuffers> byColumn = new HashMap<>();
    private final Lifetime lifetime = new Lifetime("these read buffers", this::release);

    /** The buffers of a column, by name; created on first use. */
    ColumnBuffers forColumn(String column) {
        if (lifetime.isClosed()) {
            throw new IllegalStateException("these read buffers are closed");
        }
        return byColumn.computeIfAbsent(column, c -> new ColumnBuffers(null));
    }

    /** Starts a decode into these buffers. @throws IllegalStateException if they are closed */
    void enter() {
        lifetime.enter();
    }

    void exit() {
        lifetime.exit();
    }

    private void release() {
        for (ColumnBuffers b : byColumn.values()) {
            b.close();
        }
        byColumn.clear();
    }

    /** Frees the buffers, at once or after a row group being decoded into them. Idempotent. */
    @Override
    public void close() {
        lifetime.close();
    }
}
