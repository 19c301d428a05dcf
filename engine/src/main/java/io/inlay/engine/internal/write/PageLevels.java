package io.inlay.engine.internal.write;

import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.rle.RleBitPackedEncoder;
import java.lang.foreign.MemorySegment;

/**
 * Writes a page's repetition and definition levels (RLE / bit-packed hybrid) from the Arrow
 * structure of its rows. For a list column (max definition level 3, max repetition level 1):
 *
 * <pre>
 * row                    repetition levels     definition levels
 * null                   0                     0
 * []                     0                     1
 * [a, null, c]           0 1 1                 3 2 3
 * </pre>
 *
 * A page may continue the row the previous one ended in ({@link PageInput#continuesRow()}): its
 * first elements then have repetition level 1 (v1 pages of blob samples; a v1 page need not start
 * at a row boundary when no offset index is written, and Inlay writes none). A scalar column has
 * only definition levels: 1 for a value, 0 for null. Lists are written as
 * runs (one call per row, not per element), so a page of long vectors costs a few calls per row.
 * In v1 pages each level section is preceded by its 4-byte little-endian length; v2 keeps the
 * lengths in the page header instead.
 */
final class PageLevels {

    /**
     * @param levels level entries (the page header's num_values)
     * @param nulls entries without a value (definition level below the maximum)
     * @param repetitionBytes bytes of the repetition section, length prefix included
     * @param definitionBytes bytes of the definition section, length prefix included
     */
    record Counts(long levels, long nulls, long repetitionBytes, long definitionBytes) {}

    private PageLevels() {}

    static Counts write(PageInput in, StoredColumn column, RleBitPackedEncoder rle, GrowableBuffer page,
            boolean lengthPrefixed) {
        long repetitionBytes = 0;
        if (column.list()) {
            long start = page.size();
            long prefix = lengthPrefixed ? page.reserve(4) : -1;
            rle.reset(1, page);
            writeRepetition(in, rle);
            long n = rle.finish();
            if (prefix >= 0) {
                page.setIntLE(prefix, Math.toIntExact(n));
            }
            repetitionBytes = page.size() - start;
        }
        long start = page.size();
        long prefix = lengthPrefixed ? page.reserve(4) : -1;
        rle.reset(column.list() ? 2 : 1, page);
        long[] counts = column.list() ? writeListDefinition(in, rle) : writeScalarDefinition(in, rle);
        long n = rle.finish();
        if (prefix >= 0) {
            page.setIntLE(prefix, Math.toIntExact(n));
        }
        return new Counts(counts[0], counts[1], repetitionBytes, page.size() - start);
    }

    private static void writeRepetition(PageInput in, RleBitPackedEncoder rle) {
        for (int r = 0; r < in.rows(); r++) {
            long len = rowNull(in, r) ? 0 : listLength(in, r);
            if (r == 0 && in.continuesRow()) {
                // the rest of a row the previous page began: every element continues it
                if (len == 0) {
                    throw new IllegalStateException("a page continuing a row needs at least one element");
                }
                rle.writeRun(1, len);
            } else if (len == 0) {
                rle.write(0);
            } else {
                rle.writeRun(0, 1);
                rle.writeRun(1, len - 1);
            }
        }
    }

    /** Returns {levels, nulls}. */
    private static long[] writeScalarDefinition(PageInput in, RleBitPackedEncoder rle) {
        if (in.rowValidity() == null) {
            rle.writeRun(1, in.rows());
            return new long[] {in.rows(), 0};
        }
        long nulls = 0;
        for (int r = 0; r < in.rows(); r++) {
            boolean valid = PageInput.bit(in.rowValidity(), in.rowValidityBit() + r);
            nulls += valid ? 0 : 1;
            rle.write(valid ? 1 : 0);
        }
        return new long[] {in.rows(), nulls};
    }

    private static long[] writeListDefinition(PageInput in, RleBitPackedEncoder rle) {
        if (!in.hasNulls() && in.fixedListSize() > 0) {
            long n = (long) in.rows() * in.fixedListSize();
            rle.writeRun(3, n);
            return new long[] {n, 0};
        }
        long levels = 0;
        long nulls = 0;
        for (int r = 0; r < in.rows(); r++) {
            if (rowNull(in, r)) {
                rle.write(0);
                levels++;
                nulls++;
                continue;
            }
            long len = listLength(in, r);
            if (len == 0) {
                rle.write(1);
                levels++;
                nulls++;
                continue;
            }
            long first = listStart(in, r);
            if (in.elementValidity() == null) {
                rle.writeRun(3, len);
            } else {
                for (long e = first; e < first + len; e++) {
                    boolean valid = PageInput.bit(in.elementValidity(), e);
                    nulls += valid ? 0 : 1;
                    rle.write(valid ? 3 : 2);
                }
            }
            levels += len;
        }
        return new long[] {levels, nulls};
    }

    static boolean rowNull(PageInput in, int r) {
        return in.rowValidity() != null && !PageInput.bit(in.rowValidity(), in.rowValidityBit() + r);
    }

    /** Elements of row {@code r} (whether or not the row is null). */
    static long listLength(PageInput in, int r) {
        if (in.fixedListSize() > 0) {
            return in.fixedListSize();
        }
        MemorySegment o = in.listOffsets();
        long i = in.listOffsetsIndex() + r;
        return (long) o.get(Layouts.LE_INT, (i + 1) * 4) - o.get(Layouts.LE_INT, i * 4);
    }

    /** Absolute index of row {@code r}'s first element. */
    static long listStart(PageInput in, int r) {
        if (in.fixedListSize() > 0) {
            return in.firstElement() + (long) r * in.fixedListSize();
        }
        return in.listOffsets().get(Layouts.LE_INT, (in.listOffsetsIndex() + r) * 4);
    }
}
