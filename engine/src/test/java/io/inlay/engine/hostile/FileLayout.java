package io.inlay.engine.hostile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;

/**
 * Where everything is in a valid Parquet file, found independently of Inlay's reader with
 * parquet-format's own Thrift code: the footer, and every page header and body of every column
 * chunk. It tells a mutation test which bytes a mutation touched and whether the mutated file
 * still means the same data ({@link #classify}).
 */
public final class FileLayout {

    /**
     * One page of a column chunk.
     *
     * @param rowGroup its row group
     * @param leaf its column chunk index
     * @param headerStart the offset of its header
     * @param bodyStart the offset of its body (the header's end)
     * @param bodyEnd the end of its body
     * @param header the parsed header
     */
    public record Page(int rowGroup, int leaf, long headerStart, long bodyStart, long bodyEnd, PageHeader header) {
        /** Whether a reader verifying CRCs must notice a change of its body. */
        public boolean crcProtected() {
            return header.isSetCrc() && (header.getType() == PageType.DATA_PAGE || header.getType() == PageType.DATA_PAGE_V2
                    || header.getType() == PageType.DICTIONARY_PAGE);
        }
    }

    /** What a mutation did to the file's meaning. */
    public enum Effect {
        /** Only bytes a reader ignores changed (statistics, key-value metadata, gaps between chunks...): same data. */
        SAME_DATA,
        /** Besides ignorable bytes, only bodies of CRC-protected pages changed, their headers intact. */
        CRC_PROTECTED_BODIES,
        /** Anything else: the file may mean other data, or be invalid. */
        OTHER
    }

    private final byte[] bytes;
    private final long footerStart;
    private final int footerLength;
    private final FileMetaData meta;
    private final FileMetaData strippedMeta;
    private final List<Page> pages;

    private FileLayout(byte[] bytes, long footerStart, int footerLength, FileMetaData meta, List<Page> pages) {
        this.bytes = bytes;
        this.footerStart = footerStart;
        this.footerLength = footerLength;
        this.meta = meta;
        this.strippedMeta = strip(meta);
        this.pages = List.copyOf(pages);
    }

    /** Lays out a valid file. */
    public static FileLayout of(byte[] file) throws IOException {
        int size = file.length;
        int footerLength = ByteBuffer.wrap(file, size - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        long footerStart = size - 8L - footerLength;
        FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(file, (int) footerStart, footerLength));
        List<Page> pages = new ArrayList<>();
        for (int g = 0; g < meta.getRow_groupsSize(); g++) {
            RowGroup rg = meta.getRow_groups().get(g);
            for (int c = 0; c < rg.getColumnsSize(); c++) {
                walk(file, g, c, rg.getColumns().get(c).getMeta_data(), footerStart, pages);
            }
        }
        return new FileLayout(file, footerStart, footerLength, meta, pages);
    }

    private static void walk(byte[] file, int g, int c, ColumnMetaData md, long dataEnd, List<Page> out) throws IOException {
        long pos = md.getData_page_offset();
        if (md.isSetDictionary_page_offset() && md.getDictionary_page_offset() > 0) {
            pos = Math.min(pos, md.getDictionary_page_offset());
        }
        long values = 0;
        while (values < md.getNum_values() && pos < dataEnd) {
            ByteArrayInputStream in = new ByteArrayInputStream(file, (int) pos, (int) (dataEnd - pos));
            PageHeader h = Util.readPageHeader(in);
            long bodyStart = dataEnd - in.available();
            long bodyEnd = bodyStart + h.getCompressed_page_size();
            out.add(new Page(g, c, pos, bodyStart, bodyEnd, h));
            if (h.isSetData_page_header()) {
                values += h.getData_page_header().getNum_values();
            } else if (h.isSetData_page_header_v2()) {
                values += h.getData_page_header_v2().getNum_values();
            }
            pos = bodyEnd;
        }
    }

    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    public long footerStart() {
        return footerStart;
    }

    public int footerLength() {
        return footerLength;
    }

    public FileMetaData meta() {
        return meta;
    }

    public List<Page> pages() {
        return pages;
    }

    /** Where the last page of any chunk ends: the file cut anywhere before it loses page data. */
    public long pagesEnd() {
        long end = 4;
        for (Page p : pages) {
            end = Math.max(end, p.bodyEnd());
        }
        return end;
    }

    /** Whether some page carries a CRC. */
    public boolean hasCrcs() {
        return pages.stream().anyMatch(Page::crcProtected);
    }

    /**
     * What a same-size mutation did, judged by parsing the mutated footer and page headers with
     * parquet-format and comparing them, stripped of what a reader ignores, with the originals.
     */
    public Effect classify(byte[] mutated) {
        if (mutated.length != bytes.length) {
            return Effect.OTHER;
        }
        int first = java.util.Arrays.mismatch(bytes, mutated);
        if (first < 0) {
            return Effect.SAME_DATA;
        }
        int size = bytes.length;
        if (changed(mutated, 0, 4) || changed(mutated, size - 8, size)) {
            return Effect.OTHER;
        }
        if (changed(mutated, footerStart, footerStart + footerLength)) {
            try {
                FileMetaData m = Util.readFileMetaData(new ByteArrayInputStream(mutated, (int) footerStart, footerLength));
                if (!strip(m).equals(strippedMeta)) {
                    return Effect.OTHER;
                }
            } catch (IOException | RuntimeException e) {
                return Effect.OTHER;
            }
        }
        boolean crcBodies = false;
        for (Page p : pages) {
            if (changed(mutated, p.headerStart(), p.bodyStart())) {
                try {
                    ByteArrayInputStream in = new ByteArrayInputStream(mutated, (int) p.headerStart(),
                            (int) (footerStart - p.headerStart()));
                    PageHeader h = Util.readPageHeader(in);
                    long end = footerStart - in.available();
                    if (end != p.bodyStart() || !strip(h).equals(strip(p.header()))) {
                        return Effect.OTHER;
                    }
                } catch (IOException | RuntimeException e) {
                    return Effect.OTHER;
                }
            }
            if (changed(mutated, p.bodyStart(), p.bodyEnd())) {
                if (!p.crcProtected()) {
                    return Effect.OTHER;
                }
                crcBodies = true;
            }
        }
        return crcBodies ? Effect.CRC_PROTECTED_BODIES : Effect.SAME_DATA;
    }

    private boolean changed(byte[] mutated, long from, long to) {
        return java.util.Arrays.mismatch(bytes, (int) from, (int) to, mutated, (int) from, (int) to) >= 0;
    }

    /**
     * The footer without what a reader may ignore: statistics, key-value metadata, writer name,
     * version, the footer's own row count (readers count row groups' rows), column orders, index,
     * bloom-filter and encoding-statistics locations, encodings lists, sizes recorded for planning
     * (when not negative).
     */
    public static FileMetaData strip(FileMetaData original) {
        FileMetaData m = original.deepCopy();
        m.unsetKey_value_metadata();
        m.unsetCreated_by();
        m.setVersion(0);
        m.setNum_rows(0);
        m.unsetColumn_orders();
        if (m.getSchema() != null) {
            for (SchemaElement e : m.getSchema()) {
                if (e != null) {
                    e.unsetField_id();
                }
            }
        }
        if (m.getRow_groups() != null) {
            for (RowGroup rg : m.getRow_groups()) {
                rg.setTotal_byte_size(0);
                rg.unsetFile_offset();
                rg.unsetTotal_compressed_size();
                rg.unsetSorting_columns();
                rg.unsetOrdinal();
                if (rg.getColumns() == null) {
                    continue;
                }
                for (ColumnChunk cc : rg.getColumns()) {
                    cc.setFile_offset(0);
                    cc.unsetOffset_index_offset();
                    cc.unsetOffset_index_length();
                    cc.unsetColumn_index_offset();
                    cc.unsetColumn_index_length();
                    ColumnMetaData md = cc.getMeta_data();
                    if (md != null) {
                        md.unsetStatistics();
                        md.unsetEncoding_stats();
                        md.unsetKey_value_metadata();
                        md.unsetBloom_filter_offset();
                        md.unsetBloom_filter_length();
                        md.unsetSize_statistics();
                        md.unsetGeospatial_statistics();
                        md.setEncodings(List.of());
                        // a plan for memory, not needed to read; a negative one is invalid and may be refused
                        md.setTotal_uncompressed_size(Math.min(0, md.getTotal_uncompressed_size()));
                        md.unsetIndex_page_offset();
                    }
                }
            }
        }
        return m;
    }

    /** A page header without its statistics (and a dictionary's sortedness flag). */
    public static PageHeader strip(PageHeader original) {
        PageHeader h = original.deepCopy();
        if (h.isSetData_page_header()) {
            h.getData_page_header().unsetStatistics();
        }
        if (h.isSetData_page_header_v2()) {
            h.getData_page_header_v2().unsetStatistics();
        }
        if (h.isSetDictionary_page_header()) {
            h.getDictionary_page_header().unsetIs_sorted();
        }
        return h;
    }
}
