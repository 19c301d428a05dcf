package io.inlay.engine.internal.column;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.ReadLimits;
import io.inlay.engine.internal.UnsupportedException;
import io.inlay.engine.internal.decode.Decoders;
import io.inlay.engine.internal.io.MappedRanges;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.vector.MappedValues;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.Encoding;

/**
 * Finds the values of a chunk of uncompressed PLAIN pages in the mapping, checking on the way
 * that every level says "present": the page's values are then exactly its value section.
 */
public final class ZeroCopy {
    /** Keeps the reads of {@link #touchPages} from being optimised away. */
    private static final java.util.concurrent.atomic.AtomicLong SINK = new java.util.concurrent.atomic.AtomicLong();

    private ZeroCopy() {}

    public static MappedValues of(MemorySegment file, ChunkLocation chunk, LeafColumn column, ReadLimits limits,
            String where) throws ParquetCorruptionException, UnsupportedParquetException, IOException {
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
        LevelSections levels = new LevelSections();
        try (PageReader pages = new PageReader(limits.verifyCrc(), limits.maxPageBytes(), limits.maxValuesPerPage())) {
            pages.setKeepMapped(true);
            pages.start(new MappedRanges(file), chunk, where);
            while (pages.next()) {
                if (pages.kind() == PageReader.Kind.DICTIONARY) {
                    continue;
                }
                int n = pages.numValues();
                MemorySegment body = pages.body();
                long off = valuesOffset(pages, body, levels, column, n);
                Encoding enc = pages.view().encoding();
                if (enc != Encoding.PLAIN) {
                    throw notPlain(pages, "it is " + enc + " encoded");
                }
                long bytes = (long) n * width;
                if (bytes > body.byteSize() - off) {
                    throw pages.pageError(n + " PLAIN values need " + bytes + " bytes, the page has " + (body.byteSize() - off));
                }
                MemorySegment slice = body.asSlice(off, bytes);
                // a file truncated while mapped fails here, as corruption, rather than later in the caller's hands
                touched += touchPages(slice);
                slices.add(slice);
                values += n;
            }
        } catch (DecodeException e) {
            throw new ParquetCorruptionException(where + ": " + e.getMessage());
        }
        SINK.addAndGet(touched);
        return new MappedValues(column.valueType(), slices, values, chunk.rows());
    }

    /**
     * Where the current data page's values start in {@code body} (after v1's level sections; v2's are
     * apart), once its levels are known to say that every value is present.
     */
    private static long valuesOffset(PageReader pages, MemorySegment body, LevelSections levels, LeafColumn column, int n)
            throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        PageHeaderView h = pages.view();
        long off = 0;
        if (pages.kind() == PageReader.Kind.DATA_V1) {
            if (column.maxRep() > 0 && h.repetitionLevelEncoding() != Encoding.RLE) {
                throw notPlain(pages, "its repetition levels are " + h.repetitionLevelEncoding());
            }
            if (column.maxDef() > 0 && h.definitionLevelEncoding() != Encoding.RLE) {
                throw notPlain(pages, "its definition levels are " + h.definitionLevelEncoding());
            }
            try {
                off = levels.v1(body, n, column.maxRep(), h.repetitionLevelEncoding(), column.maxDef(),
                        h.definitionLevelEncoding());
            } catch (DecodeException | UnsupportedException e) {
                throw pages.pageError(e.getMessage());
            }
        } else {
            levels.v2(pages.levels(), h.repetitionLevelsLength(), h.definitionLevelsLength(), column.maxRep(),
                    column.maxDef());
        }
        if (levels.def() != null) {
            requireAllPresent(levels.def(), column.maxDef(), n, pages);
        }
        return off;
    }

    private static void requireAllPresent(LevelReader def, int maxDef, int n, PageReader pages)
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

    /**
     * Reads one byte of every OS page of a mapped region from Java. If the file was truncated while
     * mapped, the fault (SIGBUS) then happens here, where the JVM turns it into an
     * {@link InternalError} that the reader reports as corruption (zero-copy slices are checked so
     * before they are handed out). One read per OS page ({@link Posix#PAGE_SIZE}).
     *
     * @return a value derived from the bytes read, for the caller to keep so the reads stay
     */
    static long touchPages(MemorySegment region) {
        long n = region.byteSize();
        long sum = 0;
        for (long at = 0; at < n; at += Posix.PAGE_SIZE) {
            sum += region.get(ValueLayout.JAVA_BYTE, at);
        }
        if (n > 0) {
            sum += region.get(ValueLayout.JAVA_BYTE, n - 1);
        }
        return sum;
    }
}
