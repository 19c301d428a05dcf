package io.inlay.engine.internal.column;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.decode.Bits;
import io.inlay.engine.internal.decode.ValueDecoder;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.OutputBuffer;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import java.lang.foreign.MemorySegment;

/**
 * A chunk's values as they are decoded: the values buffer (bits for booleans, fixed-width
 * values) or the byte-array output, and the number of slots filled, nulls included. Runs of
 * present values are decoded straight into the next slots; batches with nulls are decoded packed
 * and spread out to their slots. Reusable from chunk to chunk; confined to one thread.
 */
final class ValueSlots {
    private final ValueType type;
    private final int width;
    private final boolean isBool;
    private final boolean isBinary;
    private final GrowableBuffer bitScratch;
    private OutputBuffer values;
    private BinaryOutput binary;
    private MemorySegment segment;
    private long slots;
    private long planSlots;

    ValueSlots(ValueType type, GrowableBuffer bitScratch) {
        this.type = type;
        this.width = type.byteWidth();
        this.isBool = type.isBitPacked();
        this.isBinary = type.isVariableLength();
        this.bitScratch = bitScratch;
    }

    /** Makes the next chunks write into these buffers. */
    void outputTo(OutputBuffer values, BinaryOutput binary) {
        this.values = values;
        this.binary = binary;
    }

    /** Starts a chunk planned for {@code planSlots} values and, for byte arrays, {@code planBytes} bytes of them. */
    void begin(long planSlots, long planBytes) {
        this.planSlots = planSlots;
        slots = 0;
        if (isBinary) {
            binary.begin(planSlots, planBytes);
        } else {
            segment = values.begin(bytes(planSlots));
        }
    }

    /** The slots filled so far. */
    long slots() {
        return slots;
    }

    /** The fixed-width values buffer, valid until the next {@link #ensure}. */
    MemorySegment segment() {
        return segment;
    }

    /** The buffer bytes {@code n} values take. */
    long bytes(long n) {
        return isBool ? (n + 7) / 8 : n * width;
    }

    /** Makes room for {@code n} slots in all (fixed-width values; byte arrays grow as they are appended). */
    void ensure(long n) {
        if (!isBinary) {
            long need = bytes(n);
            if (need > segment.byteSize()) {
                segment = values.ensure(Math.max(need, bytes(planSlots)), bytes(slots));
            }
        }
    }

    /** Takes {@code n} values already written in place at the next slots. */
    void placed(long n) {
        slots += n;
    }

    /** Decodes {@code k} present values into the next {@code k} slots. */
    void dense(ValueDecoder d, int k) throws DecodeException {
        checkAvailable(d, k);
        ensure(slots + k);
        if (isBinary) {
            d.readBinary(binary, k);
        } else if (isBool) {
            d.readBits(segment, slots, k);
        } else {
            d.readFixed(segment, slots * width, k);
        }
        slots += k;
    }

    /**
     * Fills the next {@code b} slots: {@code p} present values placed where {@code present[i]} is
     * set, the others marked null in {@code levels} (and zeroed, for fixed-width values).
     */
    void spread(ValueDecoder d, int b, int p, boolean[] present, LevelAssembly levels) throws DecodeException {
        checkAvailable(d, p);
        ensure(slots + b);
        if (isBinary) {
            int i = 0;
            while (i < b) {
                if (present[i]) {
                    int run = 1;
                    while (i + run < b && present[i + run]) {
                        run++;
                    }
                    d.readBinary(binary, run);
                    i += run;
                } else {
                    binary.appendEmpty();
                    levels.markNull(slots + i);
                    i++;
                }
            }
        } else if (isBool) {
            MemorySegment scratch = bitScratch.ensure(Math.max(1, (p + 7) / 8), 0);
            d.readBits(scratch, 0, p);
            int j = 0;
            for (int i = 0; i < b; i++) {
                if (present[i]) {
                    Bits.set(segment, slots + i, Bits.get(scratch, j++));
                } else {
                    Bits.set(segment, slots + i, false);
                    levels.markNull(slots + i);
                }
            }
        } else {
            long base = slots * width;
            d.readFixed(segment, base, p);
            // spread from the back: value j moves to slot i >= j
            int j = p - 1;
            for (int i = b - 1; i >= 0; i--) {
                long dst = base + (long) i * width;
                if (present[i]) {
                    if (j != i) {
                        MemorySegment.copy(segment, base + (long) j * width, segment, dst, width);
                    }
                    j--;
                } else {
                    segment.asSlice(dst, width).fill((byte) 0);
                }
            }
            for (int i = 0; i < b; i++) {
                if (!present[i]) {
                    levels.markNull(slots + i);
                }
            }
        }
        slots += b;
    }

    private static void checkAvailable(ValueDecoder d, long wanted) throws DecodeException {
        if (wanted > d.maxAvailable()) {
            throw new DecodeException("the levels call for " + wanted + " values but the page holds at most "
                    + d.maxAvailable());
        }
    }

    /** The vector of the chunk's values: {@code nulls} of them null, as {@code validity} (null: none) says. */
    ColumnVector finish(long nulls, MemorySegment validity) {
        if (isBinary) {
            return ColumnVector.ofVariableLength(type, slots, nulls, validity, binary.finishOffsets(), binary.finishData());
        }
        return ColumnVector.ofValues(type, slots, nulls, validity, values.finish(bytes(slots)));
    }
}
