package io.inlay.engine.fuzz;

import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.read.ReadOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.Type;

/**
 * The sections of real pages of the corpus, cut apart for seeding the decoder fuzz targets: each data
 * page's definition-level section and values section (decompressed), with its encoding, the
 * column's types and the dictionary page of its chunk. Found with the engine's own page reader.
 */
final class PageSections {

    /**
     * One data page.
     *
     * @param file the file it came from
     * @param physical the column's physical type
     * @param typeLength its FIXED_LEN_BYTE_ARRAY length, or 0
     * @param outWidth the decoded value width (0 for booleans and byte arrays)
     * @param maxDef the column's maximum definition level
     * @param encoding the page's value encoding
     * @param levelCount the page's level count
     * @param defLevels its RLE definition-level section (without a length prefix), or null
     * @param values its values section
     * @param dictionary the chunk's dictionary page body, or null
     * @param dictionaryCount the dictionary's entry count
     */
    record Section(String file, Type physical, int typeLength, int outWidth, int maxDef, Encoding encoding, int levelCount,
            byte[] defLevels, byte[] values, byte[] dictionary, int dictionaryCount) {}

    private static List<Section> all;

    private PageSections() {}

    /** The sections of every corpus file of up to 4 MiB (at most 64 KiB each), computed once. */
    static synchronized List<Section> all() {
        if (all == null) {
            List<Section> out = new ArrayList<>();
            for (Path p : FuzzSupport.corpusFiles(4L << 20)) {
                try {
                    collect(p, out);
                } catch (Exception | InternalError e) {
                    // bad, encrypted and unsupported files give no sections
                }
            }
            if (out.isEmpty() && !FuzzSupport.corpusFiles(4L << 20).isEmpty()) {
                // the seeds must not vanish silently (as they once did when the page reader's API changed)
                throw new IllegalStateException("no page sections could be cut from the corpus");
            }
            all = List.copyOf(out);
        }
        return all;
    }

    private static void collect(Path p, List<Section> out) throws Exception {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            FileStructure fs = FileStructure.read(p.toString(), m, ReadOptions.DEFAULT.maxFooterBytes());
            for (LeafColumn leaf : fs.parsed().leaves()) {
                for (int g = 0; g < fs.rowGroupCount() && g < 2; g++) {
                    ChunkLocation loc = fs.chunk(g, leaf.leafIndex());
                    try (PageReader pages = new PageReader(false, 64 << 20, 1 << 26)) {
                        pages.start(new io.inlay.engine.internal.io.MappedRanges(m), loc, p.toString());
                        byte[] dict = null;
                        int dictCount = 0;
                        int taken = 0;
                        while (pages.next() && taken < 4) {
                            MemorySegment body = pages.body();
                            if (pages.kind() == PageReader.Kind.DICTIONARY) {
                                dict = bytes(body, 0, body.byteSize());
                                dictCount = pages.numValues();
                                continue;
                            }
                            Section s = section(p, leaf, pages, body, dict, dictCount);
                            if (s != null) {
                                out.add(s);
                                taken++;
                            }
                        }
                    }
                }
            }
        }
    }

    private static Section section(Path p, LeafColumn leaf, PageReader pages, MemorySegment body, byte[] dict, int dictCount) {
        long off = 0;
        byte[] def = null;
        Encoding enc;
        if (pages.kind() == PageReader.Kind.DATA_V1) {
            PageHeaderView h = pages.view();
            enc = h.encoding();
            if (leaf.maxRep() > 0) {
                if (h.repetitionLevelEncoding() != Encoding.RLE || body.byteSize() < 4) {
                    return null;
                }
                off += 4 + Integer.toUnsignedLong(body.get(Layouts.LE_INT, 0));
            }
            if (leaf.maxDef() > 0) {
                if (h.definitionLevelEncoding() != Encoding.RLE || body.byteSize() - off < 4) {
                    return null;
                }
                long len = Integer.toUnsignedLong(body.get(Layouts.LE_INT, off));
                if (len > body.byteSize() - off - 4) {
                    return null;
                }
                def = bytes(body, off + 4, len);
                off += 4 + len;
            }
        } else {
            PageHeaderView h = pages.view();
            enc = h.encoding();
            if (leaf.maxDef() > 0) {
                def = bytes(pages.levels(), h.repetitionLevelsLength(), h.definitionLevelsLength());
            }
        }
        if (off > body.byteSize() || body.byteSize() - off > 64 << 10) {
            return null;
        }
        return new Section(p.getFileName().toString(), leaf.physicalType(), leaf.typeLength(), leaf.valueType().byteWidth(),
                leaf.maxDef(), enc, pages.numValues(), def, bytes(body, off, body.byteSize() - off), dict, dictCount);
    }

    private static byte[] bytes(MemorySegment s, long off, long len) {
        return s.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
    }
}
