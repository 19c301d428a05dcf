package io.inlay.cli.mpi;

/** MPI could not be loaded, initialised or used; the message is one line naming the library or call. */
public final class MpiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MpiException(String message) {
        super(message);
    }

    public MpiException(String message, Throwable cause) {
        super(message, cause);
    }
}
