package io.inlay.bench.read;

/** A contender's sum differs from the reference sum of the same file: the run must not go on. */
public final class ChecksumMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
