package io.inlay.cli.config;

/**
 * A workload config that cannot be used: its message is one line naming the key path (for
 * example {@code dataset.parquet.columns[1].dtype}) and the bad value, or the YAML syntax error
 * with its line and column. {@link #origin()} says where the bad value came from: the config
 * file, or the command-line override that set it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String keyPath;
    private final String problem;
    private final String origin;

    public ConfigException(String keyPath, String message) {
        this(keyPath, message, null);
    }

    private ConfigException(String keyPath, String message, String origin) {
        super(keyPath == null || keyPath.isEmpty() ? oneLine(message) : keyPath + ": " + oneLine(message));
        this.keyPath = keyPath == null ? "" : keyPath;
        this.problem = message;
        this.origin = origin;
    }

    /** The key path the error is about; empty for file-level errors. */
    public String keyPath() {
        return keyPath;
    }

    /** Where the bad value came from: the config file's path, {@code override 'k=v'}, or null when unknown. */
    public String origin() {
        return origin;
    }

    /** This error, attributed to {@code where} unless it already has an origin. */
    ConfigException from(String where) {
        return origin != null || where == null ? this : new ConfigException(keyPath, problem, where);
    }

    /** {@code <origin>: <message>}, the line commands print. */
    public String describe() {
        return origin == null ? getMessage() : origin + ": " + getMessage();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
