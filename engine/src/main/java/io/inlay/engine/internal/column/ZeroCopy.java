package io.inlay.engine.internal.column;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.decode.Decoders;
import io.inlay.engine.internal.io.MappedRanges;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import io.inlay.engine.read.MappedValues;
import io.inlay.engine.read.ParquetCorruptionException;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.UnsupportedParquetException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.Encoding;

/**
 * Finds the values of a chunk of uncompressed PLAIN pages in the mapping, checking on the way
 * that every level says "present": the page's values are then exactly its value section.
 */
public final class ZeroCopy {
    /** Keeps the reads of {@link PageReader#touchPages} from being optimised away. */
    private static final java.util.concurrent.atomic.AtomicLong SINK = new java.util.concurrent.atomic.AtomicLong();

    private ZeroCopy() {}

    public static MappedValues of(MemorySegment file, ChunkLocation chunk, LeafColumn column, ReadOptions options,
            String where) throws ParquetCorruptionException, UnsupportedParquetException, java.io.IOException {
        int width = column.valueType().byteWidth();
        if (width == 0 || width != Decoders.physicalWidth(column)) {
            throw new UnsupportedParquetException(where + ": zero-copy needs fixed-width values stored at their own width; "
                    + column.valueType() + " is not");
        }
        if (chunk.codec() != CompressionCodec.UNCOMPRESSED) {
            throw new UnsupportedParquetException(where + ": zero-copy needs uncompressed pages; the chunk is " + chunk.codec());
        }
        List<MemorySegment> slices = new ArrayList<>();
        long values = 0;
        long touched = 0;
        RleBitPackedDecoder def = new RleBitPackedDecoder();
        try (PageReader pages = new PageReader(options.verifyCrc(), options.maxPageBytes(), options.maxValuesPerPage())) {
            pages.setKeepMapped(true);
            pages.start(new MappedRanges(file), chunk, where);
            while (pages.next()) {
                if (pages.kind() == PageReader.Kind.DICTIONARY) {
                    continue;
                }
                int n = pages.numValues();
                MemorySegment body = pages.body();
                long off;
                Encoding enc;
                if (pages.kind() == PageReader.Kind.DATA_V1) {
                    PageHeaderView h = pages.view();
                    enc = h.encoding();
                    off = 0;
                    if (column.maxRep() > 0) {
                        off = skipSection(body, off, h.repetitionLevelEncoding(), pages);
                    }
                    if (column.maxDef() > 0) {
                        if (h.definitionLevelEncoding() != Encoding.RLE) {
                            throw notPlain(pages, "its definition levels are " + h.definitionLevelEncoding());
                        }
                        long len = sectionLength(body, off, pages);
                        def.init(body, off + 4, len, 32 - Integer.numberOfLeadingZeros(column.maxDef()));
                        requireAllPresent(def, column.maxDef(), n, pages);
                        off += 4 + len;
                    }
                } else {
                    PageHeaderView h = pages.view();
                    enc = h.encoding();
                    off = 0;
                    if (column.maxDef() > 0) {
                        def.init(pages.levels(), h.repetitionLevelsLength(), h.definitionLevelsLength(),
                                32 - Integer.numberOfLeadingZeros(column.maxDef()));
                        requireAllPresent(def, column.maxDef(), n, pages);
                    }
                }
                if (enc != Encoding.PLAIN) {
                    throw notPlain(pages, "it is " + enc + " encoded");
                }
                long bytes = (long) n * width;
                if (bytes > body.byteSize() - off) {
                    throw pages.pageError(n + " PLAIN values need " + bytes + " bytes, the page has " + (body.byteSize() - off));
                }
                MemorySegment slice = body.asSlice(off, bytes);
                // a file truncated while mapped fails here, as corruption, rather than later in the caller's hands
                touched += PageReader.touchPages(slice);
                slices.add(slice);
                values += n;
            }
        } catch (DecodeException e) {
            throw new ParquetCorruptionException(where + ": " + e.getMessage());
        }
        SINK.addAndGet(touched);
        return new MappedValues(column.valueType(), slices, values, chunk.rows());
    }

    private static long sectionLength(MemorySegment body, long off, PageReader pages) throws ParquetCorruptionException {
        if (body.byteSize() - off < 4) {
            throw pages.pageError("the level section's length prefix is missing");
        }
        long len = Integer.toUnsignedLong(body.get(Layouts.LE_INT, off));
        if (len > body.byteSize() - off - 4) {
            throw pages.pageError("a level section of " + len + " bytes runs past the page");
        }
        return len;
    }

    private static long skipSection(MemorySegment body, long off, Encoding enc, PageReader pages)
            throws ParquetCorruptionException, UnsupportedParquetException {
        if (enc != Encoding.RLE) {
            throw notPlain(pages, "its repetition levels are " + enc);
        }
        return off + 4 + sectionLength(body, off, pages);
    }

    private static void requireAllPresent(RleBitPackedDecoder def, int maxDef, int n, PageReader pages)
            throws DecodeException, UnsupportedParquetException {
        long present = def.countRun(maxDef, n);
        if (present != n) {
            throw notPlain(pages, "it has nulls, empty lists or null elements (value " + present + " of " + n + ")");
        }
    }

    private static UnsupportedParquetException notPlain(PageReader pages, String why) {
        return new UnsupportedParquetException(pages.pageError("zero-copy needs uncompressed PLAIN pages of non-null values; "
                + why).getMessage());
    }
}
