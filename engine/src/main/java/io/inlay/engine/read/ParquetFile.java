package io.inlay.engine.read;

import io.inlay.engine.error.EncryptedParquetException;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.column.ChunkDecoder;
import io.inlay.engine.internal.column.PageStructure;
import io.inlay.engine.internal.column.ZeroCopy;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.FileSchema;
import io.inlay.engine.vector.ColumnType;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.MappedValues;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageHeader;

/**
 * An open Parquet file: the whole file mapped read-only into one {@link MemorySegment} (files over
 * 2 GiB included), its footer parsed and validated on open.
 *
 * <p><b>Memory.</b> The file owns the shared arena of its mapping; {@link #close()} unmaps it at
 * once. Decoded data goes into an {@link Arena} the caller passes ({@link #readRowGroup},
 * {@link #readAll}) or into buffers owned by a {@link RowGroupReader}. {@link #mappedValues} hands
 * out slices of the mapping itself, valid until the file is closed.
 *
 * <p><b>Threads.</b> A file may be shared by threads: each read call and each {@link RowGroupReader}
 * uses decoding state of its own. Closing the file while other threads still use it makes their next
 * read fail with {@link IllegalStateException}, and their access to slices of the mapping too (the
 * arena's lifetime check), never crash: a column chunk another thread is decoding at that moment
 * (possibly in native code: a decompressor) is finished first, and the mapping goes when the last
 * such chunk is done.
 *
 * <p><b>Truncation.</b> If the file is truncated on disk while mapped, reads of the lost part fail
 * with {@link ParquetCorruptionException} ("truncated while mapped"): native code is handed mapped
 * bytes only after Java has touched each of their memory pages. A truncation in the moment between
 * that touch and the native read of the same page can still kill the JVM, as it can for any program
 * that maps files.
 */
public final class ParquetFile implements AutoCloseable {
    private final Path path;
    private final String name;
    private final Arena arena;
    private final MemorySegment mapping;
    private final FileStructure structure;
    private final ReadOptions options;
    private final Lifetime lifetime;
    private volatile FileMetadata metadata;

    private ParquetFile(Path path, Arena arena, MemorySegment mapping, FileStructure structure, ReadOptions options) {
        this.path = path;
        this.name = path.toString();
        this.arena = arena;
        this.mapping = mapping;
        this.structure = structure;
        this.options = options;
        this.lifetime = new Lifetime(name, this::unmap);
    }

    /** Unmaps the file: on close, or when the last read in progress at close finishes. */
    private void unmap() {
        try {
            arena.close();
        } catch (IllegalStateException e) {
            if (arena.scope().isAlive()) {
                // a JDK operation on a zero-copy slice holds the mapping
                throw new IllegalStateException(name + " cannot be unmapped while its memory is in use: " + e.getMessage(), e);
            }
        }
    }

    /** Opens a file with the default options. */
    public static ParquetFile open(Path path) throws IOException {
        return open(path, ReadOptions.DEFAULT);
    }

    /**
     * Maps a file and reads its footer.
     *
     * @throws ParquetCorruptionException if it is not a valid Parquet file
     * @throws EncryptedParquetException if it is encrypted
     * @throws UnsupportedParquetException if it uses a feature Inlay cannot read at all (external chunks)
     * @throws IOException if it cannot be opened
     */
    public static ParquetFile open(Path path, ReadOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Arena arena = Arena.ofShared();
        boolean opened = false;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment mapping = size == 0 ? MemorySegment.NULL : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            if (options.readAhead() && size > 0) {
                // Inlay does the read-ahead: WILLNEED for exactly the projected chunks. Without this,
                // a fault pulls in read_ahead_kb around it (8 MiB on some disks), columns not read included.
                Posix.madvise(mapping, 0, size, Posix.MADV_RANDOM);
            }
            FileStructure structure;
            try {
                structure = FileStructure.read(path.toString(), mapping, options.maxFooterBytes());
            } catch (InternalError e) {
                throw truncatedWhileMapped(path.toString(), e);
            }
            ParquetFile file = new ParquetFile(path, arena, mapping, structure, options);
            opened = true;
            return file;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        } finally {
            if (!opened) {
                arena.close();
            }
        }
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
        return mapping.byteSize();
    }

    public ReadOptions options() {
        return options;
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

    ColumnVector decodeChunk(ChunkDecoder decoder, int rowGroup) throws ParquetCorruptionException, UnsupportedParquetException {
        LeafColumn column = decoder.column();
        lifetime.enter();
        try {
            return decoder.decode(mapping, structure.chunk(rowGroup, column.leafIndex()), where(column, rowGroup));
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
        } finally {
            lifetime.exit();
        }
    }

    /** Read-ahead hint: the kernel may start reading these chunks of the row group now. */
    void adviseWillNeed(int rowGroup, List<LeafColumn> columns) {
        if (!options.readAhead() || rowGroup < 0 || rowGroup >= rowGroupCount()) {
            return;
        }
        for (LeafColumn c : columns) {
            ChunkLocation loc = structure.chunk(rowGroup, c.leafIndex());
            Posix.madvise(mapping, loc.start(), loc.length(), Posix.MADV_WILLNEED);
        }
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
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException {
        return decodeRowGroup(rowGroup, columns, Objects.requireNonNull(target, "arena"), null);
    }

    /**
     * Decodes the projected columns of one row group into the buffers {@code buffers} keeps for
     * that row group (those {@link #readAll(List, ReadBuffers)} uses): valid until the next decode
     * of the same row group index into them, or their close. For default-mode reads split between
     * threads, each with its own buffers.
     */
    public RowGroupData readRowGroup(int rowGroup, List<String> columns, ReadBuffers buffers)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException {
        return decodeRowGroup(rowGroup, columns, null, Objects.requireNonNull(buffers, "buffers"));
    }

    /** One row group into the caller's arena, or else into {@code buffers}' buffers for it. */
    private RowGroupData decodeRowGroup(int rowGroup, List<String> columns, Arena target, ReadBuffers buffers)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException {
        Objects.checkIndex(rowGroup, rowGroupCount());
        List<LeafColumn> leaves = resolveAll(columns);
        Map<String, ColumnVector> out = new LinkedHashMap<>();
        long bytes = 0;
        if (buffers != null) {
            buffers.enter();
        }
        try {
            for (LeafColumn leaf : leaves) {
                try (ChunkDecoder d = target != null ? new ChunkDecoder(leaf, Limits.of(options), target)
                        : new ChunkDecoder(leaf, Limits.of(options), buffers.forChunk(0, leaf.name()), false)) {
                    if (buffers != null) {
                        // scratch from row group 0's buffers, as readAll: only the vectors need a set per row group
                        d.outputTo(buffers.forChunk(rowGroup, leaf.name()));
                    }
                    out.put(leaf.name(), decodeChunk(d, rowGroup));
                }
                bytes += chunkBytes(rowGroup, leaf);
            }
        } finally {
            if (buffers != null) {
                buffers.exit();
            }
        }
        return new RowGroupData(rowGroup, rowGroupRows(rowGroup), out, bytes);
    }

    /**
     * The {@code default} read mode: decodes every row group of the projected columns at once into
     * memory from {@code arena}.
     */
    public List<RowGroupData> readAll(List<String> columns, Arena target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException {
        Objects.requireNonNull(target, "arena");
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>();
        try {
            for (LeafColumn leaf : leaves) {
                decoders.add(new ChunkDecoder(leaf, Limits.of(options), target));
            }
            return decodeAll(leaves, decoders, null);
        } finally {
            for (ChunkDecoder d : decoders) {
                d.close();
            }
        }
    }

    /**
     * The {@code default} read mode into buffers the caller keeps across files: every row group of
     * the projected columns at once, each chunk into its own buffers of {@code buffers}. The vectors
     * are valid until the next decode into {@code buffers} or its close. A worker that reads file
     * after file this way allocates its memory once rather than per file.
     */
    public List<RowGroupData> readAll(List<String> columns, ReadBuffers buffers)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException {
        Objects.requireNonNull(buffers, "buffers");
        List<LeafColumn> leaves = resolveAll(columns);
        List<ChunkDecoder> decoders = new ArrayList<>(leaves.size());
        buffers.enter();
        try {
            for (LeafColumn leaf : leaves) {
                decoders.add(new ChunkDecoder(leaf, Limits.of(options), buffers.forChunk(0, leaf.name()), false));
            }
            return decodeAll(leaves, decoders, buffers);
        } finally {
            for (ChunkDecoder d : decoders) {
                d.close();
            }
            buffers.exit();
        }
    }

    /**
     * Default mode's loop: every row group through the decoders, read ahead first; with
     * {@code slots}, each chunk's vectors go into that row group's buffers there.
     */
    private List<RowGroupData> decodeAll(List<LeafColumn> leaves, List<ChunkDecoder> decoders, ReadBuffers slots)
            throws ParquetCorruptionException, UnsupportedParquetException {
        for (int g = 0; g < rowGroupCount(); g++) {
            adviseWillNeed(g, leaves);
        }
        List<RowGroupData> groups = new ArrayList<>(rowGroupCount());
        for (int g = 0; g < rowGroupCount(); g++) {
            Map<String, ColumnVector> out = new LinkedHashMap<>();
            long bytes = 0;
            for (ChunkDecoder d : decoders) {
                if (slots != null) {
                    d.outputTo(slots.forChunk(g, d.column().name()));
                }
                out.put(d.column().name(), decodeChunk(d, g));
                bytes += chunkBytes(g, d.column());
            }
            groups.add(new RowGroupData(g, rowGroupRows(g), out, bytes));
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
        return new RowGroupReader(this, decoders, null);
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
        return new RowGroupReader(this, decoders, buffers);
    }

    /**
     * Zero-copy: the values of one column chunk as slices of the mapping, for uncompressed PLAIN
     * pages of non-null fixed-width values (floats, and the elements of fixed-length vectors).
     *
     * @throws UnsupportedParquetException if the chunk is compressed, not PLAIN, or has nulls
     */
    public MappedValues mappedValues(String column, int rowGroup)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException {
        Objects.checkIndex(rowGroup, rowGroupCount());
        LeafColumn leaf = resolve(column);
        lifetime.enter();
        try {
            return ZeroCopy.of(mapping, structure.chunk(rowGroup, leaf.leafIndex()), leaf, Limits.of(options), where(leaf, rowGroup));
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
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
    public VerifyReport verify() throws ParquetCorruptionException, UnsupportedParquetException {
        lifetime.enter();
        try {
            return verifyEntered();
        } finally {
            lifetime.exit();
        }
    }

    private VerifyReport verifyEntered() throws ParquetCorruptionException, UnsupportedParquetException {
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
        try (PageStructure structureCheck = new PageStructure(Limits.of(options))) {
            for (int g = 0; g < rowGroupCount(); g++) {
                for (var leaf : structure.parsed().allLeaves()) {
                    ChunkLocation loc = structure.chunk(g, leaf.index());
                    String where = name + ": column " + leaf.path() + ", row group " + g;
                    if (leaf.maxRep() == 0 && loc.numValues() != loc.rows()) {
                        throw new ParquetCorruptionException(where + ": the chunk holds " + loc.numValues()
                                + " values but the row group has " + loc.rows() + " rows");
                    }
                    if (!decodedLeaves.contains(leaf.index())) {
                        structureCheck.check(mapping, loc, leaf, where);
                    }
                }
            }
        } catch (InternalError e) {
            throw truncatedWhileMapped(name, e);
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
    public List<PageInfo> pages(int rowGroup, int leafIndex) throws ParquetCorruptionException, UnsupportedParquetException {
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
            throws ParquetCorruptionException, UnsupportedParquetException {
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
            throws ParquetCorruptionException, UnsupportedParquetException {
        ChunkLocation loc = structure.chunk(rowGroup, leafIndex);
        LeafColumn leaf = leafAt(leafIndex);
        try (PageReader pages = new PageReader(true, options.maxPageBytes(), options.maxValuesPerPage())) {
            pages.setHeadersOnly(true);
            pages.start(mapping, loc, name + ": column chunk " + String.join(".", loc.meta().getPath_in_schema())
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
