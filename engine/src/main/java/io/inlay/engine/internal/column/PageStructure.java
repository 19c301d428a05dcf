package io.inlay.engine.internal.column;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.ReadLimits;
import io.inlay.engine.internal.UnsupportedException;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.SchemaParser.LeafInfo;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.apache.parquet.format.Encoding;

/**
 * Checks the pages of a column chunk Inlay does not decode (an unsupported type): every header
 * parses and fits, the levels hold the page's value count, and PLAIN fixed-width values fit their
 * section. Used by a full verification so that a broken column is found even when it is out of
 * scope. Confined to one thread.
 */
public final class PageStructure implements AutoCloseable {
    private static final int BATCH = 4096;
    private final PageReader pages;
    private final LevelSections levels = new LevelSections();
    private final byte[] buf = new byte[BATCH];

    public PageStructure(ReadLimits limits) {
        pages = new PageReader(limits.verifyCrc(), limits.maxPageBytes(), limits.maxValuesPerPage());
    }

    public void check(ByteRanges file, ChunkLocation chunk, LeafInfo leaf, String where)
            throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        pages.start(file, chunk, where);
        try {
            while (pages.next()) {
                if (pages.kind() != PageReader.Kind.DICTIONARY) {
                    dataPage(leaf);
                }
            }
        } catch (DecodeException e) {
            throw pages.pageError(e.getMessage());
        }
    }

    private void dataPage(LeafInfo leaf) throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        int n = pages.numValues();
        MemorySegment body = pages.body();
        PageHeaderView h = pages.view();
        long off = 0;
        if (pages.kind() == PageReader.Kind.DATA_V1) {
            try {
                off = levels.v1(body, n, leaf.maxRep(), h.repetitionLevelEncoding(), leaf.maxDef(),
                        h.definitionLevelEncoding());
            } catch (UnsupportedException e) {
                throw new UnsupportedParquetException(pages.pageError(e.getMessage()).getMessage());
            }
        } else {
            levels.v2(pages.levels(), h.repetitionLevelsLength(), h.definitionLevelsLength(), leaf.maxRep(), leaf.maxDef());
        }
        if (levels.rep() != null) {
            count(levels.rep(), n, -1);
        }
        long present = levels.def() != null ? count(levels.def(), n, leaf.maxDef()) : n;
        Encoding encoding = h.encoding();
        int valueWidth = switch (leaf.physicalType()) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case INT96 -> 12;
            case FIXED_LEN_BYTE_ARRAY -> leaf.typeLength();
            case BOOLEAN, BYTE_ARRAY -> 0;
        };
        if (encoding == Encoding.PLAIN && valueWidth > 0) {
            long need = present * valueWidth;
            if (need > body.byteSize() - off) {
                throw new DecodeException(present + " PLAIN values of " + valueWidth + " bytes need " + need
                        + " bytes but the page holds " + (body.byteSize() - off));
            }
        }
    }

    /** Reads {@code n} levels; returns how many equal {@code value} (0 when value is -1). */
    private long count(LevelReader r, int n, int value) throws DecodeException {
        long matches = 0;
        int done = 0;
        while (done < n) {
            int want = Math.min(BATCH, n - done);
            int got = r.read(buf, 0, want);
            if (got < want) {
                throw new DecodeException("the levels end after " + (done + got) + " of the page's " + n + " values");
            }
            for (int i = 0; i < got; i++) {
                if (value >= 0 && (buf[i] & 0xff) == value) {
                    matches++;
                }
            }
            done += got;
        }
        return matches;
    }

    @Override
    public void close() {
        pages.close();
    }
}
