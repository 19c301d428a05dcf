package io.inlay.engine.error;

/** The file uses Parquet Modular Encryption, which Inlay does not support. */
public final class EncryptedParquetException extends UnsupportedParquetException {
    private static final long serialVersionUID = 1L;

    public EncryptedParquetException(String message) {
        super(message);
    }
}
