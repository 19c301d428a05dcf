package io.inlay.engine.vector;

import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The order-sensitive 64-bit hash of {@link ColumnChecksum#hash()}, public so that anyone holding
 * the values (an independent reader in a test, a user checking a dataset) can recompute it.
 *
 * <p>Definition: the column's non-null values, in file order, are serialised into one byte
 * stream: float32, float64 and float16 as their IEEE 754 little-endian bytes, int8 as one byte,
 * bool as one byte (0 or 1), string and binary as a 4-byte little-endian length followed by the
 * bytes. The stream is cut into 8-byte little-endian words {@code w_0, w_1, ...}, the last one
 * padded with zero bytes. The hash is
 *
 * <pre>
 *   t_i  = (w_i + (i + 1) * 0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9      (mod 2^64)
 *   hash = sum over i of (t_i ^ (t_i &gt;&gt;&gt; 32))                             (mod 2^64)
 * </pre>
 *
 * Each term is a bijection of its word keyed by the word's position, so a changed value changes
 * the hash and a moved one almost surely does; the terms are independent of each other, so the
 * sum runs at memory speed rather than at the speed of a dependency chain. It is a checksum
 * against accidents, not a cryptographic hash.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class ValueHasher {
    /** The golden-ratio increment of SplitMix64. */
    public static final long PHI = 0x9E3779B97F4A7C15L;


    private long sum;
    private long words;
    private long pending;
    private int pendingBytes;

    /** SplitMix64's finaliser (Stafford's variant 13): a bijection of 64-bit values, for deriving keys. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The multiplier of a term (SplitMix64's first). */
    private static final long M = 0xBF58476D1CE4E5B9L;

    /** The term of word {@code word} at position {@code index} (0-based). */
    public static long term(long index, long word) {
        long t = (word + (index + 1) * PHI) * M;
        return t ^ (t >>> 32);
    }

    /** Starts over. */
    public void reset() {
        sum = 0;
        words = 0;
        pending = 0;
        pendingBytes = 0;
    }

    /** The hash of everything added so far (the partial last word zero-padded). */
    public long value() {
        return pendingBytes == 0 ? sum : sum + term(words, pending);
    }

    public void addByte(int b) {
        pending |= (b & 0xffL) << (pendingBytes << 3);
        if (++pendingBytes == 8) {
            sum += term(words++, pending);
            pending = 0;
            pendingBytes = 0;
        }
    }

    public void addShortLE(short v) {
        addByte(v);
        addByte(v >>> 8);
    }

    public void addIntLE(int v) {
        if (pendingBytes <= 4) {
            pending |= (v & 0xffff_ffffL) << (pendingBytes << 3);
            pendingBytes += 4;
            if (pendingBytes == 8) {
                sum += term(words++, pending);
                pending = 0;
                pendingBytes = 0;
            }
        } else {
            for (int i = 0; i < 4; i++) {
                addByte(v >>> (8 * i));
            }
        }
    }

    public void addLongLE(long v) {
        if (pendingBytes == 0) {
            sum += term(words++, v);
        } else {
            for (int i = 0; i < 8; i++) {
                addByte((int) (v >>> (8 * i)));
            }
        }
    }

    public void addFloat(float v) {
        addIntLE(Float.floatToRawIntBits(v));
    }

    public void addDouble(double v) {
        addLongLE(Double.doubleToRawLongBits(v));
    }

    /** Adds {@code length} bytes of {@code segment} from {@code offset}. */
    public void addBytes(MemorySegment segment, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        long end = offset + length;
        long p = offset;
        while (pendingBytes != 0 && p < end) {
            addByte(segment.get(ValueLayout.JAVA_BYTE, p++));
        }
        long whole = (end - p) >>> 3;
        long s = 0;
        long key = (words + 1) * PHI;
        for (long i = 0; i < whole; i++) {
            long t = (segment.get(Layouts.LE_LONG, p + (i << 3)) + key + i * PHI) * M;
            s += t ^ (t >>> 32);
        }
        sum += s;
        words += whole;
        p += whole << 3;
        while (p < end) {
            addByte(segment.get(ValueLayout.JAVA_BYTE, p++));
        }
    }

    /** Adds bytes from a heap array. */
    public void addBytes(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (int i = 0; i < length; i++) {
            addByte(bytes[offset + i]);
        }
    }
}
