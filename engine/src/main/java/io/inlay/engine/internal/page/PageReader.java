package io.inlay.engine.internal.page;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Decompressor;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.ThriftReader;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import shaded.parquet.org.apache.thrift.TException;

/**
 * Walks the pages of one column chunk: reads each page header within bounds, validates its sizes
 * against the file and the chunk before anything is allocated, verifies its CRC-32 (when present
 * and enabled) over the stored bytes, and decompresses it. The bytes come from the I/O layer
 * ({@link ByteRanges}: a mapping, or buffers reads filled), page by page; each page's bytes are
 * released when the next page is asked for.
 *
 * <pre>
 * page     := PageHeader (Thrift) | compressed_page_size bytes
 * v1 data  := decompress( [rep levels][def levels][values] )
 * v2 data  := [rep levels][def levels] (never compressed) | decompress-if-is_compressed( [values] )
 * </pre>
 *
 * Native code (a decompressor, the CRC-32 intrinsic) only ever reads stable bytes: where the input
 * is a mapping, which a truncation of the file on disk turns into SIGBUS, the page is first copied
 * (in Java, where the JVM turns such a fault into an error) into a reused buffer.
 *
 * A v2 page whose values are not compressed ({@code is_compressed} false, or an UNCOMPRESSED
 * chunk) takes its values' length from the stored bytes after the levels: {@code
 * uncompressed_page_size} is not trusted there, as parquet-cpp 1.5.x wrote it without the levels.
 * Compressed values must decompress to exactly the size the header declares.
 *
 * Uncompressed pages are handed out as the input's bytes. A compressed data page is
 * decompressed when first asked for: into one reused buffer by {@link #body()}, valid until the
 * next call to {@link #next()}, or straight into memory the caller names with
 * {@link #decompressBodyInto} (a decoder whose output has the page's layout saves a copy that way).
 * Dictionary pages are decompressed at once. Reusable from chunk to chunk; confined to one thread.
 */
public final class PageReader implements AutoCloseable {

    /** Bytes first looked at for a page header; more only when it does not parse within them. */
    private static final long HEADER_PEEK = 4096;
    /** The most bytes a page header is looked for in (Thrift statistics can be large, never this large). */
    private static final long MAX_HEADER = 64L << 20;

    /** What the current page is. */
    public enum Kind { DICTIONARY, DATA_V1, DATA_V2 }

    private final ThriftReader thrift = new ThriftReader();
    private final PageHeaderParser parser = new PageHeaderParser();
    private final PageHeaderView view = new PageHeaderView();
    private final PageScratch scratch;
    private final boolean ownsScratch;
    private final PageCrc crc;
    private final boolean verifyCrc;
    private final long maxPageBytes;
    private final int maxValuesPerPage;

    private ByteRanges input;
    private ChunkLocation chunk;
    private String where;
    /** The column named in trace events of decompression (its decoder's), or null. */
    private String traceColumn;
    private long pos;
    private long valuesSeen;
    private int pageIndex;
    private boolean dictionarySeen;

    private Kind kind;
    private PageHeader header;
    private long headerOffset;
    private MemorySegment body;
    /** A data page body not produced yet (then {@link #body} is null), and its size. */
    private MemorySegment pendingStored;
    private long pendingSize;
    /** Whether the pending body is uncompressed: produced by a copy, which checks the page's CRC. */
    private boolean pendingCopy;
    /** The bytes the pending CRC covers before the body (a v2 page's levels), or null. */
    private MemorySegment crcPrefix;
    private MemorySegment levels;
    private int numValues;
    private int pagesWithCrc;
    private boolean headersOnly;
    private Boolean lastCrcValid;

    public PageReader(boolean verifyCrc, long maxPageBytes, int maxValuesPerPage) {
        this(verifyCrc, maxPageBytes, maxValuesPerPage, new PageScratch(), true);
    }

    /** A reader using scratch memory that outlives it ({@code owns} false: closing the reader keeps it). */
    public PageReader(boolean verifyCrc, long maxPageBytes, int maxValuesPerPage, PageScratch scratch, boolean owns) {
        this.scratch = scratch;
        this.ownsScratch = owns;
        this.crc = new PageCrc(scratch.crc);
        this.verifyCrc = verifyCrc;
        this.maxPageBytes = maxPageBytes;
        this.maxValuesPerPage = maxValuesPerPage;
    }

    /**
     * When set, pages are not decompressed ({@link #body()} is then the stored bytes): for walking
     * headers only.
     */
    public void setHeadersOnly(boolean only) {
        this.headersOnly = only;
    }

    /** Whether the current page's CRC matched; null when it has none or it was not checked. */
    public Boolean lastCrcValid() {
        return lastCrcValid;
    }

    /** The current page header's encoded size. */
    public int headerSize() {
        return view.encodedLength();
    }

    /** Starts on a chunk; {@code where} prefixes messages (file, column, row group). */
    /** Names the column this reader's pages belong to in trace events ({@link EngineEvents#DECOMPRESS}). */
    public void traceAs(String column) {
        this.traceColumn = column;
    }

    private static final String[] CODEC_NAMES = java.util.Arrays.stream(CompressionCodec.values())
            .map(CompressionCodec::configName).toArray(String[]::new);

    /** A codec's config name ({@code zstd}, {@code none}), without allocating: for trace events. */
    public static String codecName(CompressionCodec codec) {
        return CODEC_NAMES[codec.ordinal()];
    }

    public void start(ByteRanges bytes, ChunkLocation location, String whereText) {
        this.input = bytes;
        this.chunk = location;
        this.where = whereText;
        this.pos = location.start();
        this.valuesSeen = 0;
        this.pageIndex = -1;
        this.dictionarySeen = false;
        this.pagesWithCrc = 0;
        this.pendingStored = null;
        this.body = null;
    }

    /**
     * Moves to the next dictionary or data page of the chunk; index pages are skipped.
     *
     * @return false once the pages hold the chunk's declared number of values
     */
    public boolean next() throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        while (valuesSeen < chunk.numValues()) {
            long dataEnd = chunk.dataEnd();
            // a page starts inside the chunk's declared range; its body may run past the declared end,
            // as when a writer leaves the dictionary page header out of the chunk size
            if (pos >= chunk.declaredEnd() || pos >= dataEnd) {
                throw corrupt("the chunk's pages end at offset " + pos + " after " + valuesSeen + " of its "
                        + chunk.numValues() + " values");
            }
            pageIndex++;
            headerOffset = pos;
            input.release(pos);
            MemorySegment head = parseHeader(dataEnd - pos);
            if (headersOnly) {
                // inspection shows page statistics, which the allocation-free parser skips
                try {
                    header = thrift.readPageHeader(head, 0, head.byteSize());
                } catch (TException e) {
                    throw corrupt("page " + pageIndex + " at offset " + pos + ": the page header does not parse: "
                            + e.getMessage());
                }
            }
            long bodyStart = pos + view.encodedLength();
            int compressed = view.compressedSize();
            int uncompressed = view.uncompressedSize();
            if (compressed < 0 || uncompressed < 0) {
                throw corruptPage("negative page size (compressed " + compressed + ", uncompressed " + uncompressed + ")");
            }
            if (compressed > dataEnd - bodyStart) {
                throw corruptPage(compressed + " bytes at offset " + bodyStart + " run past the page data, which ends at "
                        + dataEnd);
            }
            if (uncompressed > maxPageBytes) {
                throw corruptPage("uncompressed size " + uncompressed + " exceeds the limit of " + maxPageBytes + " bytes");
            }
            MemorySegment stored = input.bytes(bodyStart, compressed);
            storedStable = input.stable();
            if (!storedStable && chunk.codec() != CompressionCodec.UNCOMPRESSED && !headersOnly) {
                // the decompressor reads it: a copy, which a truncation of the file cannot take away
                stored = stableCopy(stored);
                storedStable = true;
            }
            pos = bodyStart + compressed;
            pendingStored = null;
            pendingCopy = false;
            crcPrefix = null;
            switch (view.type()) {
                case DICTIONARY_PAGE -> {
                    dictionaryPage(stored, uncompressed);
                    return true;
                }
                case DATA_PAGE -> {
                    dataPageV1(stored, uncompressed);
                    return true;
                }
                case DATA_PAGE_V2 -> {
                    dataPageV2(stored, compressed, uncompressed);
                    return true;
                }
                default -> {
                    // index pages and page types Inlay does not use are skipped
                }
            }
        }
        return false;
    }

    private void dictionaryPage(MemorySegment stored, int uncompressed)
            throws ParquetCorruptionException, UnsupportedParquetException {
        if (view.typeHeader != PageType.DICTIONARY_PAGE) {
            throw corruptPage("a dictionary page without a dictionary page header");
        }
        if (dictionarySeen || valuesSeen > 0) {
            throw corruptPage("a second dictionary page, or one after data pages");
        }
        int n = view.numValues();
        if (n < 0) {
            throw corruptPage("dictionary page has a negative entry count " + n);
        }
        checkCrc(stored);
        dictionarySeen = true;
        kind = Kind.DICTIONARY;
        numValues = n;
        levels = null;
        body = decompress(stored, uncompressed);
    }

    private void dataPageV1(MemorySegment stored, int uncompressed) throws ParquetCorruptionException {
        if (view.typeHeader != PageType.DATA_PAGE) {
            throw corruptPage("a data page without a data page header");
        }
        checkValueCount(view.numValues());
        kind = Kind.DATA_V1;
        numValues = view.numValues();
        valuesSeen += numValues;
        levels = null;
        if (chunk.codec() == CompressionCodec.UNCOMPRESSED && crcLater()) {
            deferCopy(stored, uncompressed, null);
        } else {
            checkCrc(stored);
            defer(stored, uncompressed);
        }
    }

    private void dataPageV2(MemorySegment stored, int compressed, int uncompressed) throws ParquetCorruptionException {
        if (view.typeHeader != PageType.DATA_PAGE_V2) {
            throw corruptPage("a v2 data page without a v2 data page header");
        }
        checkValueCount(view.numValues());
        int rl = view.repetitionLevelsLength();
        int dl = view.definitionLevelsLength();
        // values stored as they are: their length is what the page holds after the levels, whatever
        // uncompressed_page_size says (parquet-cpp 1.5.x left the levels out of it)
        boolean plainValues = !view.isCompressed() || chunk.codec() == CompressionCodec.UNCOMPRESSED;
        if (rl < 0 || dl < 0 || (long) rl + dl > compressed || (!plainValues && (long) rl + dl > uncompressed)) {
            throw corruptPage("level sections of " + rl + " and " + dl + " bytes do not fit the page ("
                    + compressed + " stored, " + uncompressed + " uncompressed bytes)");
        }
        if (view.numNulls() < 0 || view.numNulls() > view.numValues() || view.numRows() < 0) {
            throw corruptPage("v2 header counts " + view.numValues() + " values, " + view.numNulls()
                    + " nulls, " + view.numRows() + " rows");
        }
        kind = Kind.DATA_V2;
        numValues = view.numValues();
        valuesSeen += numValues;
        levels = stored.asSlice(0, (long) rl + dl);
        MemorySegment values = stored.asSlice((long) rl + dl);
        if (plainValues && crcLater()) {
            deferCopy(values, values.byteSize(), levels);
            return;
        }
        checkCrc(stored);
        if (plainValues) {
            body = values;
        } else {
            defer(values, uncompressed - rl - dl);
        }
    }

    /**
     * Parses the page header at {@code pos}, looking at {@link #HEADER_PEEK} bytes first and more
     * only if it does not parse within them.
     *
     * @return the bytes the header was parsed from (from {@code pos} on)
     */
    private MemorySegment parseHeader(long available) throws IOException {
        long limit = Math.min(available, MAX_HEADER);
        MemorySegment head = input.bytesAtMost(pos, Math.min(limit, HEADER_PEEK));
        for (;;) {
            try {
                parser.parse(head, 0, head.byteSize(), view);
                return head;
            } catch (DecodeException e) {
                if (head.byteSize() >= limit) {
                    throw corrupt("page " + pageIndex + " at offset " + pos + ": the page header does not parse: "
                            + e.getMessage());
                }
                head = input.bytes(pos, Math.min(limit, Math.max(head.byteSize() * 8, 64 << 10)));
            }
        }
    }

    /** A copy of mapped bytes that native code may read: a truncation of the file cannot take it away. */
    private MemorySegment stableCopy(MemorySegment mapped) {
        MemorySegment copy = scratch.stable.ensure(Math.max(1, mapped.byteSize()), 0).asSlice(0, mapped.byteSize());
        MemorySegment.copy(mapped, 0, copy, 0, mapped.byteSize());
        return copy;
    }

    private void checkValueCount(int n) throws ParquetCorruptionException {
        if (n < 0) {
            throw corruptPage("negative value count " + n);
        }
        if (n > maxValuesPerPage) {
            throw corruptPage(n + " values exceed the limit of " + maxValuesPerPage + " values per page");
        }
        if (n > chunk.numValues() - valuesSeen) {
            throw corruptPage(n + " values, but only " + (chunk.numValues() - valuesSeen) + " of the chunk's "
                    + chunk.numValues() + " remain");
        }
    }

    /**
     * Whether the current data page's CRC is checked when its uncompressed body is produced rather
     * than now: while it is copied into place (the decoder's output, or a copy native code may read),
     * so that the page is read once. Counts the page's CRC.
     */
    private boolean crcLater() {
        lastCrcValid = null;
        if (!view.hasCrc()) {
            return false;
        }
        if (headersOnly || !verifyCrc) {
            return false;
        }
        pagesWithCrc++;
        return true;
    }

    /** Compares the CRC computed with the header's. */
    private void crcCompare(long storedBytes) throws ParquetCorruptionException {
        int computed = crc.value();
        lastCrcValid = computed == view.crc();
        if (computed != view.crc() && !headersOnly) {
            throw corruptPage("CRC-32 mismatch: the header says " + PageCrc.hex(view.crc()) + ", the " + storedBytes
                    + " stored bytes give " + PageCrc.hex(computed));
        }
    }

    /** Checks the current page's CRC over its stored bytes now (native code reads only stable ones). */
    private void checkCrc(MemorySegment stored) throws ParquetCorruptionException {
        lastCrcValid = null;
        if (!view.hasCrc()) {
            return;
        }
        pagesWithCrc++;
        if (!verifyCrc) {
            return;
        }
        crc.start(null, true);
        crc.update(stored, storedStable);
        crcCompare(stored.byteSize());
    }

    /** Whether the current page's stored bytes are stable (read into memory of ours, or copied). */
    private boolean storedStable;

    /**
     * Copies a pending uncompressed body into {@code out} in pieces, feeding each piece, from
     * {@code out}, to the CRC (the level bytes first for v2), and checks it.
     */
    private void copyChecked(MemorySegment stored, MemorySegment out) throws ParquetCorruptionException {
        long prefix = crc.start(crcPrefix, storedStable);
        crc.copyAndUpdate(stored, out);
        crcCompare(prefix + stored.byteSize());
    }

    /** Sets the current data page's body: the stored bytes when they need no decompression, else pending. */
    private void defer(MemorySegment stored, long size) throws ParquetCorruptionException {
        if (headersOnly || chunk.codec() == CompressionCodec.UNCOMPRESSED) {
            body = uncompressedBody(stored, size);
        } else {
            pendingStored = stored;
            pendingSize = size;
            body = null;
        }
    }

    /** Makes an uncompressed body pending, its CRC (over {@code prefix}, then it) checked when it is produced. */
    private void deferCopy(MemorySegment stored, long size, MemorySegment prefix) throws ParquetCorruptionException {
        if (stored.byteSize() != size) {
            throw corruptPage("uncompressed page stores " + stored.byteSize() + " bytes but declares " + size);
        }
        pendingStored = stored;
        pendingSize = size;
        pendingCopy = true;
        crcPrefix = prefix;
        body = null;
    }

    private MemorySegment uncompressedBody(MemorySegment stored, long size) throws ParquetCorruptionException {
        if (!headersOnly && stored.byteSize() != size) {
            throw corruptPage("uncompressed page stores " + stored.byteSize() + " bytes but declares " + size);
        }
        return stored;
    }

    private MemorySegment decompress(MemorySegment stored, long size)
            throws ParquetCorruptionException, UnsupportedParquetException {
        if (headersOnly || chunk.codec() == CompressionCodec.UNCOMPRESSED) {
            return uncompressedBody(stored, size);
        }
        MemorySegment out = scratch.buffer.ensure(Math.max(size, 1), 0).asSlice(0, size);
        decompress(stored, out);
        return out;
    }

    /** Decompresses {@code stored} into all of {@code out}, which is exactly the declared size. */
    private void decompress(MemorySegment stored, MemorySegment out)
            throws ParquetCorruptionException, UnsupportedParquetException {
        CompressionCodec codec = chunk.codec();
        Decompressor d = scratch.decompressors.get(codec);
        if (d == null) {
            try {
                d = CodecRegistry.standard().provider(codec).newDecompressor();
            } catch (CodecException e) {
                throw new UnsupportedParquetException(where + ": " + e.getMessage(), e);
            }
            scratch.decompressors.put(codec, d);
        }
        long t0 = Trace.start();
        try {
            d.decompress(stored, out);
        } catch (CodecException e) {
            throw corruptPage(e.getMessage());
        }
        Trace.end(EngineEvents.DECOMPRESS, t0, traceColumn, codecName(codec), stored.byteSize(), out.byteSize(), 0, 0);
    }

    /**
     * Whether the current data page's body is compressed and not yet decompressed: then
     * {@link #decompressBodyInto} may place it, and {@link #pendingBodySize()} says how large it is.
     */
    public boolean bodyPending() {
        return pendingStored != null;
    }

    /** The decompressed size of the pending body (v1: the whole page; v2: the values section). */
    public long pendingBodySize() {
        return pendingSize;
    }

    /**
     * Decompresses the pending body into {@code out}, memory of the caller's of exactly
     * {@link #pendingBodySize()} bytes, which {@link #body()} then returns.
     *
     * @throws ParquetCorruptionException if the stored bytes do not decompress to that size; the
     *     contents of {@code out} are then undefined
     */
    public void decompressBodyInto(MemorySegment out) throws ParquetCorruptionException, UnsupportedParquetException {
        if (pendingStored == null || out.byteSize() != pendingSize) {
            throw new IllegalStateException("no pending body of " + out.byteSize() + " bytes");
        }
        MemorySegment stored = pendingStored;
        pendingStored = null;
        if (pendingCopy) {
            copyChecked(stored, out);
        } else {
            decompress(stored, out);
        }
        body = out;
    }

    private ParquetCorruptionException corrupt(String message) {
        return new ParquetCorruptionException(where + ": " + message);
    }

    private ParquetCorruptionException corruptPage(String message) {
        return new ParquetCorruptionException(where + ", page " + pageIndex + " (offset " + headerOffset + "): " + message);
    }

    /** A corruption error about the current page, for decoders' findings. */
    public ParquetCorruptionException pageError(String message) {
        return corruptPage(message);
    }

    public Kind kind() {
        return kind;
    }

    /** The current page's header fields. */
    public PageHeaderView view() {
        return view;
    }

    /**
     * The current page's full Thrift header, statistics included: only in
     * {@linkplain #setHeadersOnly headers-only} mode (inspection), null otherwise.
     */
    public PageHeader header() {
        return header;
    }

    /**
     * The page body: the whole decompressed page (v1, dictionary) or the decompressed values (v2),
     * decompressed into the reader's buffer now if it is still pending.
     */
    public MemorySegment body() throws ParquetCorruptionException, UnsupportedParquetException {
        if (pendingStored != null) {
            MemorySegment stored = pendingStored;
            pendingStored = null;
            if (!pendingCopy) {
                body = decompress(stored, pendingSize);
            } else if (storedStable || keepMapped) {
                // checked where it is: stable bytes, or mapped ones (zero copy) through the bounce buffer
                long prefix = crc.start(crcPrefix, storedStable);
                crc.update(stored, storedStable);
                crcCompare(prefix + stored.byteSize());
                body = stored;
            } else {
                MemorySegment out = scratch.buffer.ensure(Math.max(pendingSize, 1), 0).asSlice(0, pendingSize);
                copyChecked(stored, out);
                body = out;
            }
        }
        return body;
    }

    private boolean keepMapped;

    /** Keeps uncompressed page bodies as the input's own bytes (slices of a mapping, for zero copy). */
    public void setKeepMapped(boolean keep) {
        this.keepMapped = keep;
    }

    /** The v2 level sections (repetition then definition), straight from the mapping; null for v1. */
    public MemorySegment levels() {
        return levels;
    }

    /** Levels (v1, v2) or entries (dictionary) in the page. */
    public int numValues() {
        return numValues;
    }

    public int pageIndex() {
        return pageIndex;
    }

    public long headerOffset() {
        return headerOffset;
    }

    /** Pages of the chunk so far that carried a CRC. */
    public int pagesWithCrc() {
        return pagesWithCrc;
    }

    @Override
    public void close() {
        if (ownsScratch) {
            scratch.close();
        }
    }
}
