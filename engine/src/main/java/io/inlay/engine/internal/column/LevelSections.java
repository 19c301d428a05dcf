package io.inlay.engine.internal.column;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.UnsupportedException;
import io.inlay.engine.internal.levels.BitPackedLevelReader;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import java.lang.foreign.MemorySegment;
import org.apache.parquet.format.Encoding;

/**
 * A data page's repetition and definition levels, set up as {@link LevelReader}s: the one parser
 * of a v1 page's level sections (the column decoder, zero-copy and structure checks share it) and
 * the v2 page's separately stored ones. Reusable from page to page; confined to one thread.
 *
 * <p>A v1 page body starts with its level sections, repetition first, each present only when the
 * column's maximum level is above 0:
 *
 * <pre>
 * RLE:        | length: u32 LE | length bytes of RLE / bit-packed hybrid |
 * BIT_PACKED: | ceil(n * bitWidth / 8) bytes, packed MSB first (deprecated, no prefix) |
 * </pre>
 *
 * A v2 page stores them uncompressed ahead of its values, always RLE, without prefixes: their
 * lengths are in the page header.
 */
final class LevelSections {
    private final RleBitPackedDecoder repRle = new RleBitPackedDecoder();
    private final RleBitPackedDecoder defRle = new RleBitPackedDecoder();
    private final BitPackedLevelReader repBits = new BitPackedLevelReader();
    private final BitPackedLevelReader defBits = new BitPackedLevelReader();
    private LevelReader rep;
    private LevelReader def;

    /** The bits one level of {@code maxLevel} takes. */
    static int bitWidth(int maxLevel) {
        return 32 - Integer.numberOfLeadingZeros(maxLevel);
    }

    /**
     * Sets up the level sections at the start of a v1 page body of {@code n} levels.
     *
     * @return where the page's values start in {@code body}
     * @throws DecodeException when a section is cut short or runs past the body
     * @throws UnsupportedException when a level encoding is neither RLE nor BIT_PACKED
     */
    long v1(MemorySegment body, int n, int maxRep, Encoding repEncoding, int maxDef, Encoding defEncoding)
            throws DecodeException, UnsupportedException {
        long off = 0;
        rep = null;
        def = null;
        if (maxRep > 0) {
            off = section(body, off, repEncoding, maxRep, n, repRle, repBits);
            rep = repEncoding == Encoding.BIT_PACKED ? repBits : repRle;
        }
        if (maxDef > 0) {
            off = section(body, off, defEncoding, maxDef, n, defRle, defBits);
            def = defEncoding == Encoding.BIT_PACKED ? defBits : defRle;
        }
        return off;
    }

    /** Sets up a v2 page's levels: {@code repLength} bytes of repetition levels, then {@code defLength} of definition. */
    void v2(MemorySegment levels, int repLength, int defLength, int maxRep, int maxDef) throws DecodeException {
        rep = null;
        def = null;
        if (maxRep > 0) {
            repRle.init(levels, 0, repLength, bitWidth(maxRep));
            rep = repRle;
        }
        if (maxDef > 0) {
            defRle.init(levels, repLength, defLength, bitWidth(maxDef));
            def = defRle;
        }
    }

    /** The repetition levels last set up, or null when the column has none. */
    LevelReader rep() {
        return rep;
    }

    /** The definition levels last set up, or null when the column has none. */
    LevelReader def() {
        return def;
    }

    private static long section(MemorySegment body, long off, Encoding enc, int maxLevel, int n, RleBitPackedDecoder rle,
            BitPackedLevelReader bits) throws DecodeException, UnsupportedException {
        long remaining = body.byteSize() - off;
        int bw = bitWidth(maxLevel);
        if (enc == Encoding.RLE) {
            if (remaining < 4) {
                throw new DecodeException("the level section's length prefix is missing (" + remaining + " bytes left)");
            }
            long len = Integer.toUnsignedLong(body.get(Layouts.LE_INT, off));
            if (len > remaining - 4) {
                throw new DecodeException("a level section of " + len + " bytes runs past the page (" + (remaining - 4)
                        + " bytes left)");
            }
            rle.init(body, off + 4, len, bw);
            return off + 4 + len;
        }
        if (enc == Encoding.BIT_PACKED) {
            bits.init(body, off, remaining, bw, n);
            return off + BitPackedLevelReader.byteLength(n, bw);
        }
        throw new UnsupportedException("level encoding " + enc + " is not supported");
    }
}
