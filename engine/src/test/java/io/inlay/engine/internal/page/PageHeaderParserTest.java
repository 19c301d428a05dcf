package io.inlay.engine.internal.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.conformance.Corpus;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free page header parser against parquet-format-structures' Thrift classes: every
 * page header of every corpus file must parse to the same fields and length, and headers the Thrift
 * classes write (statistics, CRCs, every page kind) must round trip. Truncated and damaged headers
 * must end in {@link DecodeException}, never another exception.
 */
class PageHeaderParserTest {

    @Test
    void everyPageHeaderOfTheCorpusParsesAsThriftParsesIt() throws IOException {
        Path data = Corpus.dir().resolve("parquet-testing").resolve("data");
        List<Path> files;
        try (Stream<Path> s = Files.list(data)) {
            files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        PageHeaderParser parser = new PageHeaderParser();
        PageHeaderView view = new PageHeaderView();
        int headers = 0;
        int filesRead = 0;
        for (Path f : files) {
            try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(f)) {
                MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
                FileStructure fs;
                try {
                    fs = FileStructure.read(f.toString(), map, 1 << 26);
                } catch (Exception e) {
                    continue; // encrypted, unsupported or bad files: their footers are tested elsewhere
                }
                filesRead++;
                for (int g = 0; g < fs.rowGroupCount(); g++) {
                    for (int leaf = 0; leaf < fs.parsed().allLeaves().size(); leaf++) {
                        ChunkLocation c = fs.chunk(g, leaf);
                        long pos = c.start();
                        long values = 0;
                        while (values < c.numValues() && pos < c.dataEnd()) {
                            byte[] bytes = map.asSlice(pos, Math.min(c.dataEnd() - pos, 1 << 16)).toArray(ValueLayout.JAVA_BYTE);
                            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
                            PageHeader expected;
                            try {
                                expected = Util.readPageHeader(in);
                            } catch (IOException e) {
                                break; // a malformed chunk the Thrift classes refuse too
                            }
                            int length = bytes.length - in.available();
                            try {
                                parser.parse(map, pos, c.dataEnd() - pos, view);
                            } catch (DecodeException e) {
                                throw new AssertionError(f.getFileName() + " rg " + g + " col " + leaf + " at " + pos
                                        + ": Thrift parses " + expected + ", the parser says " + e.getMessage());
                            }
                            String where = f.getFileName() + " rg " + g + " col " + leaf + " at " + pos;
                            assertSame(expected, length, view, where);
                            headers++;
                            if (expected.getType() != PageType.DICTIONARY_PAGE) {
                                values += view.numValues();
                            }
                            pos += length + (long) expected.getCompressed_page_size();
                        }
                    }
                }
            }
        }
        assertTrue(filesRead > 50, "only " + filesRead + " corpus files could be opened");
        assertTrue(headers > 1000, "only " + headers + " page headers compared");
    }

    @Test
    void headersWrittenByTheThriftClassesRoundTrip() throws Exception {
        for (PageHeader h : samples()) {
            byte[] bytes = write(h);
            PageHeaderView view = parse(bytes);
            assertSame(h, bytes.length, view, h.toString());
        }
    }

    @Test
    void aHeaderCutAnywhereOrDamagedFailsAsDecodeException() throws Exception {
        for (PageHeader h : samples()) {
            byte[] bytes = write(h);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] shorter = java.util.Arrays.copyOf(bytes, cut);
                assertThrows(DecodeException.class, () -> parse(shorter), "cut at " + cut + " of " + h);
            }
            for (int i = 0; i < bytes.length; i++) {
                for (int x : new int[] {0xff, 0x80, 0x0f, 0x01}) {
                    byte[] damaged = bytes.clone();
                    damaged[i] ^= (byte) x;
                    PageHeader thrift = thriftParse(damaged);
                    if (thrift != null && knownEnums(thrift)) {
                        // what parquet-format's Thrift classes accept, the parser reads the same way
                        ByteArrayInputStream in = new ByteArrayInputStream(damaged);
                        try {
                            Util.readPageHeader(in);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                        PageHeaderView v;
                        try {
                            v = parse(damaged);
                        } catch (DecodeException e) {
                            throw new AssertionError("byte " + i + " ^ " + x + ": Thrift reads " + thrift + ", the parser says "
                                    + e.getMessage());
                        }
                        assertSame(thrift, damaged.length - in.available(), v, "byte " + i + " ^ " + x);
                    } else {
                        try {
                            parse(damaged); // may parse as another header
                        } catch (DecodeException expectedFailure) {
                            // refused: fine
                        }
                    }
                }
            }
        }
    }

    @Test
    void requiredFieldsAndTypesAreChecked() throws Exception {
        PageHeader noBody = new PageHeader(PageType.DATA_PAGE, 10, 10);
        PageHeaderView v = parse(write(noBody));
        assertEquals(null, v.typeHeader, "a data page without its data page header parses; the page reader refuses it");

        // PageHeader{type: i64 instead of i32}: field 1, compact type 6
        byte[] wrongType = {0x16, 0x02, 0x15, 0x14, 0x15, 0x14, 0x00};
        DecodeException e = assertThrows(DecodeException.class, () -> parse(wrongType));
        assertTrue(e.getMessage().contains("type"), e.getMessage());

        // a page type that is not one of Parquet's
        byte[] badPageType = {0x15, 0x0e, 0x15, 0x14, 0x15, 0x14, 0x00};
        e = assertThrows(DecodeException.class, () -> parse(badPageType));
        assertTrue(e.getMessage().contains("page type 7"), e.getMessage());

        // a skipped field nested deeper than the parser allows
        byte[] nested = new byte[7 + 80];
        int p = 0;
        for (byte b : new byte[] {0x15, 0x00, 0x15, 0x14, 0x15, 0x14}) {
            nested[p++] = b;
        }
        nested[p++] = (byte) 0x6c; // field 3 + 6 = 9, struct
        for (int i = 0; i < 80; i++) {
            nested[p++] = 0x1c; // field 1, struct
        }
        byte[] tooDeep = java.util.Arrays.copyOf(nested, p);
        e = assertThrows(DecodeException.class, () -> parse(tooDeep));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());

        // a skipped binary whose length runs past the region
        byte[] longBinary = {0x15, 0x00, 0x15, 0x14, 0x15, 0x14, 0x68, (byte) 0xff, (byte) 0xff, 0x03, 0x00};
        e = assertThrows(DecodeException.class, () -> parse(longBinary));
        assertTrue(e.getMessage().contains("runs past"), e.getMessage());
    }

    private static List<PageHeader> samples() {
        PageHeader v1 = new PageHeader(PageType.DATA_PAGE, 1000, 400);
        v1.setCrc(0x12345678);
        Statistics st = new Statistics();
        st.setMin_value(new byte[] {1, 2, 3});
        st.setMax_value(new byte[] {9, 9, 9, 9});
        st.setNull_count(7);
        st.setDistinct_count(300);
        DataPageHeader d = new DataPageHeader(250, Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED);
        d.setStatistics(st);
        v1.setData_page_header(d);

        PageHeader v2 = new PageHeader(PageType.DATA_PAGE_V2, 70_000, 65_000);
        DataPageHeaderV2 d2 = new DataPageHeaderV2(5000, 12, 4000, Encoding.DELTA_BINARY_PACKED, 300, 200);
        d2.setIs_compressed(false);
        d2.setStatistics(st);
        v2.setData_page_header_v2(d2);

        PageHeader v2Compressed = new PageHeader(PageType.DATA_PAGE_V2, 10, 8);
        v2Compressed.setData_page_header_v2(new DataPageHeaderV2(1, 0, 1, Encoding.PLAIN, 0, 0));

        PageHeader dict = new PageHeader(PageType.DICTIONARY_PAGE, Integer.MAX_VALUE, 0);
        DictionaryPageHeader dh = new DictionaryPageHeader(-1, Encoding.PLAIN_DICTIONARY);
        dh.setIs_sorted(true);
        dict.setDictionary_page_header(dh);
        return List.of(v1, v2, v2Compressed, dict);
    }

    private static PageHeader thriftParse(byte[] bytes) {
        try {
            return Util.readPageHeader(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Thrift reads an enum value it does not know as null; the parser refuses it. */
    private static boolean knownEnums(PageHeader h) {
        if (h.getType() == null) {
            return false;
        }
        if (h.isSetData_page_header()) {
            DataPageHeader d = h.getData_page_header();
            return d.getEncoding() != null && d.getDefinition_level_encoding() != null && d.getRepetition_level_encoding() != null;
        }
        if (h.isSetData_page_header_v2()) {
            return h.getData_page_header_v2().getEncoding() != null;
        }
        if (h.isSetDictionary_page_header()) {
            return h.getDictionary_page_header().getEncoding() != null;
        }
        return true;
    }

    private static byte[] write(PageHeader h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Util.writePageHeader(h, out);
        return out.toByteArray();
    }

    private static PageHeaderView parse(byte[] bytes) throws DecodeException {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        PageHeaderView v = new PageHeaderView();
        new PageHeaderParser().parse(seg, 0, bytes.length, v);
        return v;
    }

    private static void assertSame(PageHeader h, int length, PageHeaderView v, String where) {
        assertEquals(length, v.encodedLength(), where + ": header length");
        assertEquals(h.getType(), v.type(), where);
        assertEquals(h.getUncompressed_page_size(), v.uncompressedSize(), where);
        assertEquals(h.getCompressed_page_size(), v.compressedSize(), where);
        assertEquals(h.isSetCrc(), v.hasCrc(), where);
        if (h.isSetCrc()) {
            assertEquals(h.getCrc(), v.crc(), where);
        }
        if (h.isSetData_page_header()) {
            DataPageHeader d = h.getData_page_header();
            assertEquals(PageType.DATA_PAGE, v.typeHeader, where);
            assertEquals(d.getNum_values(), v.numValues(), where);
            assertEquals(d.getEncoding(), v.encoding(), where);
            assertEquals(d.getDefinition_level_encoding(), v.definitionLevelEncoding(), where);
            assertEquals(d.getRepetition_level_encoding(), v.repetitionLevelEncoding(), where);
        } else if (h.isSetData_page_header_v2()) {
            DataPageHeaderV2 d = h.getData_page_header_v2();
            assertEquals(PageType.DATA_PAGE_V2, v.typeHeader, where);
            assertEquals(d.getNum_values(), v.numValues(), where);
            assertEquals(d.getNum_nulls(), v.numNulls(), where);
            assertEquals(d.getNum_rows(), v.numRows(), where);
            assertEquals(d.getEncoding(), v.encoding(), where);
            assertEquals(d.getDefinition_levels_byte_length(), v.definitionLevelsLength(), where);
            assertEquals(d.getRepetition_levels_byte_length(), v.repetitionLevelsLength(), where);
            assertEquals(!d.isSetIs_compressed() || d.isIs_compressed(), v.isCompressed(), where);
        } else if (h.isSetDictionary_page_header()) {
            DictionaryPageHeader d = h.getDictionary_page_header();
            assertEquals(PageType.DICTIONARY_PAGE, v.typeHeader, where);
            assertEquals(d.getNum_values(), v.numValues(), where);
            assertEquals(d.getEncoding(), v.encoding(), where);
        }
    }
}
