package io.inlay.engine.read;

import io.inlay.engine.error.EncryptedParquetException;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.StorageException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.column.ChunkDecoder;
import io.inlay.engine.internal.column.PageStructure;
import io.inlay.engine.internal.column.ZeroCopy;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.io.IoFile;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.FileSchema;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.vector.ColumnType;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.MappedValues;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageHeader;

/**
 * An open Parquet file: its footer read and validated on open, its pages read through the storage
 * I/O engine the {@link ReadOptions} name ({@link IoEngine}: mapped, or read with pread/O_DIRECT
 * into buffers ahead of the decoder).
 *
 * <p><b>Memory.</b> Decoded data goes into an {@link Arena} the caller passes ({@link #readRowGroup},
 * {@link #readAll}) or into buffers owned by a {@link RowGroupReader} or {@link ReadBuffers}.
 * {@link #mappedValues} hands out slices of a mapping of the file (made on first use when the engine
 * is not mmap), valid until the file is closed. Reads through a worker's {@link ReadBuffers} use its
 * I/O buffers and queue; other reads borrow a pooled set for the call.
 *
 * <p><b>Threads.</b> A file may be shared by threads: each read call and each {@link RowGroupReader}
 * uses decoding and I/O state of its own. Closing the file while other threads still use it makes
 * their next read fail with {@link IllegalStateException}, and their access to slices of the mapping
 * too (the arena's lifetime check), never crash: a column chunk another thread is decoding at that
 * moment (possibly in native code: a decompressor) is finished first, and the mapping and the file's
 * descriptors go when the last such chunk is done (descriptors: when the last read in flight on them is).
 *
 * <p><b>Truncation.</b> If the file is truncated on disk while it is read, reads of the lost part fail
 * with {@link ParquetCorruptionException} ("changed or was truncated"), with every engine: pread and
 * direct reads come back short; with mmap, native code (decompressors, the CRC-32 intrinsic) is only
 * ever handed copies of mapped bytes, made in Java, where the JVM turns the fault of a vanished page
 * into an error.
 */
public final class ParquetFile implements AutoCloseable {
    private final Path path;
    private final String name;
    private final IoFile io;
    private final FileStructure structure;
    private final ReadOptions options;
    private final Lifetime lifetime;
    private volatile FileMetadata metadata;

    private ParquetFile(Path path, IoFile io, FileStructure structure, ReadOptions options) {
        this.path = path;
        this.name = path.toString();
        this.io = io;
        this.structure = structure;
        this.options = options;
        this.lifetime = new Lifetime(name, this::release);
    }

    /** Unmaps the file and drops its descriptors: on close, or when the last read in progress at close finishes. */
    private void release() {
        try {
            io.unmap();
        } finally {
            io.release();
        }
    }

    /** Opens a file with the default options. */
    public static ParquetFile open(Path path) throws IOException {
        return open(path, ReadOptions.DEFAULT);
    }

    /**
     * Opens a file: reads its footer and sets up its I/O engine ({@link IoEngine#AUTO}: chosen now,
     * see {@link ReadOptions}).
     *
     * @throws ParquetCorruptionException if it is not a valid Parquet file
     * @throws EncryptedParquetException if it is encrypted
     * @throws UnsupportedParquetException if it uses a feature Inlay cannot read at all (external chunks)
     * @throws IOException if it cannot be opened or read
     */
    public static ParquetFile open(Path path, ReadOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        long t0 = Trace.start();
        ParquetFile f = null;
        try {
            f = openFresh(path, options);
            return f;
        } finally {
            traceOpen(t0, path, f);
        }
    }

    /** The open event: the file, its engine and size (of a file that failed to open: its path alone). */
    private static void traceOpen(long t0, Path path, ParquetFile f) {
        if (t0 != 0) {
            Trace.end(EngineEvents.OPEN, t0, f != null ? f.name : path, f != null ? f.io.engine().configName() : null,
                    f != null ? f.io.size() : 0, 0, 0, 0);
        }
    }

    private static ParquetFile openFresh(Path path, ReadOptions options) throws IOException {
        IoFile io = IoFile.open(path);
        boolean opened = false;
        try {
            FileStructure structure = readFooter(io, options);
            io.use(resolveEngine(options.ioEngine(), io, structure));
            ParquetFile file = new ParquetFile(path, io, structure, options);
            opened = true;
            return file;
        } finally {
            if (!opened) {
                io.release();
            }
        }
    }

    /**
     * Opens a file for a worker that reads file after file into {@code buffers}: if it is the file
     * {@link ReadBuffers#readAhead} announced (same path and options), its footer is already read and
     * its first projected ranges are being read; otherwise as {@link #open(Path, ReadOptions)}.
     */
    public static ParquetFile open(Path path, ReadOptions options, ReadBuffers buffers) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(buffers, "buffers");
        long t0 = Trace.start();
        ParquetFile f = null;
        try {
            NextFile.Prepared p = buffers.takeAhead(path, options);
            f = p == null ? openFresh(path, options) : new ParquetFile(path, p.io(), p.structure(), options);
            return f;
        } finally {
            traceOpen(t0, path, f);
        }
    }

    /** The footer read (with pread, through the page cache), into memory that lives for the parse. */
    private static FileStructure readFooter(IoFile io, ReadOptions options) throws IOException {
        long size = io.size();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Posix.newCallState(arena);
            long tailLength = Math.min(size, FOOTER_READ);
            MemorySegment tail = arena.allocate(Math.max(1, tailLength), 8).asSlice(0, tailLength);
            long tailStart = size - tailLength;
            long got = io.readFully(tailStart, tail, state);
            if (got < tailLength) {
                throw new ParquetCorruptionException(io.name() + ": the file changed or was truncated while being read");
            }
            FileStructure.Source source = (offset, length) -> {
                if (offset >= tailStart) {
                    return tail.asSlice(offset - tailStart, length);
                }
                MemorySegment m = arena.allocate(Math.max(1, length), 8).asSlice(0, length);
                if (io.readFully(offset, m, state) < length) {
                    throw new ParquetCorruptionException(io.name() + ": the file changed or was truncated while being read");
                }
                return m;
            };
            return FileStructure.read(io.name(), size, source, options.maxFooterBytes());
        }
    }

    /** The footer is read with one pread of the file's last 64 KiB (more when it is larger). */
    private static final long FOOTER_READ = 64 << 10;

    /**
     * {@link IoEngine#AUTO}'s choice: mmap when at least half of the file's page data is in the page
     * cache (or that cannot be known), else io_uring (O_DIRECT; reads through a worker's
     * {@link ReadBuffers} are submitted with io_uring where the kernel allows it, other reads with
     * pread threads).
     */
    static IoEngine resolveEngine(IoEngine wanted, IoFile io, FileStructure structure) {
        if (wanted != IoEngine.AUTO) {
            return wanted;
        }
        long data = structure.dataEnd() - 4;
        if (data <= 0) {
            return IoEngine.MMAP;
        }
        long cached = io.cachedBytes(4, data);
        return cached < 0 || 2 * cached >= data ? IoEngine.MMAP : IoEngine.IO_URING;
    }

    private static ParquetCorruptionException truncatedWhileMapped(String file, InternalError e) {
        return new ParquetCorruptionException(file + ": the file changed or was truncated while mapped ("
                + e.getMessage() + ")", e);
    }

    public Path path() {
        return path;
    }

    /** The file size in bytes. */
    public long size() {
        return io.size();
    }

    public ReadOptions options() {
        return options;
    }

    /**
     * The engine this file is read with: {@link ReadOptions#ioEngine()}, or what {@link IoEngine#AUTO}
     * chose, after fallbacks (direct where O_DIRECT is refused reads with {@link IoEngine#PREAD}).
     */
    public IoEngine ioEngine() {
        IoEngine e = io.engine();
        return (e == IoEngine.DIRECT || e == IoEngine.IO_URING) && io.kind() != IoFile.Kind.DIRECT ? IoEngine.PREAD : e;
    }

    /** What reading this file cost so far, over every thread that read it (the footer included). */
    public IoStats ioStats() {
        return io.stats();
    }

    /** The top-level fields, with Inlay's type for each or the reason it cannot read it. */
    public FileSchema schema() {
        return structure.parsed().schema();
    }

    public int rowGroupCount() {
        return structure.rowGroupCount();
    }

    public long rowGroupRows(int rowGroup) {
        Objects.checkIndex(rowGroup, structure.rowGroupCount());
        return structure.rowGroupRows(rowGroup);
    }

    /** Rows over all row groups. */
    public long rows() {
        return structure.rows();
    }

    /** The footer as public records. */
    public FileMetadata metadata() {
        FileMetadata m = metadata;
        if (m == null) {
            m = buildMetadata();
            metadata = m;
        }
        return m;
    }

    private FileMetadata buildMetadata() {
        var meta = structure.meta();
        Map<String, String> kv = new LinkedHashMap<>();
        if (meta.getKey_value_metadata() != null) {
            for (KeyValue e : meta.getKey_value_metadata()) {
                kv.put(e.getKey(), e.getValue());
            }
        }
        List<RowGroupMetadata> groups = new ArrayList<>();
        for (int g = 0; g < structure.rowGroupCount(); g++) {
            List<ColumnChunkMetadata> cols = new ArrayList<>();
            for (int c = 0; c < schema().leafCount(); c++) {
                ChunkLocation loc = structure.chunk(g, c);
                ColumnMetaData md = loc.meta();
                LeafColumn leaf = leafAt(c);
                cols.add(new ColumnChunkMetadata(md.getPath_in_schema() == null ? "?" : String.join(".", md.getPath_in_schema()),
                        c, md.getType() == null ? "?" : md.getType().name(), loc.codec(),
                        md.getEncodings() == null ? List.of()
                                : md.getEncodings().stream().map(e -> e == null ? "?" : e.name()).toList(),
                        md.getNum_values(), md.getTotal_compressed_size(), md.getTotal_uncompressed_size(), loc.start(),
                        md.getData_page_offset(),
                        md.isSetDictionary_page_offset() ? md.getDictionary_page_offset() : -1,
                        md.getType() == null ? null
                                : Statistics.of(md.getStatistics(), md.getType(), leaf == null ? null : leaf.valueType())));
            }
            groups.add(new RowGroupMetadata(g, structure.rowGroupRows(g),
                    meta.getRow_groups().get(g).getTotal_byte_size(), cols));
        }
        return new FileMetadata(size(), structure.footerLength(), meta.getVersion(), meta.getCreated_by(),
                meta.getNum_rows(), kv, groups);
    }

    private LeafColumn leafAt(int leafIndex) {
        for (LeafColumn l : structure.parsed().leaves()) {
            if (l.leafIndex() == leafIndex) {
                return l;
            }
        }
        return null;
    }

    /**
     * Checks that the file holds the workload's columns with their types and vector lengths, and
     * throws one error listing every mismatch.
     */
    public void validate(List<ColumnSpec> expected) throws SchemaMismatchException {
        List<String> problems = new ArrayList<>();
        for (ColumnSpec spec : expected) {
            var found = schema().column(spec.name());
            if (found.isEmpty()) {
                problems.add("column '" + spec.name() + "' is missing (columns in the file: "
                        + String.join(", ", schema().names()) + ")");
                continue;
            }
            ColumnDescriptor d = found.get();
            ColumnType want = spec.columnType();
            if (!d.isSupported()) {
                problems.add("column '" + spec.name() + "': expected " + describe(spec) + ", the file has an unsupported "
                        + d.schemaText() + " (" + d.unsupportedReason() + ")");
                continue;
            }
            if (!want.equals(d.type())) {
                problems.add("column '" + spec.name() + "': expected " + describe(spec) + ", the file has " + d.type());
                continue;
            }
            if (spec.isVector()) {
                String length = vectorLengthProblem(spec, d);
                if (length != null) {
                    problems.add(length);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException(name, problems);
        }
    }

    private static String describe(ColumnSpec spec) {
        ColumnType t = spec.columnType();
        return spec.isVector() ? t + " of " + spec.size() + " per row" : t.toString();
    }

    /** Vectors are fixed-length: a chunk without nulls holds rows x size levels. */
    private String vectorLengthProblem(ColumnSpec spec, ColumnDescriptor d) {
        for (int g = 0; g < structure.rowGroupCount(); g++) {
            ChunkLocation loc = structure.chunk(g, d.firstLeaf());
            long rows = loc.rows();
            var stats = loc.meta().getStatistics();
            boolean maybeNulls = stats != null && stats.isSetNull_count() && stats.getNull_count() > 0;
            if (rows > 0 && !maybeNulls && loc.numValues() != rows * spec.size()) {
                String perRow = loc.numValues() % rows == 0 ? String.valueOf(loc.numValues() / rows)
                        : String.format("%.2f", (double) loc.numValues() / rows);
                return "column '" + spec.name() + "': expected vectors of " + spec.size() + " values, row group " + g
                        + " has " + perRow + " per row (" + loc.numValues() + " values in " + rows + " rows)";
            }
        }
        return null;
    }

    /** The decoder's view of a projected column, or the reason it cannot be read. */
    private LeafColumn resolve(String column) throws SchemaMismatchException, UnsupportedParquetException {
        var found = schema().column(column);
        if (found.isEmpty()) {
            throw new SchemaMismatchException(name, List.of("column '" + column + "' is missing (columns in the file: "
                    + String.join(", ", schema().names()) + ")"));
        }
        ColumnDescriptor d = found.get();
        if (!d.isSupported()) {
            throw new UnsupportedParquetException(name + ": column '" + column + "' (" + d.schemaText()
                    + ") is not supported: " + d.unsupportedReason());
        }
        return structure.parsed().leaf(column);
    }

    private List<LeafColumn> resolveAll(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        List<LeafColumn> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            out.add(resolve(c));
        }
        return out;
    }

    /** The names of every column Inlay can decode, in schema order. */
    public List<String> supportedColumns() {
        return schema().columns().stream().filter(ColumnDescriptor::isSupported).map(ColumnDescriptor::name).toList();
    }

    private String where(LeafColumn column, int rowGroup) {
        return name + ": column '" + column.name() + "', row group " + rowGroup;
    }

    ColumnVector decodeChunk(ChunkDecoder decoder, int rowGroup, ByteRanges input)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        LeafColumn column = decoder.column();
        lifetime.enter();
        try {
            return decoder.decode(input, structure.chunk(rowGroup, column.leafIndex()), where(column, rowGroup));
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
        } catch (ParquetCorruptionException | UnsupportedParquetException | StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(where(column, rowGroup) + ": " + e.getMessage(), e);
        } finally {
            lifetime.exit();
        }
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
        java.util.Arrays.sort(idx, (a, b) -> Long.compare(structure.chunk(rowGroup, leaves.get(a).leafIndex()).start(),
                structure.chunk(rowGroup, leaves.get(b).leafIndex()).start()));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Tells the session which ranges the decode of row groups [from, to) reads, in decode order. */
    void plan(IoSession session, List<LeafColumn> leaves, int from, int to) {
        plan(session, leaves, from, to, 1);
    }

    /** As {@link #plan(IoSession, List, int, int)}, for row groups from, from + step, ... below to. */
    void plan(IoSession session, List<LeafColumn> leaves, int from, int to, int step) {
        long[] ranges = ranges(structure, leaves, from, to, step);
        session.expect(io, ranges, ranges.length / 2);
    }

    /** The ranges the decode of row groups [from, to) reads, in decode order: start and end of each. */
    static long[] ranges(FileStructure structure, List<LeafColumn> leaves, int from, int to) {
        return ranges(structure, leaves, from, to, 1);
    }

    static long[] ranges(FileStructure structure, List<LeafColumn> leaves, int from, int to, int step) {
        long[] ranges = new long[2 * leaves.size() * Math.max(0, (to - from + step - 1) / step)];
        int n = 0;
        for (int g = from; g < to; g += step) {
            for (int i : decodeOrder(structure, g, leaves)) {
                n = addRange(ranges, n, structure.chunk(g, leaves.get(i).leafIndex()));
            }
        }
        return n * 2 == ranges.length ? ranges : java.util.Arrays.copyOf(ranges, 2 * n);
    }

    /** The bytes a chunk's pages are read from: its declared range and a little after (see {@link IoSession#CHUNK_SLACK}). */
    private static int addRange(long[] ranges, int n, ChunkLocation loc) {
        if (loc.numValues() == 0) {
            return n;
        }
        ranges[2 * n] = loc.start();
        ranges[2 * n + 1] = Math.min(loc.dataEnd(), loc.declaredEnd() + IoSession.CHUNK_SLACK);
        return n + 1;
    }

    long chunkBytes(int rowGroup, LeafColumn column) {
        return structure.chunk(rowGroup, column.leafIndex()).length();
    }

    /**
     * The stored bytes of the projected columns' chunks (what a read of them touches), over all row
     * groups.
     */
    public long projectedBytes(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        long total = 0;
        for (LeafColumn c : resolveAll(columns)) {
            for (int g = 0; g < rowGroupCount(); g++) {
                total += chunkBytes(g, c);
            }
        }
        return total;
    }

    /**
     * Decodes the projected columns of one row group into memory from {@code arena}; the caller
     * owns it and decides when it goes away.
     */
    public RowGroupData readRowGroup(int rowGroup, List<String> columns, Arena target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        return decodeRowGroup(rowGroup, columns, Objects.requireNonNull(target, "arena"), null);
    }

    /**
     * Decodes the projected columns of one row group into the buffers {@code buffers} keeps for
     * that row group (those {@link #readAll(List, ReadBuffers)} uses): valid until the next decode
     * of the same row group index into them, or their close. For default-mode reads split between
     * threads, each with its own buffers. A thread reading row groups in order, or every k-th, through
     * the same buffers has the following ones of its share read ahead.
     */
    public RowGroupData readRowGroup(int rowGroup, List<String> columns, ReadBuffers buffers)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        return decodeRowGroup(rowGroup, columns, null, Objects.requireNonNull(buffers, "buffers"));
    }

    /**
     * One row group into the caller's arena, or else into {@code buffers}' buffers for it. Its chunks
     * are read ahead together; when the same session read this file's row groups in order, or every
     * k-th (one thread's share of k), the reads go on into the following ones at that step.
     */
    private RowGroupData decodeRowGroup(int rowGroup, List<String> columns, Arena target, ReadBuffers buffers)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        Objects.checkIndex(rowGroup, rowGroupCount());
        List<LeafColumn> leaves = resolveAll(columns);
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
            ByteRanges in = input(session);
            for (int i : decodeOrder(rowGroup, leaves)) {
                LeafColumn leaf = leaves.get(i);
                try (ChunkDecoder d = target != null ? new ChunkDecoder(leaf, Limits.of(options), target)
                        : new ChunkDecoder(leaf, Limits.of(options), buffers.forChunk(0, leaf.name()), false)) {
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
        return new RowGroupData(rowGroup, rowGroupRows(rowGroup), inOrder(leaves, vectors), bytes);
    }

    /** The vectors by column name, in projection order. */
    static Map<String, ColumnVector> inOrder(List<LeafColumn> leaves, ColumnVector[] vectors) {
        Map<String, ColumnVector> out = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            out.put(leaves.get(i).name(), vectors[i]);
        }
        return out;
    }

    /**
     * The {@code default} read mode: decodes every row group of the projected columns at once into
     * memory from {@code arena}.
     */
    public List<RowGroupData> readAll(List<String> columns, Arena target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        Objects.requireNonNull(target, "arena");
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>();
        IoSession session = session(null);
        try {
            for (LeafColumn leaf : leaves) {
                decoders.add(new ChunkDecoder(leaf, Limits.of(options), target));
            }
            return decodeAll(leaves, decoders, null, session);
        } finally {
            for (ChunkDecoder d : decoders) {
                d.close();
            }
            done(session, null);
        }
    }

    /**
     * The {@code default} read mode into buffers the caller keeps across files: every row group of
     * the projected columns at once, each chunk into its own buffers of {@code buffers}. The vectors
     * are valid until the next decode into {@code buffers} or its close. A worker that reads file
     * after file this way allocates its memory once rather than per file.
     */
    public List<RowGroupData> readAll(List<String> columns, ReadBuffers buffers)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        Objects.requireNonNull(buffers, "buffers");
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>(leaves.size());
        buffers.enter();
        try {
            for (LeafColumn leaf : leaves) {
                decoders.add(new ChunkDecoder(leaf, Limits.of(options), buffers.forChunk(0, leaf.name()), false));
            }
            return decodeAll(leaves, decoders, buffers, buffers.session(options));
        } finally {
            for (ChunkDecoder d : decoders) {
                d.close();
            }
            buffers.exit();
        }
    }

    /**
     * Default mode's loop: every row group through the decoders, the whole file planned for reading
     * ahead first; with {@code slots}, each chunk's vectors go into that row group's buffers there.
     */
    private List<RowGroupData> decodeAll(List<LeafColumn> leaves, List<ChunkDecoder> decoders, ReadBuffers slots,
            IoSession session) throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        plan(session, leaves, 0, rowGroupCount());
        ByteRanges in = input(session);
        List<RowGroupData> groups = new ArrayList<>(rowGroupCount());
        for (int g = 0; g < rowGroupCount(); g++) {
            ColumnVector[] vectors = new ColumnVector[leaves.size()];
            long bytes = 0;
            for (int i : decodeOrder(g, leaves)) {
                ChunkDecoder d = decoders.get(i);
                if (slots != null) {
                    d.outputTo(slots.forChunk(g, d.column().name()));
                }
                vectors[i] = decodeChunk(d, g, in);
                bytes += chunkBytes(g, d.column());
            }
            groups.add(new RowGroupData(g, rowGroupRows(g), inOrder(leaves, vectors), bytes));
        }
        return groups;
    }

    /**
     * The {@code row_group} read mode: a reader that decodes one row group at a time into buffers
     * it reuses. Close it to free them.
     */
    public RowGroupReader rowGroups(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>(leaves.size());
        for (LeafColumn leaf : leaves) {
            decoders.add(new ChunkDecoder(leaf, Limits.of(options), null));
        }
        return new RowGroupReader(this, decoders, null, leaves);
    }

    /**
     * As {@link #rowGroups(List)}, decoding into buffers the caller keeps across files: closing the
     * reader leaves them for the next file.
     */
    public RowGroupReader rowGroups(List<String> columns, ReadBuffers buffers)
            throws SchemaMismatchException, UnsupportedParquetException {
        Objects.requireNonNull(buffers, "buffers");
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>(leaves.size());
        for (LeafColumn leaf : leaves) {
            decoders.add(new ChunkDecoder(leaf, Limits.of(options), buffers.forColumn(leaf.name()), false));
        }
        return new RowGroupReader(this, decoders, buffers, leaves);
    }

    /**
     * Zero-copy: the values of one column chunk as slices of the mapping, for uncompressed PLAIN
     * pages of non-null fixed-width values (floats, and the elements of fixed-length vectors).
     *
     * @throws UnsupportedParquetException if the chunk is compressed, not PLAIN, or has nulls
     */
    public MappedValues mappedValues(String column, int rowGroup)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        Objects.checkIndex(rowGroup, rowGroupCount());
        LeafColumn leaf = resolve(column);
        lifetime.enter();
        try {
            MemorySegment mapping = io.map();
            return ZeroCopy.of(mapping, structure.chunk(rowGroup, leaf.leafIndex()), leaf, Limits.of(options), where(leaf, rowGroup));
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
        } catch (ParquetCorruptionException | UnsupportedParquetException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(where(leaf, rowGroup) + ": mapping the file: " + e.getMessage(), e);
        } finally {
            lifetime.exit();
        }
    }

    /** What {@link #verify()} found. */
    public record VerifyReport(long rows, int rowGroups, int columnsDecoded, List<String> columnsSkipped, long pagesWithCrc) {}

    /**
     * Reads every page of every column Inlay supports (CRCs checked when the options say so), and
     * checks the pages of every other column for structure (headers, level counts, value section
     * sizes) and every chunk's value count against its row group.
     *
     * @throws ParquetCorruptionException at the first problem
     */
    public VerifyReport verify() throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        lifetime.enter();
        try {
            return verifyEntered();
        } finally {
            lifetime.exit();
        }
    }

    private VerifyReport verifyEntered() throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        List<String> skipped = new ArrayList<>();
        for (ColumnDescriptor d : schema().columns()) {
            if (!d.isSupported()) {
                skipped.add(d.name() + " (" + d.unsupportedReason() + ")");
            }
        }
        java.util.Set<Integer> decodedLeaves = new java.util.HashSet<>();
        for (LeafColumn l : structure.parsed().leaves()) {
            decodedLeaves.add(l.leafIndex());
        }
        IoSession session = session(null);
        try (PageStructure structureCheck = new PageStructure(Limits.of(options))) {
            var all = structure.parsed().allLeaves();
            long[] ranges = new long[2 * all.size() * rowGroupCount()];
            int n = 0;
            for (int g = 0; g < rowGroupCount(); g++) {
                for (var leaf : all) {
                    if (!decodedLeaves.contains(leaf.index())) {
                        n = addRange(ranges, n, structure.chunk(g, leaf.index()));
                    }
                }
            }
            session.expect(io, ranges, n);
            ByteRanges in = input(session);
            for (int g = 0; g < rowGroupCount(); g++) {
                for (var leaf : all) {
                    ChunkLocation loc = structure.chunk(g, leaf.index());
                    String where = name + ": column " + leaf.path() + ", row group " + g;
                    if (leaf.maxRep() == 0 && loc.numValues() != loc.rows()) {
                        throw new ParquetCorruptionException(where + ": the chunk holds " + loc.numValues()
                                + " values but the row group has " + loc.rows() + " rows");
                    }
                    if (!decodedLeaves.contains(leaf.index())) {
                        structureCheck.check(in, loc, leaf, where);
                    }
                }
            }
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
        } catch (ParquetCorruptionException | UnsupportedParquetException | StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(name + ": " + e.getMessage(), e);
        } finally {
            done(session, null);
        }
        List<String> columns = supportedColumns();
        long crcPages = 0;
        try (RowGroupReader reader = rowGroupsUnchecked(columns)) {
            for (int g = 0; g < rowGroupCount(); g++) {
                reader.read(g);
                crcPages += reader.pagesWithCrc();
            }
        }
        return new VerifyReport(rows(), rowGroupCount(), columns.size(), skipped, crcPages);
    }

    private RowGroupReader rowGroupsUnchecked(List<String> columns) throws UnsupportedParquetException {
        try {
            return rowGroups(columns);
        } catch (SchemaMismatchException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The page headers of one column chunk, with CRCs checked where present (a mismatch is
     * reported in the {@link PageInfo}, not thrown).
     *
     * @param leafIndex the chunk's index in the row group (see {@link ColumnChunkMetadata#leafIndex()})
     */
    public List<PageInfo> pages(int rowGroup, int leafIndex)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        List<PageInfo> out = new ArrayList<>();
        pages(rowGroup, leafIndex, out::add);
        return out;
    }

    /**
     * As {@link #pages(int, int)}, handing each page to {@code sink} as soon as its header is
     * read: when a page further on does not parse, the pages before it have been seen (a file
     * inspector shows them, then the error).
     */
    public void pages(int rowGroup, int leafIndex, java.util.function.Consumer<PageInfo> sink)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        Objects.checkIndex(rowGroup, rowGroupCount());
        Objects.checkIndex(leafIndex, schema().leafCount());
        Objects.requireNonNull(sink, "sink");
        lifetime.enter();
        try {
            pagesEntered(rowGroup, leafIndex, sink);
        } finally {
            lifetime.exit();
        }
    }

    private void pagesEntered(int rowGroup, int leafIndex, java.util.function.Consumer<PageInfo> out)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        ChunkLocation loc = structure.chunk(rowGroup, leafIndex);
        LeafColumn leaf = leafAt(leafIndex);
        IoSession session = session(null);
        try (PageReader pages = new PageReader(true, options.maxPageBytes(), options.maxValuesPerPage())) {
            long[] range = new long[2];
            session.expect(io, range, addRange(range, 0, loc));
            pages.setHeadersOnly(true);
            pages.start(input(session), loc, name + ": column chunk " + String.join(".", loc.meta().getPath_in_schema())
                    + ", row group " + rowGroup);
            while (pages.next()) {
                PageHeader h = pages.header();
                String encoding = "";
                String levels = "";
                int nulls = -1;
                int rowsInPage = -1;
                org.apache.parquet.format.Statistics stats = null;
                if (h.isSetData_page_header()) {
                    var dp = h.getData_page_header();
                    encoding = String.valueOf(dp.getEncoding());
                    levels = "def " + dp.getDefinition_level_encoding() + ", rep " + dp.getRepetition_level_encoding();
                    stats = dp.getStatistics();
                } else if (h.isSetData_page_header_v2()) {
                    var dp = h.getData_page_header_v2();
                    encoding = String.valueOf(dp.getEncoding());
                    levels = "RLE" + (dp.isSetIs_compressed() && !dp.isIs_compressed() ? ", values not compressed" : "");
                    nulls = dp.getNum_nulls();
                    rowsInPage = dp.getNum_rows();
                    stats = dp.getStatistics();
                } else if (h.isSetDictionary_page_header()) {
                    encoding = String.valueOf(h.getDictionary_page_header().getEncoding());
                }
                out.accept(new PageInfo(pages.pageIndex(), String.valueOf(h.getType()), pages.headerOffset(), pages.headerSize(),
                        h.getCompressed_page_size(), h.getUncompressed_page_size(), pages.numValues(), nulls, rowsInPage,
                        encoding, levels, h.isSetCrc() ? h.getCrc() : null, pages.lastCrcValid(),
                        stats == null || loc.meta().getType() == null ? null
                                : Statistics.of(stats, loc.meta().getType(), leaf == null ? null : leaf.valueType())));
            }
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
        } catch (ParquetCorruptionException | UnsupportedParquetException | StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(name + ": " + e.getMessage(), e);
        } finally {
            done(session, null);
        }
    }

    /**
     * Unmaps the file: at once, or, when other threads are decoding a column chunk of it at that
     * moment, as soon as they are done with it. Reads started after this fail with
     * {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        lifetime.close();
    }

    @Override
    public String toString() {
        return "ParquetFile[" + name + ", " + size() + " bytes, " + rows() + " rows]";
    }
}
