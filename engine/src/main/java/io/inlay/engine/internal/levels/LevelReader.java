package io.inlay.engine.internal.levels;

import io.inlay.engine.internal.DecodeException;

/** A page's repetition or definition levels, consumed in order. Confined to one thread. */
public interface LevelReader {

    /** Reads up to {@code n} levels; returns how many (fewer only at the end of the levels). */
    int read(byte[] dst, int off, int n) throws DecodeException;

    /** Consumes the levels equal to {@code value} that come next, at most {@code max}; returns how many. */
    long countRun(int value, long max) throws DecodeException;

    /**
     * Consumes exactly {@code n} levels and writes the positions of the zeros among them
     * (relative to the first) into {@code positions}; returns how many zeros.
     */
    int collectZeros(int n, int[] positions) throws DecodeException;
}
