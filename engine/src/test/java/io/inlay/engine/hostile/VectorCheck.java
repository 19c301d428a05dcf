package io.inlay.engine.hostile;

import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Checks that a decoded vector is structurally sound, so a consumer indexing it by its own
 * offsets and lengths stays inside its buffers, and digests its values (FNV-1a 64 over a
 * canonical byte form) so two reads can be compared without keeping the data.
 */
public final class VectorCheck {
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private VectorCheck() {}

    /**
     * Throws an {@link AssertionError} naming {@code what} unless {@code v} has {@code rows} rows and
     * is sound: null count equal to the cleared validity bits; offsets starting at 0, never
     * decreasing and ending inside the data (or at the child's length); null rows empty (fixed-width
     * null slots zero, variable-length null rows zero bytes long).
     */
    public static void requireSound(ColumnVector v, long rows, String what) {
        if (v.length() != rows) {
            throw new AssertionError(what + ": vector of " + v.length() + " rows, the row group has " + rows);
        }
        sound(v, what);
    }

    private static void sound(ColumnVector v, String what) {
        long n = v.length();
        MemorySegment validity = v.validity();
        if (validity == null) {
            check(v.nullCount() == 0, what, "null count " + v.nullCount() + " without a validity bitmap");
        } else {
            long cleared = 0;
            for (long i = 0; i < n; i++) {
                if (!bit(validity, i)) {
                    cleared++;
                }
            }
            check(cleared == v.nullCount(), what, "null count " + v.nullCount() + " but " + cleared + " cleared validity bits");
        }
        MemorySegment offsets = v.offsets();
        ValueType t = v.type().valueType();
        if (offsets != null) {
            long limit = v.type().list() ? v.child().length() : v.values().byteSize();
            int prev = offsets.get(LE_INT, 0);
            check(prev == 0, what, "first offset " + prev);
            for (long i = 0; i < n; i++) {
                int next = offsets.get(LE_INT, 4 * (i + 1));
                check(next >= prev, what, "offset " + (i + 1) + " = " + next + " is before offset " + i + " = " + prev);
                if (validity != null && !bit(validity, i) && !v.type().list()) {
                    check(next == prev, what, "null row " + i + " has " + (next - prev) + " bytes");
                }
                prev = next;
            }
            check(prev <= limit, what, "last offset " + prev + " is past the " + limit + " available");
            if (v.type().list()) {
                check(prev == v.child().length(), what, "last offset " + prev + " but the child has " + v.child().length());
                sound(v.child(), what + " (elements)");
            }
        } else if (validity != null && !t.isBitPacked()) {
            int w = t.byteWidth();
            for (long i = 0; i < n; i++) {
                if (!bit(validity, i)) {
                    for (int b = 0; b < w; b++) {
                        check(v.values().get(ValueLayout.JAVA_BYTE, i * w + b) == 0, what, "null row " + i + " is not zero");
                    }
                }
            }
        }
    }

    private static boolean bit(MemorySegment bits, long i) {
        return (bits.get(ValueLayout.JAVA_BYTE, i >>> 3) & (1 << (i & 7))) != 0;
    }

    private static void check(boolean ok, String what, String problem) {
        if (!ok) {
            throw new AssertionError(what + ": unsound vector: " + problem);
        }
    }

    /** FNV-1a 64 of the vector's type, rows, nulls and values; continues from {@code seed}. */
    public static long digest(ColumnVector v, long seed) {
        long h = seed;
        h = mixLong(h, v.type().hashCode());
        h = mixLong(h, v.length());
        for (long i = 0; i < v.length(); i++) {
            if (v.isNull(i)) {
                h = mix(h, 0);
                continue;
            }
            h = mix(h, 1);
            h = row(v, i, h);
        }
        return h;
    }

    /** A digest to start from. */
    public static long start() {
        return FNV_OFFSET;
    }

    private static long row(ColumnVector v, long i, long h) {
        if (v.type().list()) {
            int from = v.offset(i);
            int to = v.offset(i + 1);
            h = mixLong(h, to - from);
            ColumnVector c = v.child();
            for (long j = from; j < to; j++) {
                if (c.isNull(j)) {
                    h = mix(h, 0);
                } else {
                    h = mix(h, 1);
                    h = value(c, j, h);
                }
            }
            return h;
        }
        return value(v, i, h);
    }

    private static long value(ColumnVector v, long i, long h) {
        ValueType t = v.type().valueType();
        if (t.isBitPacked()) {
            return mix(h, v.getBoolean(i) ? 1 : 0);
        }
        if (t.isVariableLength()) {
            MemorySegment b = v.getBytes(i);
            h = mixLong(h, b.byteSize());
            for (long k = 0; k < b.byteSize(); k++) {
                h = mix(h, b.get(ValueLayout.JAVA_BYTE, k));
            }
            return h;
        }
        int w = t.byteWidth();
        for (int k = 0; k < w; k++) {
            h = mix(h, v.values().get(ValueLayout.JAVA_BYTE, i * w + k));
        }
        return h;
    }

    private static long mix(long h, int b) {
        return (h ^ (b & 0xff)) * FNV_PRIME;
    }

    private static long mixLong(long h, long v) {
        for (int k = 0; k < 8; k++) {
            h = mix(h, (int) (v >>> (8 * k)));
        }
        return h;
    }
}
