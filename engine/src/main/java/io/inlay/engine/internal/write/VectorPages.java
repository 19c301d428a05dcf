package io.inlay.engine.internal.write;

import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.vector.ColumnType;
import io.inlay.engine.vector.ColumnVector;
import java.lang.foreign.MemorySegment;

/**
 * Cuts caller-held {@link ColumnVector}s into pages: checks a vector against its column once per
 * row group (so encoders can trust offsets), finds how many rows fit a page, and describes a row
 * range as a {@link PageInput}. Stateless.
 */
public final class VectorPages {

    private VectorPages() {}

    /**
     * Checks that {@code v} holds column {@code c}'s type and that its offsets are usable.
     *
     * @throws IllegalArgumentException naming the column and the problem
     */
    public static void validate(StoredColumn c, ColumnVector v) {
        ColumnType expected = c.spec().columnType();
        if (!expected.equals(v.type())) {
            throw new IllegalArgumentException("column '" + c.name() + "' is " + expected + " but the vector holds " + v.type());
        }
        if (v.type().list()) {
            checkOffsets(c, "list offsets", v.offsets(), v.length(), v.child().length());
            checkValues(c, v.child());
        } else {
            checkValues(c, v);
        }
    }

    private static void checkValues(StoredColumn c, ColumnVector v) {
        if (v.type().valueType().isVariableLength()) {
            checkOffsets(c, "value offsets", v.offsets(), v.length(), v.values().byteSize());
        }
    }

    /** Checks {@code n + 1} offsets are non-negative, non-decreasing and end within {@code limit}; returns the last. */
    private static long checkOffsets(StoredColumn c, String what, MemorySegment offsets, long n, long limit) {
        int prev = offsets.get(Layouts.LE_INT, 0);
        if (prev < 0) {
            throw new IllegalArgumentException("column '" + c.name() + "': " + what + "[0] is " + prev);
        }
        for (long i = 1; i <= n; i++) {
            int next = offsets.get(Layouts.LE_INT, i * 4);
            if (next < prev) {
                throw new IllegalArgumentException("column '" + c.name() + "': " + what + " decrease at " + i
                        + " (" + prev + " then " + next + ")");
            }
            prev = next;
        }
        if (prev > limit) {
            throw new IllegalArgumentException("column '" + c.name() + "': " + what + " end at " + prev
                    + " but only " + limit + " are there");
        }
        return prev;
    }

    /** How many rows from {@code first} (at least 1, at most {@code remaining}) fit {@code target} value bytes. */
    public static int rowsPerPage(StoredColumn c, ColumnVector v, long first, long remaining, long target) {
        long max = Math.min(remaining, Integer.MAX_VALUE);
        if (!v.type().list() && !c.variableLength()) {
            long perRow = c.bool() ? 1 : c.plainWidth() * 8L;
            return (int) Math.max(1, Math.min(max, target * 8 / perRow));
        }
        long lo = 1;
        long hi = max;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (bytes(c, v, first, mid) <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return (int) lo;
    }

    /** PLAIN bytes of rows {@code [first, first + rows)}, for sizing pages. */
    private static long bytes(StoredColumn c, ColumnVector v, long first, long rows) {
        if (!v.type().list()) {
            return rows * 4 + offset(v, first + rows) - offset(v, first);
        }
        long e0 = offset(v, first);
        long e1 = offset(v, first + rows);
        ColumnVector child = v.child();
        if (c.variableLength()) {
            return (e1 - e0) * 4 + offset(child, e1) - offset(child, e0);
        }
        return c.bool() ? (e1 - e0 + 7) / 8 : (e1 - e0) * c.plainWidth();
    }

    private static long offset(ColumnVector v, long i) {
        return v.offsets().get(Layouts.LE_INT, i * 4);
    }

    /** Rows {@code [first, first + rows)} of {@code v} as a page. */
    public static PageInput page(ColumnVector v, long first, int rows) {
        if (v.type().list()) {
            ColumnVector child = v.child();
            long e0 = offset(v, first);
            long e1 = offset(v, first + rows);
            return new PageInput(rows, v.validity(), first, true, 0, v.offsets(), first, child.validity(), e0,
                    e1 - e0, child.values(), child.offsets());
        }
        return new PageInput(rows, v.validity(), first, false, 0, null, 0, null, first, rows, v.values(), v.offsets());
    }
}
