package io.inlay.engine.read;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.StorageException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.column.ChunkDecoder;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.vector.ColumnVector;
import java.util.List;

/**
 * Decodes the projected columns one row group at a time into buffers it keeps and reuses, so
 * memory stays bounded by the largest projected row group however large the file is. Reading in
 * order, the projected chunks of the row groups after the current one are read ahead while it is
 * decoded (as far as the I/O engine's buffers allow); {@link #read} of another row group starts the
 * reads from there.
 *
 * <p>The {@link RowGroupData} it returns is valid until the next {@link #read}/{@link #next} or
 * {@link #close}. A reader is confined to one thread at a time (it may be handed between threads
 * with proper publication); several readers may read the same {@link ParquetFile} concurrently.
 * Closing it from another thread is safe: a row group being decoded at that moment is finished
 * first, then the buffers go, and access to vectors from them fails with
 * {@link IllegalStateException}.
 */
public final class RowGroupReader implements AutoCloseable {
    private final ChunkReads file;
    private final List<ChunkDecoder> decoders;
    private final List<LeafColumn> leaves;
    private final ReadBuffers buffers;
    private final Lifetime lifetime;
    private IoSession session;
    private ByteRanges input;
    private int next;
    private int plannedNext = -1;
    /** The step of the plan: 1 in file order, k for every k-th row group. */
    private int plannedStep = 1;
    /** The row group read last, or -1. */
    private int lastIndex = -1;

    /** @param buffers the caller's buffers the decoders (and reads) work in, or null when they own theirs */
    RowGroupReader(ChunkReads file, List<ChunkDecoder> decoders, ReadBuffers buffers, List<LeafColumn> leaves) {
        this.file = file;
        this.decoders = decoders;
        this.leaves = leaves;
        this.buffers = buffers;
        this.lifetime = new Lifetime("this row-group reader", this::release);
    }

    private void release() {
        decoders.forEach(ChunkDecoder::close);
        if (session != null) {
            ChunkReads.done(session, buffers);
            session = null;
        }
    }

    /** Whether {@link #next()} has a row group to return. */
    public boolean hasNext() {
        return next < file.rowGroupCount();
    }

    /** Decodes the next row group in file order. */
    public RowGroupData next() throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("no more row groups in " + file.name());
        }
        return read(next++, true);
    }

    /**
     * Decodes row group {@code index} (any order), replacing the previous one's data. The row
     * groups after it are read ahead once the order is known: in order, or every k-th (one thread's
     * share of k) when the call before read {@code index - k}; the first call reads its row group alone.
     */
    public RowGroupData read(int index) throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        return read(index, false);
    }

    private RowGroupData read(int index, boolean inOrder) throws ParquetCorruptionException, UnsupportedParquetException,
            StorageException {
        java.util.Objects.checkIndex(index, file.rowGroupCount());
        lifetime.enter();
        try {
            if (buffers != null) {
                buffers.enter();
            }
            try {
                if (session == null) {
                    session = file.session(buffers);
                    input = file.input(session);
                }
                if (index != plannedNext) {
                    // the rest of the file from here, read ahead as the buffers allow: in order
                    // (next()), or at the step from the row group read before (one thread's share
                    // of k, every k-th); with no step known yet this row group alone. Planned in
                    // file order, a thread of two fetched the other's row groups too (1.91x the
                    // file's bytes from storage with direct and io_uring, bench/README.md): adjacent
                    // chunks coalesce into one extent, which is read to its end
                    int step = lastIndex >= 0 && index > lastIndex ? index - lastIndex : 1;
                    boolean known = inOrder || lastIndex >= 0 && index > lastIndex;
                    file.plan(session, leaves, index, known ? file.rowGroupCount() : index + 1, step);
                    plannedNext = known ? index + step : -1;
                    plannedStep = step;
                } else {
                    plannedNext = index + plannedStep;
                }
                lastIndex = index;
                ColumnVector[] vectors = new ColumnVector[decoders.size()];
                long bytes = 0;
                for (int i : file.decodeOrder(index, leaves)) {
                    ChunkDecoder d = decoders.get(i);
                    vectors[i] = file.decodeChunk(d, index, input);
                    bytes += file.chunkBytes(index, d.column());
                }
                return file.rowGroupData(index, leaves, vectors, bytes);
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
