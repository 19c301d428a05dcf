package io.inlay.engine.hostile;

import io.inlay.engine.read.ChunkStatistics;
import io.inlay.engine.read.ColumnChunkMetadata;
import io.inlay.engine.read.DecodeTarget;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupMetadata;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.MappedValues;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a file through every public entry point of the reader — open, metadata, page headers,
 * verify, both read modes and zero-copy — and checks what each gives: Inlay's own exception or a
 * sound result; the two read modes agree; zero-copy slices hold the values the decoder gives.
 * Anything else is thrown as an {@link AssertionError}.
 */
public final class ReadProbe {
    private ReadProbe() {}

    /**
     * What the entry points gave: a null exception field means that step succeeded (or was not reached
     * because open failed).
     *
     * @param open what open threw
     * @param verify what verify threw
     * @param read what the default read mode threw
     * @param digests per supported column, the digest over all row groups (default read mode), when it succeeded
     */
    public record Result(Throwable open, Throwable verify, Throwable read, Map<String, Long> digests) {
        /** Whether the file was refused by open or by a full verification. */
        public boolean rejected() {
            return open != null || verify != null;
        }

        /** Whether every step succeeded. */
        public boolean clean() {
            return open == null && verify == null && read == null;
        }

        @Override
        public String toString() {
            return open != null ? "open: " + open.getMessage()
                    : verify != null ? "verify: " + verify.getMessage()
                    : read != null ? "read: " + read.getMessage() : "read " + digests.size() + " columns";
        }
    }

    /** Probes {@code file} with {@code options} through every entry point. */
    public static Result probe(Path file, ReadOptions options) {
        return probe(file, options, true);
    }

    /**
     * Probes {@code file}; when not {@code full}, only open, metadata and the default read mode (for
     * files known to mean the same data as a valid one, where only the values matter).
     */
    public static Result probe(Path file, ReadOptions options, boolean full) {
        ParquetFile pf;
        try {
            pf = ParquetFile.open(file, options);
        } catch (Throwable t) {
            Outcomes.requireInlays(t, "open");
            return new Result(t, null, null, null);
        }
        try (pf) {
            metadata(pf);
            if (full) {
                pageHeaders(pf);
            }
            Throwable verify = null;
            if (full) {
                try {
                    pf.verify();
                } catch (Throwable t) {
                    Outcomes.requireInlays(t, "verify");
                    verify = t;
                }
            }
            List<String> columns = pf.supportedColumns();
            Map<String, Long> byDefault = new LinkedHashMap<>();
            Throwable read = null;
            Map<String, ColumnVector[]> kept = new LinkedHashMap<>();
            try (Arena arena = Arena.ofConfined()) {
                try {
                    List<RowGroupData> groups = pf.readAll(columns, DecodeTarget.arena(arena));
                    digestGroups(pf, groups, columns, byDefault, "default read mode");
                    for (String c : columns) {
                        ColumnVector[] perGroup = new ColumnVector[groups.size()];
                        for (int g = 0; g < groups.size(); g++) {
                            perGroup[g] = groups.get(g).column(c);
                        }
                        kept.put(c, perGroup);
                    }
                } catch (Throwable t) {
                    Outcomes.requireInlays(t, "readAll");
                    read = t;
                }
                if (full) {
                    Map<String, Long> byRowGroup = rowGroupMode(pf, columns);
                    if (read == null && byRowGroup != null && !byRowGroup.equals(byDefault)) {
                        throw new AssertionError("the read modes disagree: default " + byDefault + ", row_group " + byRowGroup);
                    }
                    zeroCopy(pf, columns, read == null ? kept : Map.of());
                }
            }
            return new Result(null, verify, read, read == null ? byDefault : null);
        }
    }

    private static void metadata(ParquetFile pf) {
        pf.schema().toString();
        pf.rows();
        pf.toString();
        for (RowGroupMetadata g : pf.metadata().rowGroups()) {
            for (ColumnChunkMetadata c : g.columns()) {
                ChunkStatistics s = c.statistics();
                if (s != null) {
                    String.valueOf(s.minText()).length();
                }
            }
        }
    }

    private static void pageHeaders(ParquetFile pf) {
        for (int g = 0; g < pf.rowGroupCount(); g++) {
            for (int leaf = 0; leaf < pf.schema().leafCount(); leaf++) {
                try {
                    pf.pages(g, leaf);
                } catch (Throwable t) {
                    Outcomes.requireInlays(t, "pages(" + g + ", " + leaf + ")");
                }
            }
        }
    }

    private static void digestGroups(ParquetFile pf, List<RowGroupData> groups, List<String> columns, Map<String, Long> out,
            String mode) {
        if (groups.size() != pf.rowGroupCount()) {
            throw new AssertionError(mode + ": " + groups.size() + " row groups, the file has " + pf.rowGroupCount());
        }
        for (RowGroupData g : groups) {
            digestGroup(pf, g, columns, out, mode);
        }
    }

    private static void digestGroup(ParquetFile pf, RowGroupData g, List<String> columns, Map<String, Long> out, String mode) {
        for (String c : columns) {
            ColumnVector v = g.column(c);
            VectorCheck.requireSound(v, pf.rowGroupRows(g.rowGroup()), mode + ", column '" + c + "', row group " + g.rowGroup());
            out.put(c, VectorCheck.digest(v, out.getOrDefault(c, VectorCheck.start())));
        }
    }

    /** The row_group mode's digests, or null when it failed (with Inlay's exception). */
    private static Map<String, Long> rowGroupMode(ParquetFile pf, List<String> columns) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (RowGroupReader reader = pf.rowGroups(columns)) {
            while (reader.hasNext()) {
                digestGroup(pf, reader.next(), columns, out, "row_group read mode");
            }
            return out;
        } catch (Throwable t) {
            if (t instanceof AssertionError a) {
                throw a;
            }
            Outcomes.requireInlays(t, "rowGroups");
            return null;
        }
    }

    /** Zero-copy slices, where the reader hands them out, hold exactly what the decoder gave. */
    private static void zeroCopy(ParquetFile pf, List<String> columns, Map<String, ColumnVector[]> decoded) {
        for (String c : columns) {
            for (int g = 0; g < pf.rowGroupCount(); g++) {
                MappedValues m;
                try {
                    m = pf.mappedValues(c, g);
                } catch (Throwable t) {
                    Outcomes.requireInlays(t, "mappedValues('" + c + "', " + g + ")");
                    continue;
                }
                long bytes = 0;
                for (MemorySegment page : m.pages()) {
                    bytes += page.byteSize();
                }
                long width = m.valueType().byteWidth();
                if (bytes != m.valueCount() * width) {
                    throw new AssertionError("mappedValues('" + c + "', " + g + "): " + bytes + " bytes for "
                            + m.valueCount() + " values");
                }
                ColumnVector[] perGroup = decoded.get(c);
                if (perGroup == null) {
                    continue;
                }
                ColumnVector v = perGroup[g].type().list() ? perGroup[g].child() : perGroup[g];
                if (v.nullCount() != 0 || v.length() != m.valueCount()) {
                    throw new AssertionError("mappedValues('" + c + "', " + g + ") gives " + m.valueCount()
                            + " values, the decoder " + v.length() + " with " + v.nullCount() + " nulls");
                }
                long at = 0;
                for (MemorySegment page : m.pages()) {
                    if (page.mismatch(v.values().asSlice(at, page.byteSize())) != -1) {
                        throw new AssertionError("mappedValues('" + c + "', " + g + ") differs from the decoded values");
                    }
                    at += page.byteSize();
                }
            }
        }
    }
}
