package io.inlay.cli;

import io.inlay.engine.read.ChunkStatistics;
import io.inlay.engine.read.ColumnChunkMetadata;
import io.inlay.engine.read.FileMetadata;
import io.inlay.engine.read.PageInfo;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.RowGroupMetadata;
import io.inlay.engine.schema.ColumnDescriptor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlay inspect FILE [--pages]}: schema, row groups, column chunks and optionally every page
 * header. Prints everything that parses: a part that does not (a chunk's statistics, a page
 * header) is shown as an {@code ERROR} line where it would have been, the rest still printed, and
 * the exit code is then 1.
 */
@Command(name = "inspect", description = "Show a Parquet file's schema, row groups and column chunks (and pages).")
final class InspectCommand implements Callable<Integer> {
    private static final int MAX_TEXT = 120;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Parquet file.")
    Path file;

    @Option(names = "--pages", description = "Also list every page header of every column chunk.")
    boolean pages;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** Parts that did not parse, marked in the output. */
    private int errors;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = InputFiles.problem(file);
        if (problem != null) {
            err.println("inlay inspect: " + file + ": " + problem);
            err.flush();
            return Main.EXIT_FAILURE;
        }
        try (ParquetFile pf = ParquetFile.open(file)) {
            print(pf, out);
        } catch (Exception | InternalError e) {
            // the footer itself does not parse: nothing else can be shown
            out.flush();
            return Failures.report(err, "inspect", e, common.verbose);
        }
        out.flush();
        if (errors > 0) {
            err.println("inlay inspect: " + file + ": " + Plural.of(errors, "part") + " did not parse (marked ERROR above)");
            err.flush();
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** Prints an ERROR line in place of what failed, and counts it. */
    private void mark(PrintWriter out, String indent, String what, Throwable e) {
        errors++;
        out.printf("%sERROR %s: %s%n", indent, what, Failures.message(e));
        if (common.verbose) {
            e.printStackTrace(out);
        }
    }

    private void print(ParquetFile pf, PrintWriter out) {
        FileMetadata m = pf.metadata();
        out.printf("file        %s%n", pf.path());
        out.printf("size        %,d bytes (footer %,d bytes)%n", m.size(), m.footerLength());
        out.printf("created by  %s%n", m.createdBy() == null ? "(not recorded)" : m.createdBy());
        out.printf("version     %d%n", m.version());
        out.printf("rows        %,d in %d row group%s%s%n", m.rows(), m.rowGroups().size(), m.rowGroups().size() == 1 ? "" : "s",
                m.footerRows() != m.rows() ? " (the footer says " + m.footerRows() + ")" : "");
        if (!m.keyValue().isEmpty()) {
            out.println("metadata");
            for (Map.Entry<String, String> e : m.keyValue().entrySet()) {
                out.printf("  %s = %s%n", e.getKey(), shorten(e.getValue()));
            }
        }
        out.println();
        out.println(pf.schema());
        out.println();
        out.println("columns");
        for (ColumnDescriptor d : pf.schema().columns()) {
            out.printf("  %-24s %-18s def %d rep %d  %s%n", d.name(),
                    d.isSupported() ? d.type().toString() : "unsupported", d.maxDefinitionLevel(), d.maxRepetitionLevel(),
                    d.isSupported() ? d.physicalType() + (d.annotation().isEmpty() ? "" : " " + d.annotation())
                            : d.unsupportedReason());
        }
        for (RowGroupMetadata g : m.rowGroups()) {
            out.println();
            out.printf("row group %d: %,d rows, %,d bytes stored, %,d bytes uncompressed%n", g.index(), g.rows(),
                    g.compressedSize(), g.totalByteSize());
            for (ColumnChunkMetadata c : g.columns()) {
                out.printf("  %-28s %-12s %-8s %,12d values %,12d / %,d bytes  %s%n", c.path(), c.codec(), c.physicalType(),
                        c.numValues(), c.compressedSize(), c.uncompressedSize(), String.join(",", c.encodings()));
                String stats;
                try {
                    stats = statistics(c.statistics());
                } catch (RuntimeException e) {
                    stats = "";
                    mark(out, "    ", "statistics of " + c.path(), e);
                }
                out.printf("  %-28s   offsets: data %d%s%s%n", "", c.dataPageOffset(),
                        c.dictionaryPageOffset() >= 0 ? ", dictionary " + c.dictionaryPageOffset() : "", stats);
                if (pages) {
                    try {
                        pf.pages(g.index(), c.leafIndex(), p -> printPage(out, p));
                    } catch (Exception | InternalError e) {
                        mark(out, "    ", "the pages from here on", e);
                    }
                }
            }
        }
    }

    private static void printPage(PrintWriter out, PageInfo p) {
        String stats;
        try {
            stats = statistics(p.statistics());
        } catch (RuntimeException e) {
            stats = ", stats: ERROR " + Failures.message(e);
        }
        out.printf("    page %-4d %-16s @%-10d header %4d  %,10d / %,d bytes  %,9d values%s  %s%s%s%s%n",
                p.index(), p.type(), p.offset(), p.headerSize(), p.compressedSize(), p.uncompressedSize(),
                p.numValues(), p.numNulls() >= 0 ? " (" + p.numNulls() + " nulls, " + p.numRows() + " rows)" : "",
                p.encoding(), p.levelEncodings().isEmpty() ? "" : " [" + p.levelEncodings() + "]",
                p.crc() == null ? "" : String.format("  crc 0x%08x %s", p.crc(),
                        p.crcValid() == null ? "" : p.crcValid() ? "ok" : "MISMATCH"),
                stats);
    }

    private static String statistics(ChunkStatistics s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(", stats:");
        if (s.nullCount() >= 0) {
            sb.append(" nulls=").append(s.nullCount());
        }
        if (s.distinctCount() >= 0) {
            sb.append(" distinct=").append(s.distinctCount());
        }
        if (s.minText() != null) {
            sb.append(" min=").append(shorten(s.minText()));
        }
        if (s.maxText() != null) {
            sb.append(" max=").append(shorten(s.maxText()));
        }
        if (s.legacy()) {
            sb.append(" (legacy min/max)");
        }
        return sb.toString();
    }

    private static String shorten(String s) {
        String oneLine = s.replace('\n', ' ');
        return oneLine.length() <= MAX_TEXT ? oneLine : oneLine.substring(0, MAX_TEXT) + "... (" + s.length() + " chars)";
    }
}
