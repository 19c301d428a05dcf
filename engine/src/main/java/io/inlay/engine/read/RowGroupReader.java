package io.inlay.engine.read;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.column.ChunkDecoder;
import io.inlay.engine.vector.ColumnVector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the projected columns one row group at a time into buffers it keeps and reuses, so
 * memory stays bounded by the largest projected row group however large the file is.
 *
 * <p>The {@link RowGroupData} it returns is valid until the next {@link #read}/{@link #next} or
 * {@link #close}. A reader is confined to one thread at a time (it may be handed between threads
 * with proper publication); several readers may read the same {@link ParquetFile} concurrently.
 * Closing it from another thread is safe: a row group being decoded at that moment is finished
 * first, then the buffers go, and access to vectors from them fails with
 * {@link IllegalStateException}.
 */
public final class RowGroupReader implements AutoCloseable {
    private final ParquetFile file;
    private final List<ChunkDecoder> decoders;
    private final List<io.inlay.engine.internal.metadata.LeafColumn> leaves;
    private final ReadBuffers buffers;
    private final Lifetime lifetime;
    private int next;
    private int advisedNext = -1;

    /** @param buffers the caller's buffers the decoders work in, or null when they own theirs */
    RowGroupReader(ParquetFile file, List<ChunkDecoder> decoders, ReadBuffers buffers) {
        this.file = file;
        this.decoders = decoders;
        this.leaves = decoders.stream().map(ChunkDecoder::column).toList();
        this.buffers = buffers;
        this.lifetime = new Lifetime("this row-group reader", () -> decoders.forEach(ChunkDecoder::close));
    }

    /** Whether {@link #next()} has a row group to return. */
    public boolean hasNext() {
        return next < file.rowGroupCount();
    }

    /** Decodes the next row group in file order. */
    public RowGroupData next() throws ParquetCorruptionException, UnsupportedParquetException {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("no more row groups in " + file.path());
        }
        return read(next++);
    }

    /** Decodes row group {@code index} (any order), replacing the previous one's data. */
    public RowGroupData read(int index) throws ParquetCorruptionException, UnsupportedParquetException {
        lifetime.enter();
        try {
            if (index != advisedNext) {
                file.adviseWillNeed(index, leaves);
            }
            file.adviseWillNeed(index + 1, leaves);
            advisedNext = index + 1;
            if (buffers != null) {
                buffers.enter();
            }
            try {
                Map<String, ColumnVector> columns = new LinkedHashMap<>();
                long bytes = 0;
                for (ChunkDecoder d : decoders) {
                    columns.put(d.column().name(), file.decodeChunk(d, index));
                    bytes += file.chunkBytes(index, d.column());
                }
                return new RowGroupData(index, file.rowGroupRows(index), columns, bytes);
            } finally {
                if (buffers != null) {
                    buffers.exit();
                }
            }
        } finally {
            lifetime.exit();
        }
    }

    /** Pages that carried a CRC in the chunks decoded last. */
    long pagesWithCrc() {
        long n = 0;
        for (ChunkDecoder d : decoders) {
            n += d.pagesWithCrc();
        }
        return n;
    }

    /** Pages of the chunks decoded last that were decompressed straight into their vectors (for tests). */
    long pagesDecompressedInPlace() {
        long n = 0;
        for (ChunkDecoder d : decoders) {
            n += d.pagesDecompressedInPlace();
        }
        return n;
    }

    /** Frees the reader's buffers, at once or after a row group being decoded in another thread. Idempotent. */
    @Override
    public void close() {
        lifetime.close();
    }
}
