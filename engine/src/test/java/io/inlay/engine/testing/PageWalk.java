package io.inlay.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Walks every page of a file with parquet-format-structures (not with Inlay's code), recomputing
 * each page's CRC-32 over its stored bytes and checking the chunk sizes add up.
 */
public final class PageWalk {
    private PageWalk() {}

    /** One page: its header, the column's path, and whether its stored CRC matched. */
    public record Page(String column, int rowGroup, PageHeader header, boolean crcPresent, boolean crcMatches) {}

    public record Result(FileMetaData footer, List<Page> pages) {}

    public static Result walk(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("PAR1", new String(bytes, 0, 4, StandardCharsets.US_ASCII), "leading magic");
        assertEquals("PAR1", new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII), "trailing magic");
        int footerLength = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - footerLength, footerLength));
        List<Page> pages = new ArrayList<>();
        for (int g = 0; g < md.getRow_groups().size(); g++) {
            RowGroup rg = md.getRow_groups().get(g);
            for (ColumnChunk cc : rg.getColumns()) {
                ColumnMetaData cmd = cc.getMeta_data();
                long start = cmd.isSetDictionary_page_offset() ? cmd.getDictionary_page_offset() : cmd.getData_page_offset();
                long end = start + cmd.getTotal_compressed_size();
                long pos = start;
                long values = 0;
                String column = String.join(".", cmd.getPath_in_schema());
                while (pos < end) {
                    ByteArrayInputStream in = new ByteArrayInputStream(bytes, (int) pos, (int) (end - pos));
                    PageHeader h = Util.readPageHeader(in);
                    int headerLength = (int) (end - pos) - in.available();
                    int body = (int) pos + headerLength;
                    CRC32 crc = new CRC32();
                    crc.update(bytes, body, h.getCompressed_page_size());
                    pages.add(new Page(column, g, h, h.isSetCrc(), h.isSetCrc() && h.getCrc() == (int) crc.getValue()));
                    if (h.isSetData_page_header()) {
                        values += h.getData_page_header().getNum_values();
                    } else if (h.isSetData_page_header_v2()) {
                        values += h.getData_page_header_v2().getNum_values();
                    }
                    pos = body + (long) h.getCompressed_page_size();
                }
                assertEquals(end, pos, column + ": pages end exactly at the chunk's end");
                assertEquals(cmd.getNum_values(), values, column + ": num_values of the pages add up");
            }
        }
        assertTrue(md.getRow_groups().stream().allMatch(rg -> rg.getNum_rows() > 0), "no empty row group");
        return new Result(md, pages);
    }

    /** Asserts every page carries a CRC and that it matches the stored bytes. */
    public static Result assertCrcs(Path file) throws IOException {
        Result r = walk(file);
        assertTrue(!r.pages().isEmpty(), "the file has pages");
        for (Page p : r.pages()) {
            assertTrue(p.crcPresent(), () -> file + ": page of " + p.column() + " has no CRC");
            assertTrue(p.crcMatches(), () -> file + ": CRC mismatch in a page of " + p.column() + ": " + p.header());
        }
        return r;
    }
}
