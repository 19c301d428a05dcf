package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import java.lang.foreign.MemorySegment;

/**
 * Decodes the values section of one data page in one encoding. The caller owns the output; a
 * decoder reads only inside the region given to {@link #init} and writes exactly what each read
 * method claims. Reusable across pages; confined to one thread.
 */
public abstract class ValueDecoder {

    /**
     * Starts on a page's values section {@code data[offset, offset + length)}, which holds at most
     * {@code maxCount} values (the page's level count; fewer when there are nulls). Reads check
     * that the values they take are present.
     */
    public abstract void init(MemorySegment data, long offset, long length, int maxCount) throws DecodeException;

    /**
     * An upper bound on the values left in the page, known without decoding them; checked
     * before output memory is reserved for a run of values. Unbounded for encodings whose size
     * says nothing about their count (dictionary indices can be run-length encoded).
     */
    public long maxAvailable() {
        return Long.MAX_VALUE;
    }

    /** Writes the next {@code n} fixed-width values to {@code dst} at byte {@code dstOffset}. */
    public void readFixed(MemorySegment dst, long dstOffset, int n) throws DecodeException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode fixed-width values");
    }

    /** Writes the next {@code n} booleans as bits into {@code dst} from bit {@code dstBit}. */
    public void readBits(MemorySegment dst, long dstBit, int n) throws DecodeException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode booleans");
    }

    /** Appends the next {@code n} variable-length values to {@code out}. */
    public void readBinary(BinaryOutput out, int n) throws DecodeException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode byte arrays");
    }

    /**
     * Passes over the next {@code n} values without writing them, checking them as a read would
     * where the encoding makes that cheap (lengths, dictionary indices); fails the same way a read
     * of {@code n} values would when fewer are left.
     */
    public abstract void skip(int n) throws DecodeException;

    static DecodeException shortData(String what, long needed, long available) {
        return new DecodeException(what + " needs " + needed + " bytes but the page has " + available);
    }
}
