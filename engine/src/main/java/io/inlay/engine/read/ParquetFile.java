package io.inlay.engine.read;

import io.inlay.engine.error.EncryptedParquetException;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.StorageException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.column.ZeroCopy;
import io.inlay.engine.internal.io.IoFile;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.FileSchema;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.vector.MappedValues;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An open Parquet file: its footer read and validated on open, its pages read through the storage
 * I/O engine the {@link ReadOptions} name ({@link IoEngine}: mapped, or read with pread/O_DIRECT
 * into buffers ahead of the decoder).
 *
 * <p><b>Memory.</b> Decoded data goes where the caller's {@link DecodeTarget} says: fresh memory from
 * an {@link Arena} the caller owns ({@link DecodeTarget#arena}), or a {@link ReadBuffers} the caller
 * keeps and reuses across files; a {@link RowGroupReader} made without a target owns the buffers it reuses.
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
    private final ChunkReads reads;
    private volatile FileMetadata metadata;

    private ParquetFile(Path path, IoFile io, FileStructure structure, ReadOptions options) {
        this.path = path;
        this.name = path.toString();
        this.io = io;
        this.structure = structure;
        this.options = options;
        this.lifetime = new Lifetime(name, this::release);
        this.reads = new ChunkReads(name, io, structure, options, lifetime);
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
        return openTraced(path, options, null);
    }

    private static ParquetFile openFresh(Path path, ReadOptions options) throws IOException {
        IoFile io = IoFile.open(path);
        boolean opened = false;
        try {
            FileStructure structure = Footer.read(io, options);
            io.use(Footer.resolveEngine(options.ioEngine(), io, structure));
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
        return openTraced(path, options, Objects.requireNonNull(buffers, "buffers"));
    }

    /** Both opens, recording the open event: the file, its engine and size (of a file that failed to open: its path alone). */
    private static ParquetFile openTraced(Path path, ReadOptions options, ReadBuffers buffers) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        long t0 = Trace.start();
        ParquetFile f = null;
        try {
            NextFile.Prepared p = buffers == null ? null : buffers.takeAhead(path, options);
            f = p == null ? openFresh(path, options) : new ParquetFile(path, p.io(), p.structure(), options);
            return f;
        } finally {
            if (t0 != 0) {
                Trace.end(EngineEvents.OPEN, t0, f != null ? f.name : path, f != null ? f.io.engine().configName() : null,
                        f != null ? f.io.size() : 0, 0, 0, 0);
            }
        }
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
            m = MetadataView.of(structure, size());
            metadata = m;
        }
        return m;
    }

    /**
     * Checks that the file holds the workload's columns with their types and vector lengths, and
     * throws one error listing every mismatch.
     */
    public void validate(List<ColumnSpec> expected) throws SchemaMismatchException {
        SchemaCheck.validate(name, structure, expected);
    }

    /** The names of every column Inlay can decode, in schema order. */
    public List<String> supportedColumns() {
        return schema().columns().stream().filter(ColumnDescriptor::isSupported).map(ColumnDescriptor::name).toList();
    }

    /**
     * The stored bytes of the projected columns' chunks (what a read of them touches), over all row
     * groups.
     */
    public long projectedBytes(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        return reads.projectedBytes(columns);
    }

    /**
     * The {@code default} read mode: decodes every row group of the projected columns at once, the
     * whole file's chunks planned for reading ahead first. Into {@link DecodeTarget#arena}: memory the
     * caller owns. Into a {@link ReadBuffers}: each chunk into buffers of its own there, valid until
     * the next decode into them or their close; a worker that reads file after file this way
     * allocates its memory once rather than per file.
     */
    public List<RowGroupData> readAll(List<String> columns, DecodeTarget target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        return reads.readAll(columns, Objects.requireNonNull(target, "target"));
    }

    /**
     * Decodes the projected columns of one row group. Into {@link DecodeTarget#arena}: memory the
     * caller owns and decides when it goes away. Into a {@link ReadBuffers}: the buffers it keeps for
     * that row group (those {@link #readAll} uses), valid until the next decode of the same row group
     * index into them, or their close; for default-mode reads split between threads, each with its
     * own buffers. A thread reading row groups in order, or every k-th, through the same buffers has
     * the following ones of its share read ahead.
     */
    public RowGroupData readRowGroup(int rowGroup, List<String> columns, DecodeTarget target)
            throws ParquetCorruptionException, UnsupportedParquetException, SchemaMismatchException, StorageException {
        return reads.readRowGroup(rowGroup, columns, Objects.requireNonNull(target, "target"));
    }

    /**
     * The {@code row_group} read mode: a reader that decodes one row group at a time into buffers
     * it owns and reuses. Close it to free them.
     */
    public RowGroupReader rowGroups(List<String> columns) throws SchemaMismatchException, UnsupportedParquetException {
        return reads.rowGroups(columns, null);
    }

    /**
     * As {@link #rowGroups(List)}, decoding into {@code target}: a {@link ReadBuffers} the caller
     * keeps across files (closing the reader leaves them for the next file; each row group's vectors
     * valid until the next), or fresh memory from {@link DecodeTarget#arena} for every row group.
     */
    public RowGroupReader rowGroups(List<String> columns, DecodeTarget target)
            throws SchemaMismatchException, UnsupportedParquetException {
        return reads.rowGroups(columns, Objects.requireNonNull(target, "target"));
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
        LeafColumn leaf = reads.resolve(column);
        String where = reads.where(leaf, rowGroup);
        return reads.inFile(where + ": mapping the file", () -> ZeroCopy.of(io.map(),
                structure.chunk(rowGroup, leaf.leafIndex()), leaf, Limits.of(options), where));
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
        return new Verification(reads, structure, options).verify();
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
    public void pages(int rowGroup, int leafIndex, Consumer<PageInfo> sink)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        Objects.checkIndex(rowGroup, rowGroupCount());
        Objects.checkIndex(leafIndex, schema().leafCount());
        Objects.requireNonNull(sink, "sink");
        new Verification(reads, structure, options).pages(rowGroup, leafIndex, sink);
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
