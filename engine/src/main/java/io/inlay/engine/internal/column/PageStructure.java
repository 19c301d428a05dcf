package io.inlay.engine.internal.column;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.levels.BitPackedLevelReader;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.SchemaParser.LeafInfo;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import io.inlay.engine.read.ParquetCorruptionException;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.UnsupportedParquetException;
import java.lang.foreign.MemorySegment;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.Type;

/**
 * Checks the pages of a column chunk Inlay does not decode (an unsupported type): every header
 * parses and fits, the levels hold the page's value count, and PLAIN fixed-width values fit their
 * section. Used by a full verification so that a broken column is found even when it is out of
 * scope. Confined to one thread.
 */
public final class PageStructure implements AutoCloseable {
    private static final int BATCH = 4096;
    private final PageReader pages;
    private final RleBitPackedDecoder rle = new RleBitPackedDecoder();
    private final BitPackedLevelReader bits = new BitPackedLevelReader();
    private final byte[] buf = new byte[BATCH];

    public PageStructure(ReadOptions options) {
        pages = new PageReader(options.verifyCrc(), options.maxPageBytes(), options.maxValuesPerPage());
    }

    public void check(ByteRanges file, ChunkLocation chunk, LeafInfo leaf, String where)
            throws ParquetCorruptionException, UnsupportedParquetException, java.io.IOException {
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
        long off = 0;
        long present = n;
        Encoding encoding;
        if (pages.kind() == PageReader.Kind.DATA_V1) {
            PageHeaderView h = pages.view();
            encoding = h.encoding();
            if (leaf.maxRep() > 0) {
                off = levels(body, off, h.repetitionLevelEncoding(), leaf.maxRep(), n, -1);
            }
            if (leaf.maxDef() > 0) {
                long[] counted = new long[1];
                off = levels(body, off, h.definitionLevelEncoding(), leaf.maxDef(), n, 0, counted);
                present = counted[0];
            }
        } else {
            PageHeaderView h = pages.view();
            encoding = h.encoding();
            int rl = h.repetitionLevelsLength();
            if (leaf.maxRep() > 0) {
                rle.init(pages.levels(), 0, rl, width(leaf.maxRep()));
                count(rle, n, -1);
            }
            if (leaf.maxDef() > 0) {
                rle.init(pages.levels(), rl, h.definitionLevelsLength(), width(leaf.maxDef()));
                present = count(rle, n, leaf.maxDef());
            }
        }
        int valueWidth = switch (leaf.physicalType()) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case INT96 -> 12;
            case FIXED_LEN_BYTE_ARRAY -> leaf.typeLength();
            default -> 0;
        };
        if (encoding == Encoding.PLAIN && valueWidth > 0 && leaf.physicalType() != Type.BOOLEAN) {
            long need = present * valueWidth;
            if (need > body.byteSize() - off) {
                throw new DecodeException(present + " PLAIN values of " + valueWidth + " bytes need " + need
                        + " bytes but the page holds " + (body.byteSize() - off));
            }
        }
    }

    private static int width(int maxLevel) {
        return 32 - Integer.numberOfLeadingZeros(maxLevel);
    }

    private long levels(MemorySegment body, long off, Encoding enc, int maxLevel, int n, int countValue)
            throws DecodeException {
        return levels(body, off, enc, maxLevel, n, countValue, new long[1]);
    }

    private long levels(MemorySegment body, long off, Encoding enc, int maxLevel, int n, int countValue, long[] counted)
            throws DecodeException {
        long remaining = body.byteSize() - off;
        if (enc == Encoding.BIT_PACKED) {
            bits.init(body, off, remaining, width(maxLevel), n);
            counted[0] = count(bits, n, countValue == 0 ? maxLevel : -1);
            return off + BitPackedLevelReader.byteLength(n, width(maxLevel));
        }
        if (remaining < 4) {
            throw new DecodeException("the level section's length prefix is missing");
        }
        long len = Integer.toUnsignedLong(body.get(Layouts.LE_INT, off));
        if (len > remaining - 4) {
            throw new DecodeException("a level section of " + len + " bytes runs past the page");
        }
        rle.init(body, off + 4, len, width(maxLevel));
        counted[0] = count(rle, n, countValue == 0 ? maxLevel : -1);
        return off + 4 + len;
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
