package io.inlay.bench.read;

import io.inlay.codec.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;

/**
 * Where the float values of a single-column file lie, found with parquet-format-structures'
 * Thrift structs rather than Inlay's reader, so the floor benchmarks stand apart from the code
 * they measure. Built once (allocating freely) when a floor contender opens.
 *
 * <p>Supports what benchmark files hold: one float32 leaf column, PLAIN data pages v1 or v2 with
 * no nulls, RLE levels, no dictionary. Anything else is refused with the reason.
 *
 * <pre>
 * file:   PAR1 | chunk 0 pages ... | chunk 1 pages ... | footer (Thrift FileMetaData) | footer length (4 LE) | PAR1
 * page:   Thrift PageHeader | compressed_page_size bytes
 * v1 body (after decompression):
 *         [rep length (4 LE) | rep levels]  if max rep > 0
 *         [def length (4 LE) | def levels]  if max def > 0
 *         PLAIN floats
 * v2 body: rep levels | def levels (never compressed, lengths in the header) | values (compressed if is_compressed)
 * </pre>
 */
final class PageIndex {

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One data page. {@code bodyOffset}/{@code bodySize}: the bytes to decompress (v2: after the
     * levels); {@code v1Levels}: whether the decompressed body starts with length-prefixed levels.
     * For uncompressed pages {@code valuesOffset} is the file offset of the first float, else -1.
     */
    record Page(int rowGroup, long bodyOffset, int bodySize, int uncompressedBodySize, int values,
            boolean compressed, boolean v1Levels, long valuesOffset) {}

    final CompressionCodec codec;
    final int maxRepetition;
    final int maxDefinition;
    final List<Page> pages;
    final int rowGroups;
    final long values;
    final int largestBody;

    private PageIndex(CompressionCodec codec, int maxRep, int maxDef, List<Page> pages, int rowGroups) {
        this.codec = codec;
        this.maxRepetition = maxRep;
        this.maxDefinition = maxDef;
        this.pages = List.copyOf(pages);
        this.rowGroups = rowGroups;
        this.values = pages.stream().mapToLong(Page::values).sum();
        this.largestBody = pages.stream().mapToInt(Page::uncompressedBodySize).max().orElse(0);
    }

    /** Indexes the pages of the file mapped in {@code file}; {@code name} is for messages. */
    static PageIndex build(MemorySegment file, String name) throws IOException {
        long size = file.byteSize();
        if (size < 12 || file.get(ValueLayout.JAVA_INT_UNALIGNED, 0) != file.get(ValueLayout.JAVA_INT_UNALIGNED, size - 4)) {
            throw new IOException(name + ": not a Parquet file (magic missing)");
        }
        int footerLength = file.get(LE_INT, size - 8);
        if (footerLength <= 0 || footerLength > size - 12) {
            throw new IOException(name + ": footer length " + footerLength + " does not fit in " + size + " bytes");
        }
        FileMetaData meta = Util.readFileMetaData(new SegmentStream(file, size - 8 - footerLength, size - 8));
        List<SchemaElement> schema = meta.getSchema();
        int leaves = 0;
        int maxRep = 0;
        int maxDef = 0;
        for (int i = 1; i < schema.size(); i++) {
            SchemaElement e = schema.get(i);
            if (e.getRepetition_type() == FieldRepetitionType.REPEATED) {
                maxRep++;
            }
            if (e.getRepetition_type() != FieldRepetitionType.REQUIRED) {
                maxDef++;
            }
            if (!e.isSetNum_children() || e.getNum_children() == 0) {
                leaves++;
            }
        }
        if (leaves != 1) {
            throw new IOException(name + ": the floor reads files of exactly one column, this one has " + leaves);
        }
        List<Page> pages = new ArrayList<>();
        CompressionCodec codec = null;
        int rg = 0;
        for (RowGroup group : meta.getRow_groups()) {
            ColumnChunk chunk = group.getColumns().get(0);
            ColumnMetaData cm = chunk.getMeta_data();
            CompressionCodec c = CompressionCodec.fromThriftId(cm.getCodec().getValue());
            if (codec != null && c != codec) {
                throw new IOException(name + ": row groups use different codecs (" + codec + ", " + c + ")");
            }
            codec = c;
            long start = cm.isSetDictionary_page_offset() && cm.getDictionary_page_offset() > 0
                    ? Math.min(cm.getDictionary_page_offset(), cm.getData_page_offset()) : cm.getData_page_offset();
            long end = start + cm.getTotal_compressed_size();
            if (start < 4 || end > size - 8 - footerLength || end < start) {
                throw new IOException(name + ": row group " + rg + " chunk [" + start + ", " + end + ") is outside the file");
            }
            long seen = 0;
            long pos = start;
            while (seen < cm.getNum_values()) {
                SegmentStream in = new SegmentStream(file, pos, end);
                PageHeader h = Util.readPageHeader(in);
                long body = in.position();
                if (h.getCompressed_page_size() < 0 || h.getCompressed_page_size() > end - body) {
                    throw new IOException(name + ": page at " + pos + " runs past its chunk");
                }
                Page page = switch (h.getType()) {
                    case DATA_PAGE -> v1(file, name, rg, h, body, c, maxRep, maxDef);
                    case DATA_PAGE_V2 -> v2(name, rg, h, body, c);
                    case DICTIONARY_PAGE -> throw new IOException(name + ": row group " + rg
                            + " is dictionary-encoded; the floor reads PLAIN pages only");
                    default -> null;
                };
                if (page != null) {
                    pages.add(page);
                    seen += h.getType() == PageType.DATA_PAGE ? h.getData_page_header().getNum_values()
                            : h.getData_page_header_v2().getNum_values();
                }
                pos = body + h.getCompressed_page_size();
            }
            rg++;
        }
        return new PageIndex(codec == null ? CompressionCodec.UNCOMPRESSED : codec, maxRep, maxDef, pages, rg);
    }

    private static Page v1(MemorySegment file, String name, int rg, PageHeader h, long body, CompressionCodec codec,
            int maxRep, int maxDef) throws IOException {
        DataPageHeader d = h.getData_page_header();
        checkPlain(name, rg, d.getEncoding());
        if ((maxRep > 0 && d.getRepetition_level_encoding() != Encoding.RLE)
                || (maxDef > 0 && d.getDefinition_level_encoding() != Encoding.RLE)) {
            throw new IOException(name + ": row group " + rg + " has levels that are not RLE");
        }
        boolean compressed = codec != CompressionCodec.UNCOMPRESSED;
        boolean levels = maxRep > 0 || maxDef > 0;
        long valuesOffset = -1;
        if (!compressed) {
            long p = body;
            if (maxRep > 0) {
                p += 4 + Integer.toUnsignedLong(file.get(LE_INT, p));
            }
            if (maxDef > 0) {
                p += 4 + Integer.toUnsignedLong(file.get(LE_INT, p));
            }
            long valueBytes = body + h.getUncompressed_page_size() - p;
            if (valueBytes != 4L * d.getNum_values()) {
                throw new IOException(name + ": row group " + rg + " page holds " + valueBytes + " value bytes for "
                        + d.getNum_values() + " values (nulls are not supported by the floor)");
            }
            valuesOffset = p;
        }
        return new Page(rg, body, h.getCompressed_page_size(), h.getUncompressed_page_size(), d.getNum_values(),
                compressed, levels, valuesOffset);
    }

    private static Page v2(String name, int rg, PageHeader h, long body, CompressionCodec codec) throws IOException {
        DataPageHeaderV2 d = h.getData_page_header_v2();
        checkPlain(name, rg, d.getEncoding());
        if (d.getNum_nulls() != 0) {
            throw new IOException(name + ": row group " + rg + " has nulls; the floor reads non-null floats only");
        }
        int levels = d.getRepetition_levels_byte_length() + d.getDefinition_levels_byte_length();
        boolean compressed = codec != CompressionCodec.UNCOMPRESSED && (!d.isSetIs_compressed() || d.isIs_compressed());
        int values = d.getNum_values();
        long valuesOffset = compressed ? -1 : body + levels;
        return new Page(rg, body + levels, h.getCompressed_page_size() - levels, h.getUncompressed_page_size() - levels,
                values, compressed, false, valuesOffset);
    }

    private static void checkPlain(String name, int rg, Encoding encoding) throws IOException {
        if (encoding != Encoding.PLAIN) {
            throw new IOException(name + ": row group " + rg + " uses " + encoding + "; the floor reads PLAIN floats only");
        }
    }

    /** Skips the length-prefixed v1 levels at the start of a decompressed body; returns the values' offset. */
    long valuesStart(MemorySegment body) {
        long p = 0;
        if (maxRepetition > 0) {
            p += 4 + Integer.toUnsignedLong(body.get(LE_INT, p));
        }
        if (maxDefinition > 0) {
            p += 4 + Integer.toUnsignedLong(body.get(LE_INT, p));
        }
        return p;
    }

    /** An input stream over {@code [from, to)} of a segment, for the Thrift parser. */
    private static final class SegmentStream extends InputStream {
        private final MemorySegment segment;
        private final long limit;
        private long position;

        SegmentStream(MemorySegment segment, long from, long to) {
            this.segment = segment;
            this.position = from;
            this.limit = to;
        }

        long position() {
            return position;
        }

        @Override
        public int read() {
            return position < limit ? segment.get(ValueLayout.JAVA_BYTE, position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= limit) {
                return -1;
            }
            int n = (int) Math.min(len, limit - position);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, b, off, n);
            position += n;
            return n;
        }
    }
}
