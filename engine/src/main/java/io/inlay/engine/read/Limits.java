package io.inlay.engine.read;

import io.inlay.engine.internal.ReadLimits;

/** The internal {@link ReadLimits} of a caller's {@link ReadOptions}. */
final class Limits {
    private Limits() {}

    static ReadLimits of(ReadOptions options) {
        return new ReadLimits(options.verifyCrc(), options.maxPageBytes(), options.maxValuesPerPage(),
                options.maxValuesPerByte());
    }
}
