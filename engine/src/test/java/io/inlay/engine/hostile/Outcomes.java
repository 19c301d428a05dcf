package io.inlay.engine.hostile;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.DecodeException;

/**
 * What a read of hostile input may end in. Inlay's contract (issue 4): a result, or one of its own
 * checked exceptions; never an IndexOutOfBounds, NullPointer, Arithmetic, NegativeArraySize,
 * IllegalArgument or OutOfMemory error leaking from inside, never a hang.
 */
public final class Outcomes {
    private Outcomes() {}

    /** Whether {@code t} is one of the exceptions Inlay's reader promises for bad or unsupported files. */
    public static boolean isInlays(Throwable t) {
        // EncryptedParquetException is an UnsupportedParquetException
        return t instanceof ParquetCorruptionException || t instanceof UnsupportedParquetException
                || t instanceof SchemaMismatchException;
    }

    /** As {@link #isInlays}, for code that drives the internal decoders directly. */
    public static boolean isInlaysOrDecodeException(Throwable t) {
        return isInlays(t) || t instanceof DecodeException;
    }

    /** Rethrows {@code t} wrapped in an {@link AssertionError} naming {@code what} unless it is Inlay's own. */
    public static void requireInlays(Throwable t, String what) {
        if (!isInlays(t)) {
            throw new AssertionError(what + ": the reader threw " + t.getClass().getName()
                    + " instead of its own exception: " + t.getMessage(), t);
        }
    }
}
