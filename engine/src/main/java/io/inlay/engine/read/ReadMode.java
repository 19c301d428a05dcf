package io.inlay.engine.read;

import java.util.Locale;

/** How much of a file is decoded at once ({@code dataset.parquet.read_mode}). */
public enum ReadMode {
    /** All row groups of the projected columns at once. */
    DEFAULT,
    /** One row group at a time into reused buffers: memory bounded by the largest row group. */
    ROW_GROUP;

    /**
     * The mode a config names ({@code default} or {@code row_group}), case-insensitively.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static ReadMode fromConfigName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "default" -> DEFAULT;
            case "row_group" -> ROW_GROUP;
            default -> throw new IllegalArgumentException("unknown read_mode '" + name + "'; valid: default, row_group");
        };
    }

    /** The config name of this mode. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
