package io.inlay.cli.config;

/**
 * A workload config that cannot be used: its message is one line naming the key path (for
 * example {@code dataset.parquet.columns[1].dtype}) and the bad value, or the YAML syntax error
 * with its line and column.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String keyPath;

    public ConfigException(String keyPath, String message) {
        super(keyPath == null || keyPath.isEmpty() ? oneLine(message) : keyPath + ": " + oneLine(message));
        this.keyPath = keyPath == null ? "" : keyPath;
    }

    /** The key path the error is about; empty for file-level errors. */
    public String keyPath() {
        return keyPath;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
