package io.inlay.cli.run;

import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.vector.ColumnVector;

/** Bytes of decoded Arrow buffers: values, offsets and validity, children included. */
final class VectorBytes {
    private VectorBytes() {}

    static long of(RowGroupData g) {
        long n = 0;
        for (ColumnVector v : g.columns().values()) {
            n += of(v);
        }
        return n;
    }

    static long of(ColumnVector v) {
        long n = 0;
        if (v.values() != null) {
            n += v.values().byteSize();
        }
        if (v.offsets() != null) {
            n += v.offsets().byteSize();
        }
        if (v.validity() != null) {
            n += v.validity().byteSize();
        }
        if (v.child() != null) {
            n += of(v.child());
        }
        return n;
    }
}
