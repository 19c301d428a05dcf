package io.inlay.engine.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The top-level fields of a Parquet file, in schema order. Immutable. */
public final class FileSchema {
    private final List<ColumnDescriptor> columns;
    private final Map<String, ColumnDescriptor> byName;
    private final int leafCount;

    public FileSchema(List<ColumnDescriptor> columns, int leafCount) {
        this.columns = List.copyOf(columns);
        Map<String, ColumnDescriptor> map = new LinkedHashMap<>();
        for (ColumnDescriptor c : this.columns) {
            map.putIfAbsent(c.name(), c);
        }
        this.byName = map;
        this.leafCount = leafCount;
    }

    /** Every top-level field, supported or not. */
    public List<ColumnDescriptor> columns() {
        return columns;
    }

    /** The field with this name (the first, if a writer repeated a name). */
    public Optional<ColumnDescriptor> column(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The names of all top-level fields, in order. */
    public List<String> names() {
        return columns.stream().map(ColumnDescriptor::name).toList();
    }

    /** Leaf columns in the file (column chunks per row group). */
    public int leafCount() {
        return leafCount;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("message schema {\n");
        for (ColumnDescriptor c : columns) {
            sb.append("  ").append(c.schemaText()).append('\n');
        }
        return sb.append('}').toString();
    }
}
