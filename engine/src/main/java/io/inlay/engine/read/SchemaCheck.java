package io.inlay.engine.read;

import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.FileSchema;
import io.inlay.engine.vector.ColumnType;
import java.util.ArrayList;
import java.util.List;

/** {@link ParquetFile#validate}: a file's columns against the workload's, every mismatch in one error. */
final class SchemaCheck {
    private SchemaCheck() {}

    static void validate(String file, FileStructure structure, List<ColumnSpec> expected) throws SchemaMismatchException {
        FileSchema schema = structure.parsed().schema();
        List<String> problems = new ArrayList<>();
        for (ColumnSpec spec : expected) {
            var found = schema.column(spec.name());
            if (found.isEmpty()) {
                problems.add("column '" + spec.name() + "' is missing (columns in the file: "
                        + String.join(", ", schema.names()) + ")");
                continue;
            }
            ColumnDescriptor d = found.get();
            ColumnType want = spec.columnType();
            if (!d.isSupported()) {
                problems.add("column '" + spec.name() + "': expected " + describe(spec) + ", the file has an unsupported "
                        + d.schemaText() + " (" + d.unsupportedReason() + ")");
                continue;
            }
            if (!want.equals(d.type())) {
                problems.add("column '" + spec.name() + "': expected " + describe(spec) + ", the file has " + d.type());
                continue;
            }
            if (spec.isVector()) {
                String length = vectorLengthProblem(structure, spec, d);
                if (length != null) {
                    problems.add(length);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException(file, problems);
        }
    }

    private static String describe(ColumnSpec spec) {
        ColumnType t = spec.columnType();
        return spec.isVector() ? t + " of " + spec.size() + " per row" : t.toString();
    }

    /** Vectors are fixed-length: a chunk without nulls holds rows x size levels. */
    private static String vectorLengthProblem(FileStructure structure, ColumnSpec spec, ColumnDescriptor d) {
        for (int g = 0; g < structure.rowGroupCount(); g++) {
            ChunkLocation loc = structure.chunk(g, d.firstLeaf());
            long rows = loc.rows();
            var stats = loc.meta().getStatistics();
            boolean maybeNulls = stats != null && stats.isSetNull_count() && stats.getNull_count() > 0;
            if (rows > 0 && !maybeNulls && loc.numValues() != rows * spec.size()) {
                String perRow = loc.numValues() % rows == 0 ? String.valueOf(loc.numValues() / rows)
                        : String.format("%.2f", (double) loc.numValues() / rows);
                return "column '" + spec.name() + "': expected vectors of " + spec.size() + " values, row group " + g
                        + " has " + perRow + " per row (" + loc.numValues() + " values in " + rows + " rows)";
            }
        }
        return null;
    }
}
