package io.inlay.engine.write;

import io.inlay.codec.CodecException;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.write.ChunkSettings;
import io.inlay.engine.internal.write.ChunkWriter;
import io.inlay.engine.internal.write.FileOutput;
import io.inlay.engine.internal.write.FooterBuilder;
import io.inlay.engine.internal.write.StoredColumn;
import io.inlay.engine.internal.write.PageInput;
import io.inlay.engine.internal.write.VectorPages;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.vector.ColumnChecksum;
import io.inlay.engine.vector.ColumnVector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Writes one Parquet file, column-major and streaming: each row group's column chunks are written
 * one after another, and each page goes to the file as soon as it is full. Memory is therefore
 * bounded by one page (plus the footer's metadata), never by a row group: a row group of 4 GB of
 * vectors needs a few MiB.
 *
 * <pre>
 * try (ParquetWriter w = ParquetWriter.create(path, columns, WriterOptions.defaults())) {
 *     w.write(rows, sources);          // generator callbacks, cut into row groups
 *     // or w.write(vectors);          // columns the caller holds
 *     WrittenFile f = w.finish();      // footer, then the file appears under its name
 * }
 * </pre>
 *
 * <p><b>Crash safety.</b> The file is written under a hidden temporary name in the target's
 * directory and renamed to the target only when the footer is complete. On any failure (an I/O
 * error, an exception from a source, a bad vector), or if the writer is closed without
 * {@link #finish()}, the temporary file is deleted; a process killed outright leaves it behind
 * under a name {@link #staleTempFiles(Path)} finds.
 *
 * <p><b>Memory and threads.</b> The writer owns its off-heap page buffers (freed by {@link #close()})
 * and never keeps a reference to the caller's vectors after a call returns. Values come from the
 * caller's {@link ColumnVector}s or are written by {@link ColumnSource}s into the writer's
 * {@link PageBuffers}; nothing is allocated per row or per value. A writer is confined to one
 * thread; write several files at once with one writer per thread.
 */
public final class ParquetWriter implements AutoCloseable {
    private static final String VERSION = loadVersion();
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    /** Bytes per row assumed for strings and binaries before a page has been measured. */
    private static final long DEFAULT_VARIABLE_ROW_BYTES = 64;

    private enum State { OPEN, FINISHED, FAILED }

    private final Path target;
    private final List<StoredColumn> columns;
    private final WriterOptions options;
    private final FileOutput out;
    private final ChunkWriter chunks;
    private final PageBuffers buffers;
    private final List<RowGroup> rowGroups = new ArrayList<>();
    private final long[] measuredBytesPerRow;
    private long rows;
    private State state = State.OPEN;
    private LongConsumer progress = n -> { };

    /**
     * Opens a writer for {@code target} (its directory is created if needed). The file appears under
     * that name only when {@link #finish()} succeeds.
     *
     * @param columns the file's columns in order; names must be unique
     * @throws IllegalArgumentException for an empty schema, duplicate names, or a codec that is not
     *     installed or cannot write
     * @throws IOException if the temporary file cannot be created
     */
    public static ParquetWriter create(Path target, List<ColumnSpec> columns, WriterOptions options) throws IOException {
        return new ParquetWriter(target, columns, options, UnaryOperator.identity());
    }

    /** As {@link #create}, with the file's channel wrapped (tests inject I/O failures this way). */
    ParquetWriter(Path target, List<ColumnSpec> columns, WriterOptions options,
            UnaryOperator<WritableByteChannel> wrap) throws IOException {
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(columns, "columns");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a Parquet file needs at least one column");
        }
        Set<String> names = new HashSet<>();
        List<StoredColumn> leaves = new ArrayList<>();
        for (ColumnSpec c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("column name '" + c.name() + "' appears twice");
            }
            leaves.add(new StoredColumn(leaves.size(), c));
        }
        this.columns = List.copyOf(leaves);
        this.measuredBytesPerRow = new long[leaves.size()];
        FileOutput output = FileOutput.create(target, wrap, options.direct());
        ChunkWriter chunkWriter = null;
        PageBuffers pageBuffers = null;
        try {
            chunkWriter = new ChunkWriter(this.columns, new ChunkSettings(options.pageVersion() == PageVersion.V1,
                    options.targetPageBytes(), options.codec(), options.compressionLevel(), options.dictionary(),
                    options.byteStreamSplit(), options.pageCrc(), options.statistics(), options.checksums()), output);
            pageBuffers = new PageBuffers();
            output.write(MAGIC, 0, MAGIC.length);
        } catch (CodecException | IOException | RuntimeException e) {
            // nothing may outlive a writer that failed to open: the temporary file, native codec state, buffers
            output.abort();
            if (chunkWriter != null) {
                chunkWriter.close();
            }
            if (pageBuffers != null) {
                pageBuffers.release();
            }
            if (e instanceof CodecException c) {
                throw new IllegalArgumentException(c.getMessage(), c);
            } else if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        this.chunks = chunkWriter;
        this.buffers = pageBuffers;
        this.out = output;
    }

    /** The value of {@code created_by} in files this version writes: {@code inlay version X}. */
    public static String createdBy() {
        return "inlay version " + VERSION;
    }

    /**
     * Temporary files that writers of {@code target} left behind when their process was killed;
     * safe to delete when no writer for {@code target} is running.
     */
    public static List<Path> staleTempFiles(Path target) throws IOException {
        return FileOutput.staleTempFiles(target);
    }

    /**
     * The file a temporary file left by a killed writer was to become, or empty when {@code file}
     * is not such a temporary file. Lets a caller that lists a directory once find the stale
     * temporary files of many targets.
     */
    public static java.util.Optional<Path> targetOfTempFile(Path file) {
        return FileOutput.targetOfTemp(file);
    }

    /** Called with the number of bytes each time pages reach the file (for progress reports). */
    public void onBytesWritten(LongConsumer listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    /** Bytes written to the (temporary) file so far. */
    public long bytesWritten() {
        return out.position();
    }

    /**
     * Writes {@code rowCount} rows produced by {@code sources} (one per column, in schema order),
     * cut into row groups of {@link WriterOptions#rowGroupRows()} rows.
     */
    public void write(long rowCount, List<? extends ColumnSource> sources) throws IOException {
        long done = 0;
        while (done < rowCount) {
            long n = Math.min(options.rowGroupRows(), rowCount - done);
            writeRowGroup(n, sources);
            done += n;
        }
    }

    /** Writes one row group of {@code rowCount} rows produced by {@code sources}. */
    public void writeRowGroup(long rowCount, List<? extends ColumnSource> sources) throws IOException {
        checkOpen();
        if (rowCount < 1) {
            throw new IllegalArgumentException("a row group needs at least one row, got " + rowCount);
        }
        checkCount(sources.size());
        int column = -1;
        try {
            long rowGroupStart = out.position();
            List<ColumnChunk> chunkList = new ArrayList<>(columns.size());
            long uncompressed = 0;
            long compressed = 0;
            for (column = 0; column < columns.size(); column++) {
                ColumnSource source = Objects.requireNonNull(sources.get(column), "source");
                out.mark(new int[] {column, rowGroups.size()});
                chunks.begin(column);
                if (columns.get(column).blob()) {
                    writeBlobChunk(column, source, rowCount);
                    chunkList.add(chunks.end());
                    uncompressed += chunks.chunkUncompressedBytes();
                    compressed += chunks.chunkCompressedBytes();
                    continue;
                }
                long done = 0;
                while (done < rowCount) {
                    int n = rowsPerSourcePage(column, source, rowCount - done);
                    buffers.prepare(columns.get(column).spec(), n);
                    long before = out.position();
                    source.fill(rows + done, buffers);
                    chunks.writePage(sourcePage(column, n));
                    done += n;
                    progress.accept(out.position() - before);
                }
                chunkList.add(chunks.end());
                uncompressed += chunks.chunkUncompressedBytes();
                compressed += chunks.chunkCompressedBytes();
            }
            addRowGroup(chunkList, rowCount, rowGroupStart, uncompressed, compressed);
        } catch (IOException | RuntimeException e) {
            throw fail(e, column);
        }
    }

    /**
     * Writes the rows of {@code vectors} (one per column, in schema order, all of the same length),
     * cut into row groups of {@link WriterOptions#rowGroupRows()} rows.
     *
     * @throws IllegalArgumentException (before anything is written) when a vector's type does not
     *     match its column or its offsets are inconsistent
     */
    public void write(List<ColumnVector> vectors) throws IOException {
        long length = checkVectors(vectors);
        for (long done = 0; done < length; ) {
            long n = Math.min(options.rowGroupRows(), length - done);
            writeVectors(vectors, done, n);
            done += n;
        }
    }

    /** Writes all rows of {@code vectors} as one row group. */
    public void writeRowGroup(List<ColumnVector> vectors) throws IOException {
        long length = checkVectors(vectors);
        if (length > 0) {
            writeVectors(vectors, 0, length);
        }
    }

    private long checkVectors(List<ColumnVector> vectors) {
        checkOpen();
        checkCount(vectors.size());
        long length = vectors.get(0).length();
        for (int c = 0; c < columns.size(); c++) {
            ColumnVector v = Objects.requireNonNull(vectors.get(c), "vector");
            if (v.length() != length) {
                throw new IllegalArgumentException("column '" + columns.get(c).name() + "' has " + v.length()
                        + " rows but column '" + columns.get(0).name() + "' has " + length);
            }
            VectorPages.validate(columns.get(c), v);
        }
        return length;
    }

    private void writeVectors(List<ColumnVector> vectors, long first, long rowCount) throws IOException {
        int column = -1;
        try {
            long rowGroupStart = out.position();
            List<ColumnChunk> chunkList = new ArrayList<>(columns.size());
            long uncompressed = 0;
            long compressed = 0;
            for (column = 0; column < columns.size(); column++) {
                ColumnVector v = vectors.get(column);
                out.mark(new int[] {column, rowGroups.size()});
                chunks.begin(column);
                for (long done = 0; done < rowCount; ) {
                    int n = VectorPages.rowsPerPage(columns.get(column), v, first + done, rowCount - done,
                            options.targetPageBytes());
                    long before = out.position();
                    chunks.writePage(VectorPages.page(v, first + done, n));
                    done += n;
                    progress.accept(out.position() - before);
                }
                chunkList.add(chunks.end());
                uncompressed += chunks.chunkUncompressedBytes();
                compressed += chunks.chunkCompressedBytes();
            }
            addRowGroup(chunkList, rowCount, rowGroupStart, uncompressed, compressed);
        } catch (IOException | RuntimeException e) {
            throw fail(e, column);
        }
    }

    private void addRowGroup(List<ColumnChunk> chunkList, long rowCount, long start, long uncompressed,
            long compressed) {
        RowGroup rg = new RowGroup(chunkList, uncompressed, rowCount);
        rg.setFile_offset(start);
        rg.setTotal_compressed_size(compressed);
        if (rowGroups.size() <= Short.MAX_VALUE) {
            rg.setOrdinal((short) rowGroups.size());
        }
        rowGroups.add(rg);
        rows += rowCount;
    }

    /**
     * A blob column's chunk: each row's sample cut into chunks of {@link ColumnSpec#BLOB_CHUNK}
     * bytes, {@code targetPageBytes / BLOB_CHUNK} chunks (at least one) per page. v1 pages are cut
     * where they are full, in the middle of a sample if need be, so memory is one page whatever the
     * sample's size; v2 pages cannot split rows (the format forbids it), so a v2 page holds whole
     * samples and a sample larger than a page makes a page of its size.
     */
    private void writeBlobChunk(int column, ColumnSource source, long rowCount) throws IOException {
        StoredColumn c = columns.get(column);
        if (!(source instanceof BlobSource blobs)) {
            throw new IllegalArgumentException("column '" + c.name() + "' is a blob column: its source must be a BlobSource");
        }
        boolean wholeRows = options.pageVersion() == PageVersion.V2;
        long chunk = ColumnSpec.BLOB_CHUNK;
        long perPage = Math.max(1, options.targetPageBytes() / chunk);
        long row = 0;
        long chunkInRow = 0;
        long rowLength = blobLength(c, blobs, rows);
        while (row < rowCount) {
            buffers.prepareBlob(c.spec());
            boolean continues = chunkInRow > 0;
            MemorySegment listOffsets = buffers.blobListOffsets(16);
            listOffsets.set(Layouts.LE_INT, 0, 0);
            MemorySegment chunkOffsets = buffers.blobChunkOffsets(perPage);
            chunkOffsets.set(Layouts.LE_INT, 0, 0);
            long elements = 0;
            long pieces = 0;
            long dataBytes = 0;
            while (row < rowCount && elements < perPage && pieces < MAX_PIECES_PER_PAGE) {
                long chunksInRow = (rowLength + chunk - 1) / chunk;
                long take = chunksInRow - chunkInRow;
                if (wholeRows) {
                    if (pieces > 0 && elements + take > perPage) {
                        break; // the next sample starts the next page
                    }
                    if (rowLength + 4 * chunksInRow > Integer.MAX_VALUE - (1L << 20)) {
                        throw new IllegalArgumentException("column '" + c.name() + "': a sample of " + rowLength
                                + " bytes (row " + (rows + row) + ") does not fit one v2 data page (v2 pages cannot split"
                                + " rows); write v1 pages");
                    }
                } else {
                    take = Math.min(take, perPage - elements);
                }
                long from = chunkInRow * chunk;
                long to = Math.min(rowLength, (chunkInRow + take) * chunk);
                MemorySegment data = buffers.blobData(dataBytes + (to - from));
                chunkOffsets = buffers.blobChunkOffsets(elements + take);
                for (long k = 0; k < take; k++) {
                    long a = from + k * chunk;
                    long b = Math.min(to, a + chunk);
                    blobs.bytes(rows + row, a, data.asSlice(dataBytes, b - a));
                    dataBytes += b - a;
                    chunkOffsets.set(Layouts.LE_INT, (elements + k + 1) * 4, (int) dataBytes);
                }
                elements += take;
                chunkInRow += take;
                listOffsets = buffers.blobListOffsets(pieces + 1);
                listOffsets.set(Layouts.LE_INT, (pieces + 1) * 4, (int) elements);
                pieces++;
                if (chunkInRow == chunksInRow) {
                    row++;
                    chunkInRow = 0;
                    rowLength = row < rowCount ? blobLength(c, blobs, rows + row) : 0;
                }
            }
            long before = out.position();
            chunks.writePage(new PageInput((int) pieces, null, 0, true, 0, listOffsets, 0, null, 0, elements,
                    buffers.dataSegment(), chunkOffsets, continues));
            progress.accept(out.position() - before);
        }
    }

    /** Row pieces per blob page at most (empty samples take no chunk; this bounds a page of them). */
    private static final long MAX_PIECES_PER_PAGE = 1 << 20;

    private static long blobLength(StoredColumn c, BlobSource source, long row) {
        long n = source.length(row);
        if (n < 0 || n > ColumnSpec.MAX_BLOB_SIZE) {
            throw new IllegalStateException("the source of column '" + c.name() + "' gave row " + row + " a length of " + n
                    + " bytes, outside 0.." + ColumnSpec.MAX_BLOB_SIZE);
        }
        return n;
    }

    /** Rows of the next page from a source: the target page size over the (measured) bytes per row. */
    private int rowsPerSourcePage(int column, ColumnSource source, long remaining) {
        StoredColumn c = columns.get(column);
        long values = c.spec().valuesPerRow();
        long target = options.targetPageBytes();
        long n;
        if (c.bool()) {
            n = target * 8 / values;
        } else if (!c.variableLength()) {
            n = target / (values * c.plainWidth());
        } else {
            long perRow = measuredBytesPerRow[column];
            if (perRow <= 0) {
                long hint = source.estimatedBytesPerRow();
                perRow = (hint > 0 ? hint : DEFAULT_VARIABLE_ROW_BYTES * values) + 4 * values;
            }
            n = target / perRow;
        }
        // a page's level count is an int32 in its header
        long maxRows = Integer.MAX_VALUE / values;
        return (int) Math.max(1, Math.min(Math.min(n, remaining), maxRows));
    }

    /** Describes the page a source just filled, checking the offsets it wrote. */
    private PageInput sourcePage(int column, int n) {
        StoredColumn c = columns.get(column);
        long count = buffers.valueCount();
        MemorySegment values = buffers.valuesSegment();
        MemorySegment offsets = null;
        if (c.variableLength()) {
            offsets = buffers.offsetsSegment();
            values = buffers.dataSegment();
            long end = checkSourceOffsets(c, offsets, count, values.byteSize());
            measuredBytesPerRow[column] = Math.max(1, (end + 4 * count + n - 1) / n);
        }
        if (c.list()) {
            return new PageInput(n, null, 0, true, c.spec().size(), null, 0, null, 0, count, values, offsets);
        }
        return new PageInput(n, null, 0, false, 0, null, 0, null, 0, count, values, offsets);
    }

    private static long checkSourceOffsets(StoredColumn c, MemorySegment offsets, long count, long dataBytes) {
        if (offsets.byteSize() < (count + 1) * 4) {
            throw new IllegalStateException("the source of column '" + c.name() + "' did not write its offsets");
        }
        int prev = offsets.get(Layouts.LE_INT, 0);
        if (prev != 0) {
            throw new IllegalStateException("the source of column '" + c.name() + "' wrote offsets[0] = " + prev + ", not 0");
        }
        for (long i = 1; i <= count; i++) {
            int next = offsets.get(Layouts.LE_INT, i * 4);
            if (next < prev) {
                throw new IllegalStateException("the source of column '" + c.name() + "' wrote decreasing offsets at "
                        + i + " (" + prev + " then " + next + ")");
            }
            prev = next;
        }
        if (prev > dataBytes) {
            throw new IllegalStateException("the source of column '" + c.name() + "' wrote offsets up to " + prev
                    + " but only " + dataBytes + " data bytes");
        }
        return prev;
    }

    /**
     * Writes the footer and renames the file into place.
     *
     * @return what was written
     */
    public WrittenFile finish() throws IOException {
        checkOpen();
        try {
            FileMetaData md = FooterBuilder.build(columns, rowGroups, rows, options.keyValueMetadata(), createdBy(),
                    options.pageVersion() == PageVersion.V2 ? 2 : 1);
            FooterBytes footer = new FooterBytes();
            Util.writeFileMetaData(md, footer);
            long before = out.position();
            out.mark(new int[] {-1, -1}); // the footer: no column
            out.write(footer.array(), 0, footer.size());
            // the length by hand: a heap MemorySegment here would load the JDK's heap segment classes
            // after the first file, which deoptimises every compiled loop over (native) segments
            byte[] tail = new byte[8];
            int length = footer.size();
            for (int i = 0; i < 4; i++) {
                tail[i] = (byte) (length >>> (8 * i));
            }
            System.arraycopy(MAGIC, 0, tail, 4, 4);
            out.write(tail, 0, tail.length);
            long size = out.position();
            out.commit(options.fsync());
            state = State.FINISHED;
            progress.accept(size - before);
            List<ColumnChecksum> sums = options.checksums() ? chunks.checksums() : List.of();
            return new WrittenFile(target, rows, rowGroups.size(), size, sums);
        } catch (IOException | RuntimeException e) {
            throw fail(e, -1);
        }
    }

    private IOException fail(Exception e, int column) {
        state = State.FAILED;
        int rowGroup = rowGroups.size();
        if (e instanceof FileOutput.WriteFailedAt w && out.markAt(w.offset()) != null) {
            // a direct write failed in the background: name what its bytes were, not what is being written now
            int[] m = out.markAt(w.offset());
            column = m[0];
            rowGroup = m[1];
        }
        out.abort();
        StringBuilder where = new StringBuilder("writing ").append(target);
        if (column >= 0 && column < columns.size()) {
            where.append(", column '").append(columns.get(column).name()).append("', row group ").append(rowGroup);
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException(where + ": " + reason, e);
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the writer of " + target + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void checkCount(int n) {
        if (n != columns.size()) {
            throw new IllegalArgumentException("the file has " + columns.size() + " columns, got " + n);
        }
    }

    /**
     * Frees the writer's buffers. If {@link #finish()} has not succeeded, the temporary file is
     * deleted and nothing appears under the target name.
     */
    @Override
    public void close() {
        if (state == State.OPEN) {
            state = State.FAILED;
            out.abort();
        }
        chunks.close();
        buffers.release();
    }

    private static String loadVersion() {
        try (InputStream in = ParquetWriter.class.getResourceAsStream("inlay-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    /** The footer's bytes; the footer is written once per file, so a plain growable array will do. */
    private static final class FooterBytes extends java.io.ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }
}
