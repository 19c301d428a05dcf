package io.inlay.engine.read;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.StorageException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.ReadLimits;
import io.inlay.engine.internal.column.ChunkDecoder;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.io.IoFile;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.vector.ColumnVector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading of one {@link ParquetFile}'s column chunks: the projection resolved, the I/O plan
 * handed to a session, a {@link ChunkDecoder} per projected column writing into the caller's
 * {@link DecodeTarget}, and every access to the file's bytes made inside its {@link Lifetime}. Holds
 * no per-read state: each call uses decoders and a session of its own (or the caller's buffers'),
 * so threads may share it as they share the file.
 */
final class ChunkReads {
    private final String name;
    private final IoFile io;
    private final FileStructure structure;
    private final ReadOptions options;
    private final ReadLimits limits;
    private final Lifetime lifetime;

    ChunkReads(String name, IoFile io, FileStructure structure, ReadOptions options, Lifetime lifetime) {
        this.name = name;
        this.io = io;
        this.structure = structure;
        this.options = options;
        this.limits = Limits.of(options);
        this.lifetime = lifetime;
    }

    String name() {
        return name;
    }

    int rowGroupCount() {
        return structure.rowGroupCount();
    }

    // ---- the three read modes ----

    /** {@link ParquetFile#readAll}: every row group of the projected columns, the whole file planned ahead. */
    List<RowGroupData> readAll(List<String> columns, DecodeTarget target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        List<LeafColumn> leaves = resolveAll(columns);
        ReadBuffers slots = target instanceof ReadBuffers b ? b : null;
        List<ChunkDecoder> decoders = new ArrayList<>(leaves.size());
        if (slots != null) {
            slots.enter();
        }
        IoSession session = null;
        try {
            for (LeafColumn leaf : leaves) {
                decoders.add(decoder(leaf, target));
            }
            session = session(slots);
            plan(session, leaves, 0, rowGroupCount(), 1);
            ByteRanges in = session.input(io);
            List<RowGroupData> groups = new ArrayList<>(rowGroupCount());
            for (int g = 0; g < rowGroupCount(); g++) {
                ColumnVector[] vectors = new ColumnVector[leaves.size()];
                long bytes = 0;
                for (int i : decodeOrder(structure, g, leaves)) {
                    ChunkDecoder d = decoders.get(i);
                    if (slots != null) {
                        // each row group's vectors in buffers of their own, kept across files
                        d.outputTo(slots.forChunk(g, d.column().name()));
                    }
                    vectors[i] = decodeChunk(d, g, in);
                    bytes += chunkBytes(g, d.column());
                }
                groups.add(rowGroupData(g, leaves, vectors, bytes));
            }
            return groups;
        } finally {
            for (ChunkDecoder d : decoders) {
                d.close();
            }
            if (session != null) {
                done(session, slots);
            }
            if (slots != null) {
                slots.exit();
            }
        }
    }

    /**
     * {@link ParquetFile#readRowGroup}: one row group, its chunks read ahead together; when the same
     * session read this file's row groups in order, or every k-th (one thread's share of k), the
     * reads go on into the following ones at that step.
     */
    RowGroupData readRowGroup(int rowGroup, List<String> columns, DecodeTarget target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        java.util.Objects.checkIndex(rowGroup, rowGroupCount());
        List<LeafColumn> leaves = resolveAll(columns);
        ReadBuffers buffers = target instanceof ReadBuffers b ? b : null;
        ColumnVector[] vectors = new ColumnVector[leaves.size()];
        long bytes = 0;
        if (buffers != null) {
            buffers.enter();
        }
        IoSession session = null;
        try {
            session = session(buffers);
            int stride = session.follows(this, rowGroup);
            plan(session, leaves, rowGroup, stride == 0 ? rowGroup + 1 : rowGroupCount(), Math.max(1, stride));
            ByteRanges in = session.input(io);
            for (int i : decodeOrder(structure, rowGroup, leaves)) {
                LeafColumn leaf = leaves.get(i);
                try (ChunkDecoder d = decoder(leaf, target)) {
                    if (buffers != null) {
                        // scratch from row group 0's buffers, as readAll: only the vectors need a set per row group
                        d.outputTo(buffers.forChunk(rowGroup, leaf.name()));
                    }
                    vectors[i] = decodeChunk(d, rowGroup, in);
                }
                bytes += chunkBytes(rowGroup, leaf);
            }
        } finally {
            if (session != null) {
                done(session, buffers);
            }
            if (buffers != null) {
                buffers.exit();
            }
        }
        return rowGroupData(rowGroup, leaves, vectors, bytes);
    }

    /**
     * {@link ParquetFile#rowGroups}: a reader of one row group at a time, with decoders that own
     * buffers they reuse ({@code target} null), or that write into the caller's target.
     */
    RowGroupReader rowGroups(List<String> columns, DecodeTarget target)
            throws SchemaMismatchException, UnsupportedParquetException {
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>(leaves.size());
        for (LeafColumn leaf : leaves) {
            decoders.add(target == null ? new ChunkDecoder(leaf, limits, null) : decoder(leaf, target));
        }
        return new RowGroupReader(this, decoders, target instanceof ReadBuffers b ? b : null, leaves);
    }

    /**
     * A decoder writing into {@code target}: fresh memory from its arena, or the target buffers'
     * set for the column (row group 0's; default mode points it at each row group's own).
     */
    private ChunkDecoder decoder(LeafColumn leaf, DecodeTarget target) {
        return switch (target) {
            case DecodeTarget.InArena a -> new ChunkDecoder(leaf, limits, a.arena());
            case ReadBuffers b -> new ChunkDecoder(leaf, limits, b.forColumn(leaf.name()), false);
        };
    }

    // ---- one chunk, inside the file's lifetime ----

    /** What runs inside the file's lifetime, reading its bytes. */
    interface InFile<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} while the file cannot be unmapped under it, and gives its failures the
     * file's context: a mapping that vanished ({@link InternalError}) is reported as a file that
     * changed or was truncated, any other I/O error as storage failing at {@code where}.
     */
    <T> T inFile(String where, InFile<T> work)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        lifetime.enter();
        try {
            return work.run();
        } catch (InternalError e) {
            throw new ParquetCorruptionException(name + ": the file changed or was truncated while mapped ("
                    + e.getMessage() + ")", e);
        } catch (ParquetCorruptionException | UnsupportedParquetException | StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(where + ": " + e.getMessage(), e);
        } finally {
            lifetime.exit();
        }
    }

    ColumnVector decodeChunk(ChunkDecoder decoder, int rowGroup, ByteRanges input)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        LeafColumn column = decoder.column();
        ChunkLocation loc = structure.chunk(rowGroup, column.leafIndex());
        String where = where(column, rowGroup);
        return inFile(where, () -> decoder.decode(input, loc, where));
    }

    String where(LeafColumn column, int rowGroup) {
        return name + ": column '" + column.name() + "', row group " + rowGroup;
    }

    RowGroupData rowGroupData(int rowGroup, List<LeafColumn> leaves, ColumnVector[] vectors, long bytes) {
        Map<String, ColumnVector> byName = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            byName.put(leaves.get(i).name(), vectors[i]);
        }
        return new RowGroupData(rowGroup, structure.rowGroupRows(rowGroup), byName, bytes);
    }

    long chunkBytes(int rowGroup, LeafColumn column) {
        return structure.chunk(rowGroup, column.leafIndex()).length();
    }

    // ---- the projection ----

    /** The decoder's view of a projected column, or the reason it cannot be read. */
    LeafColumn resolve(String column) throws SchemaMismatchException, UnsupportedParquetException {
        var found = structure.parsed().schema().column(column);
        if (found.isEmpty()) {
            throw new SchemaMismatchException(name, List.of("column '" + column + "' is missing (columns in the file: "
                    + String.join(", ", structure.parsed().schema().names()) + ")"));
        }
        ColumnDescriptor d = found.get();
        if (!d.isSupported()) {
            throw new UnsupportedParquetException(name + ": column '" + column + "' (" + d.schemaText()
                    + ") is not supported: " + d.unsupportedReason());
        }
        return structure.parsed().leaf(column);
    }

    List<LeafColumn> resolveAll(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        List<LeafColumn> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            out.add(resolve(c));
        }
        return out;
    }

    /** {@link ParquetFile#projectedBytes}. */
    long projectedBytes(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        long total = 0;
        for (LeafColumn c : resolveAll(columns)) {
            for (int g = 0; g < rowGroupCount(); g++) {
                total += chunkBytes(g, c);
            }
        }
        return total;
    }

    // ---- the I/O plan ----

    /** The I/O session a read uses: the worker's (in {@code buffers}), or one borrowed for the call. */
    IoSession session(ReadBuffers buffers) {
        return buffers != null ? buffers.session(options)
                : IoSession.borrow(options.ioDepth(), options.transferSize(), options.readAhead());
    }

    /** Ends a read's use of a session: a borrowed one goes back. */
    static void done(IoSession session, ReadBuffers buffers) {
        if (buffers == null) {
            IoSession.giveBack(session);
        }
    }

    ByteRanges input(IoSession session) {
        return session.input(io);
    }

    /** The file's I/O handle, for the verification's own plans. */
    IoFile io() {
        return io;
    }

    /** The order a row group's chunks are decoded in: file order, so that reads go forward. */
    int[] decodeOrder(int rowGroup, List<LeafColumn> leaves) {
        return decodeOrder(structure, rowGroup, leaves);
    }

    static int[] decodeOrder(FileStructure structure, int rowGroup, List<LeafColumn> leaves) {
        int n = leaves.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(structure.chunk(rowGroup, leaves.get(a).leafIndex()).start(),
                structure.chunk(rowGroup, leaves.get(b).leafIndex()).start()));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Tells the session which ranges the decode of row groups from, from + step, ... below to reads, in decode order. */
    void plan(IoSession session, List<LeafColumn> leaves, int from, int to, int step) {
        long[] ranges = ranges(structure, leaves, from, to, step);
        session.expect(io, ranges, ranges.length / 2);
    }

    /** The ranges the decode of row groups from, from + step, ... below to reads, in decode order: start and end of each. */
    static long[] ranges(FileStructure structure, List<LeafColumn> leaves, int from, int to, int step) {
        long[] ranges = new long[2 * leaves.size() * Math.max(0, (to - from + step - 1) / step)];
        int n = 0;
        for (int g = from; g < to; g += step) {
            for (int i : decodeOrder(structure, g, leaves)) {
                n = addRange(ranges, n, structure.chunk(g, leaves.get(i).leafIndex()));
            }
        }
        return n * 2 == ranges.length ? ranges : Arrays.copyOf(ranges, 2 * n);
    }

    /** The bytes a chunk's pages are read from: its declared range and a little after (see {@link IoSession#CHUNK_SLACK}). */
    static int addRange(long[] ranges, int n, ChunkLocation loc) {
        if (loc.numValues() == 0) {
            return n;
        }
        ranges[2 * n] = loc.start();
        ranges[2 * n + 1] = Math.min(loc.dataEnd(), loc.declaredEnd() + IoSession.CHUNK_SLACK);
        return n + 1;
    }
}
