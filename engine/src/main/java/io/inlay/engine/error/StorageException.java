package io.inlay.engine.error;

import java.io.IOException;

/**
 * Storage failed under a read: an I/O error from the kernel ({@code EIO}, a lost network file
 * system), or the reading thread was interrupted. The file itself may be fine. The message names
 * the file, the offset and the error in words.
 */
public class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
