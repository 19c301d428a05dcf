package io.inlay.engine.internal.write;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.engine.internal.encode.ByteStreamSplitEncoder;
import io.inlay.engine.internal.encode.PlainEncoder;
import io.inlay.engine.internal.encode.StringDictionary;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.rle.RleBitPackedEncoder;
import io.inlay.engine.schema.DType;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.vector.ColumnChecksum;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;

/**
 * Writes column chunks page by page: levels, values (PLAIN, BYTE_STREAM_SPLIT or dictionary
 * indices), compression, CRC, page header, and the chunk's metadata at the end. One instance per
 * file writer, reused for every chunk; its scratch buffers are sized by the largest page, so a
 * chunk of any length costs the memory of one page.
 *
 * <pre>
 * v1 page   header | [rep len(4) rep] [def len(4) def] values        all of it compressed
 * v2 page   header | rep def | values                                  only the values compressed
 * chunk     [dictionary page] data page ...
 * </pre>
 *
 * With dictionary encoding the data pages are held (compressed) until the dictionary is final,
 * because the dictionary page must come first: at the end of the chunk, when the dictionary
 * would pass its size limit (the rest of the chunk is then PLAIN), or when the held pages pass
 * {@link #pendingLimit}. Confined to the writer's thread.
 */
public final class ChunkWriter implements AutoCloseable {
    /** The most bytes a dictionary page may hold (parquet-java's default), or the page size if larger. */
    public static final int DICTIONARY_LIMIT = 1 << 20;

    private enum DictState { OFF, COLLECTING, DONE }

    private final List<StoredColumn> columns;
    private final List<ColumnStatistics> stats = new ArrayList<>();
    private final ChunkSettings options;
    private final FileOutput out;
    private final Compressor compressor;
    private final org.apache.parquet.format.CompressionCodec thriftCodec;
    private final GrowableBuffer page = GrowableBuffer.zeroed(1 << 16);
    private final GrowableBuffer compressed = GrowableBuffer.zeroed(1 << 16);
    private final GrowableBuffer pending = GrowableBuffer.zeroed(1 << 12);
    private final RleBitPackedEncoder rle = new RleBitPackedEncoder();
    private final Compactor compactor = new Compactor();
    /** Made on first use: most files have no dictionary-encoded column. */
    private StringDictionary dictionary;
    private final ThriftOut header = new ThriftOut();
    private final CRC32 crc = new CRC32();
    private final long pendingLimit;
    private int[] ids = new int[0];

    // the chunk being written
    private StoredColumn column;
    private ColumnStatistics columnStats;
    private long chunkStart;
    private long dictionaryOffset;
    private long dataOffset;
    private long totalUncompressed;
    private long totalCompressed;
    private long numValues;
    private final EnumSet<Encoding> encodings = EnumSet.noneOf(Encoding.class);
    private final int[][] pageCounts = new int[PageType.values().length][Encoding.values().length];
    private DictState dictState;
    private int pendingPages;
    private long traceStart;

    public ChunkWriter(List<StoredColumn> columns, ChunkSettings options, FileOutput out) throws CodecException {
        this.columns = List.copyOf(columns);
        for (StoredColumn c : columns) {
            stats.add(new ColumnStatistics(c, options.statistics(), options.checksums()));
        }
        this.options = options;
        this.out = out;
        CompressionCodec codec = options.codec();
        this.thriftCodec = org.apache.parquet.format.CompressionCodec.findByValue(codec.thriftId());
        if (codec == CompressionCodec.UNCOMPRESSED) {
            this.compressor = null;
        } else {
            CodecProvider provider = CodecRegistry.standard().provider(codec);
            this.compressor = options.compressionLevel().isPresent()
                    ? provider.newCompressor(options.compressionLevel().getAsInt()) : provider.newCompressor();
        }
        this.pendingLimit = Math.max(8L << 20, 8L * options.targetPageBytes());
    }

    /** Starts the chunk of column {@code index} at the output's current position. */
    public void begin(int index) {
        traceStart = Trace.start();
        column = columns.get(index);
        columnStats = stats.get(index);
        columnStats.beginChunk();
        chunkStart = out.position();
        dictionaryOffset = -1;
        dataOffset = -1;
        totalUncompressed = 0;
        totalCompressed = 0;
        numValues = 0;
        encodings.clear();
        encodings.add(Encoding.RLE);
        for (int[] row : pageCounts) {
            Arrays.fill(row, 0);
        }
        pendingPages = 0;
        pending.clear();
        dictState = options.dictionary() && column.elementType() == DType.STRING ? DictState.COLLECTING : DictState.OFF;
        if (dictState == DictState.COLLECTING) {
            if (dictionary == null) {
                dictionary = new StringDictionary();
            }
            dictionary.reset(Math.max(DICTIONARY_LIMIT, options.targetPageBytes()));
        }
    }

    /** Encodes and writes (or holds, while collecting a dictionary) one data page. */
    public void writePage(PageInput in) throws IOException {
        page.clear();
        boolean v1 = options.v1Pages();
        PageLevels.Counts levels = PageLevels.write(in, column, rle, page, v1);
        PageInput dense = in.hasNulls() ? compactor.compact(in, column) : in;
        columnStats.accept(dense);
        columnStats.addNulls(levels.nulls());
        long valuesStart = page.size();
        if (dictState == DictState.COLLECTING) {
            if (encodeIndices(dense)) {
                emitDataPage(levels, in.rows(), Encoding.RLE_DICTIONARY, valuesStart);
                if (pending.size() > pendingLimit) {
                    flushDictionary();
                }
                return;
            }
            page.setSize(valuesStart);
            flushDictionary();
        }
        Encoding encoding = Encoding.PLAIN;
        if (options.byteStreamSplit() && column.floatingPoint()) {
            ByteStreamSplitEncoder.encode(dense.values(), dense.firstElement(), dense.elementCount(),
                    column.arrowWidth(), page);
            encoding = Encoding.BYTE_STREAM_SPLIT;
        } else {
            PlainEncoder.encode(column.elementType(), column.arrowWidth(), dense.values(), dense.varOffsets(),
                    dense.firstElement(), dense.elementCount(), page);
        }
        emitDataPage(levels, in.rows(), encoding, valuesStart);
    }

    /** Dictionary ids of the page's values, as [bit width][RLE hybrid]; false when the dictionary is full. */
    private boolean encodeIndices(PageInput v) {
        int n = Math.toIntExact(v.elementCount());
        if (ids.length < n) {
            ids = new int[Math.max(n, ids.length * 2)];
        }
        MemorySegment offsets = v.varOffsets();
        MemorySegment data = v.values();
        long first = v.firstElement();
        int prev = offsets.get(Layouts.LE_INT, first * 4);
        for (int i = 0; i < n; i++) {
            int next = offsets.get(Layouts.LE_INT, (first + i + 1) * 4);
            int id = dictionary.idOf(data, prev, next - prev);
            if (id < 0) {
                return false;
            }
            ids[i] = id;
            prev = next;
        }
        int bitWidth = RleBitPackedEncoder.bitWidth(Math.max(0, dictionary.size() - 1));
        page.putByte(bitWidth);
        rle.reset(bitWidth, page);
        for (int i = 0; i < n; i++) {
            rle.write(ids[i]);
        }
        rle.finish();
        return true;
    }

    private void emitDataPage(PageLevels.Counts levels, int rows, Encoding encoding, long valuesStart)
            throws IOException {
        boolean v1 = options.v1Pages();
        long total = page.size();
        long valuesLength = total - valuesStart;
        MemorySegment body = page.segment();
        // stored bytes = body[0, rawPrefix) followed by either compressed[0, compressedLength) or nothing
        long rawPrefix;
        long compressedLength = -1;
        boolean compress = compressor != null && (v1 || valuesLength > 0);
        if (!compress) {
            rawPrefix = total;
        } else if (v1) {
            rawPrefix = 0;
            compressedLength = compress(body, 0, total);
        } else {
            rawPrefix = valuesStart;
            compressedLength = compress(body, valuesStart, valuesLength);
        }
        long stored = rawPrefix + Math.max(0, compressedLength);
        PageHeader h;
        if (v1) {
            h = new PageHeader(PageType.DATA_PAGE, Math.toIntExact(total), Math.toIntExact(stored));
            h.setData_page_header(new DataPageHeader(Math.toIntExact(levels.levels()), encoding, Encoding.RLE, Encoding.RLE));
        } else {
            h = new PageHeader(PageType.DATA_PAGE_V2, Math.toIntExact(total), Math.toIntExact(stored));
            DataPageHeaderV2 v2 = new DataPageHeaderV2(Math.toIntExact(levels.levels()), Math.toIntExact(levels.nulls()),
                    rows, encoding, Math.toIntExact(levels.definitionBytes()), Math.toIntExact(levels.repetitionBytes()));
            v2.setIs_compressed(compress);
            h.setData_page_header_v2(v2);
        }
        if (options.pageCrc()) {
            crc.reset();
            if (rawPrefix > 0) {
                crc.update(body.asSlice(0, rawPrefix).asByteBuffer());
            }
            if (compressedLength > 0) {
                crc.update(compressed.slice(0, compressedLength).asByteBuffer());
            }
            h.setCrc((int) crc.getValue());
        }
        int headerLength = serialize(h);
        boolean hold = dictState == DictState.COLLECTING;
        if (!hold && dataOffset < 0) {
            dataOffset = out.position();
        }
        sink(hold, body, rawPrefix, compressedLength);
        if (hold) {
            pendingPages++;
        }
        totalUncompressed += headerLength + total;
        totalCompressed += headerLength + stored;
        numValues += levels.levels();
        encodings.add(encoding);
        pageCounts[h.getType().ordinal()][encoding.ordinal()]++;
    }

    private void sink(boolean hold, MemorySegment body, long rawPrefix, long compressedLength) throws IOException {
        if (hold) {
            pending.put(header.array(), 0, header.size());
            pending.put(body, 0, rawPrefix);
            if (compressedLength > 0) {
                pending.put(compressed.segment(), 0, compressedLength);
            }
        } else {
            out.write(header.array(), 0, header.size());
            out.write(body, 0, rawPrefix);
            if (compressedLength > 0) {
                out.write(compressed.segment(), 0, compressedLength);
            }
        }
    }

    /** Writes the dictionary page, then the data pages held back for it; the rest of the chunk is PLAIN. */
    private void flushDictionary() throws IOException {
        dictState = DictState.DONE;
        if (pendingPages == 0) {
            return;
        }
        MemorySegment dict = dictionary.pageSegment();
        long length = dictionary.pageBytes();
        long compressedLength = compressor == null ? -1 : compress(dict, 0, length);
        long stored = compressedLength < 0 ? length : compressedLength;
        PageHeader h = new PageHeader(PageType.DICTIONARY_PAGE, Math.toIntExact(length), Math.toIntExact(stored));
        DictionaryPageHeader dh = new DictionaryPageHeader(dictionary.size(), Encoding.PLAIN);
        dh.setIs_sorted(false);
        h.setDictionary_page_header(dh);
        if (options.pageCrc()) {
            crc.reset();
            crc.update(compressedLength < 0 ? dict.asSlice(0, length).asByteBuffer()
                    : compressed.slice(0, compressedLength).asByteBuffer());
            h.setCrc((int) crc.getValue());
        }
        int headerLength = serialize(h);
        dictionaryOffset = out.position();
        if (compressedLength < 0) {
            out.write(header.array(), 0, header.size());
            out.write(dict, 0, length);
        } else {
            out.write(header.array(), 0, header.size());
            out.write(compressed.segment(), 0, compressedLength);
        }
        totalUncompressed += headerLength + length;
        totalCompressed += headerLength + stored;
        encodings.add(Encoding.PLAIN);
        pageCounts[PageType.DICTIONARY_PAGE.ordinal()][Encoding.PLAIN.ordinal()]++;
        dataOffset = out.position();
        out.write(pending.segment(), 0, pending.size());
        pending.clear();
        pendingPages = 0;
    }

    private long compress(MemorySegment src, long offset, long length) throws IOException {
        compressed.ensureCapacity(compressor.maxCompressedLength(length));
        try {
            return compressor.compress(src.asSlice(offset, length), compressed.segment());
        } catch (CodecException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private int serialize(PageHeader h) throws IOException {
        header.reset();
        Util.writePageHeader(h, header);
        return header.size();
    }

    /** Finishes the chunk and returns its footer entry. */
    public ColumnChunk end() throws IOException {
        if (dictState == DictState.COLLECTING) {
            flushDictionary();
        }
        ColumnMetaData md = new ColumnMetaData(column.physicalType(), new ArrayList<>(encodings), column.path(),
                thriftCodec, numValues, totalUncompressed, totalCompressed, dataOffset);
        if (dictionaryOffset >= 0) {
            md.setDictionary_page_offset(dictionaryOffset);
        }
        if (options.statistics()) {
            md.setStatistics(columnStats.chunkStatistics());
        }
        List<PageEncodingStats> encodingStats = new ArrayList<>();
        for (PageType t : PageType.values()) {
            for (Encoding e : Encoding.values()) {
                int n = pageCounts[t.ordinal()][e.ordinal()];
                if (n > 0) {
                    encodingStats.add(new PageEncodingStats(t, e, n));
                }
            }
        }
        md.setEncoding_stats(encodingStats);
        ColumnChunk chunk = new ColumnChunk(chunkStart);
        chunk.setMeta_data(md);
        Trace.end(EngineEvents.WRITE_CHUNK, traceStart, column.name(), options.codec().configName(), numValues, totalUncompressed,
                totalCompressed, 0);
        return chunk;
    }

    /** Total stored bytes (headers included) of the chunk just ended. */
    public long chunkCompressedBytes() {
        return totalCompressed;
    }

    /** Total uncompressed bytes (headers included) of the chunk just ended. */
    public long chunkUncompressedBytes() {
        return totalUncompressed;
    }

    /** The file-wide checksums of every column so far. */
    public List<ColumnChecksum> checksums() {
        List<ColumnChecksum> list = new ArrayList<>(stats.size());
        for (ColumnStatistics s : stats) {
            list.add(s.checksum());
        }
        return list;
    }

    @Override
    public void close() {
        if (compressor != null) {
            compressor.close();
        }
        page.close();
        compressed.close();
        pending.close();
        compactor.close();
        if (dictionary != null) {
            dictionary.close();
        }
    }
}
