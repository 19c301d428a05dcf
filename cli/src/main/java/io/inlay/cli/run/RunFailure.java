package io.inlay.cli.run;

/** A run could not go on: a file failed validation or could not be read. The message is one line. */
public final class RunFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
