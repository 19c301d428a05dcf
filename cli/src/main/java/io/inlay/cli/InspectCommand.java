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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inlay inspect FILE [--pages]}: schema, row groups, column chunks and optionally every page header. */
@Command(name = "inspect", description = "Show a Parquet file's schema, row groups and column chunks (and pages).")
final class InspectCommand implements Callable<Integer> {
    private static final int MAX_TEXT = 120;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Parquet file.")
    Path file;

    @Option(names = "--pages", description = "Also list every page header of every column chunk.")
    boolean pages;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ParquetFile pf = ParquetFile.open(file)) {
            print(pf, out);
            out.flush();
            return Main.EXIT_OK;
        } catch (Exception | InternalError e) {
            out.flush();
            return Failures.report(spec.commandLine().getErr(), "inspect", e, verbose);
        }
    }

    private void print(ParquetFile pf, PrintWriter out) throws Exception {
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
                out.printf("  %-28s   offsets: data %d%s%s%n", "", c.dataPageOffset(),
                        c.dictionaryPageOffset() >= 0 ? ", dictionary " + c.dictionaryPageOffset() : "",
                        statistics(c.statistics()));
                if (pages) {
                    for (PageInfo p : pf.pages(g.index(), c.leafIndex())) {
                        out.printf("    page %-4d %-16s @%-10d header %4d  %,10d / %,d bytes  %,9d values%s  %s%s%s%s%n",
                                p.index(), p.type(), p.offset(), p.headerSize(), p.compressedSize(), p.uncompressedSize(),
                                p.numValues(), p.numNulls() >= 0 ? " (" + p.numNulls() + " nulls, " + p.numRows() + " rows)" : "",
                                p.encoding(), p.levelEncodings().isEmpty() ? "" : " [" + p.levelEncodings() + "]",
                                p.crc() == null ? "" : String.format("  crc 0x%08x %s", p.crc(),
                                        p.crcValid() == null ? "" : p.crcValid() ? "ok" : "MISMATCH"),
                                statistics(p.statistics()));
                    }
                }
            }
        }
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
