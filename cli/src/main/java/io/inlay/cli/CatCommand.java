package io.inlay.cli;

import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.JsonFormat;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay cat FILE [--columns a,b] [--limit N]}: rows as JSON lines in the conformance
 * corpus's value format, one row group at a time (memory bounded by the largest row group).
 */
@Command(name = "cat", description = "Print rows as JSON lines (the corpus value format).")
final class CatCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The Parquet file.")
    Path file;

    @Option(names = "--columns", split = ",", paramLabel = "NAME", description = "Columns to print (default: every supported column).")
    List<String> columns;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
    Long limit;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (limit != null && limit < 0) {
            err.println("inlay cat: --limit must be 0 or more, got " + limit);
            return Main.EXIT_USAGE;
        }
        String problem = InputFiles.problem(file);
        if (problem != null) {
            err.println("inlay cat: " + file + ": " + problem);
            err.flush();
            return Main.EXIT_FAILURE;
        }
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        try (ParquetFile pf = ParquetFile.open(file)) {
            List<String> names = columns;
            if (names == null || names.isEmpty()) {
                names = pf.supportedColumns();
                List<String> skipped = new ArrayList<>();
                for (ColumnDescriptor d : pf.schema().columns()) {
                    if (!d.isSupported()) {
                        skipped.add(d.name() + " (" + d.unsupportedReason() + ")");
                    }
                }
                if (names.isEmpty()) {
                    err.println("inlay cat: " + pf.path() + ": no column can be printed: every column is unsupported ("
                            + String.join(", ", skipped) + ")");
                    err.flush();
                    return Main.EXIT_FAILURE;
                }
                if (!skipped.isEmpty()) {
                    err.println("inlay cat: " + pf.path() + ": skipping unsupported columns: " + String.join(", ", skipped));
                    err.flush();
                }
            }
            long left = limit == null ? Long.MAX_VALUE : limit;
            StringBuilder sb = new StringBuilder(256);
            try (RowGroupReader reader = pf.rowGroups(names)) {
                while (left > 0 && reader.hasNext()) {
                    RowGroupData g = reader.next();
                    List<ColumnVector> vectors = new ArrayList<>(names.size());
                    for (String n : names) {
                        vectors.add(g.column(n));
                    }
                    for (long r = 0; r < g.rows() && left > 0; r++, left--) {
                        sb.setLength(0);
                        sb.append('{');
                        for (int c = 0; c < names.size(); c++) {
                            if (c > 0) {
                                sb.append(',');
                            }
                            JsonFormat.appendString(sb, names.get(c));
                            sb.append(':');
                            JsonFormat.appendValue(sb, vectors.get(c), r);
                        }
                        sb.append("}\n");
                        out.append(sb);
                    }
                }
            }
            out.flush();
            return Main.EXIT_OK;
        } catch (Exception | InternalError e) {
            try {
                out.flush();
            } catch (java.io.IOException ignored) {
                // stdout closed (e.g. piped into head): nothing more to say there
            }
            return Failures.report(err, "cat", e, common.verbose);
        }
    }
}
