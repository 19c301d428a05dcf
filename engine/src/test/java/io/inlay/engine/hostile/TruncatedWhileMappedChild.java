package io.inlay.engine.hostile;

import io.inlay.engine.read.DecodeTarget;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.vector.MappedValues;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The child JVM of {@link TruncatedWhileMappedTest}: for each scenario {@code file|entry|cut} it
 * opens (maps) a fresh copy of the file, truncates the copy on disk to {@code cut} bytes while it is
 * mapped, then reads through one entry point and prints what happened:
 * {@code RESULT <tab> scenario <tab> outcome <tab> message}. A line {@code START scenario} comes
 * first, so that if the JVM dies the parent knows in which scenario.
 */
public final class TruncatedWhileMappedChild {
    private TruncatedWhileMappedChild() {}

    public static void main(String[] args) throws Exception {
        // the parent's temporary directory, so nothing is left behind even when this JVM dies
        Path work = Files.createDirectories(Path.of(System.getProperty("work.dir")));
        for (String scenario : args) {
            String[] parts = scenario.split("\\|");
            Path source = Path.of(parts[0]);
            String entry = parts[1];
            long cut = Long.parseLong(parts[2]);
            Path copy = work.resolve("mapped.parquet");
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("START\t" + scenario);
            System.out.flush();
            String outcome;
            String message;
            try (ParquetFile pf = ParquetFile.open(copy)) {
                // slices handed out before the truncation, read by the caller after it
                java.util.List<MemorySegment> slices = entry.equals("mappedSlices") ? slices(pf) : null;
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    ch.truncate(cut);
                }
                outcome = "OK";
                message = slices != null ? readSlices(slices) : read(pf, entry);
            } catch (Throwable t) {
                outcome = t.getClass().getName();
                message = String.valueOf(t.getMessage()).replace('\n', ' ').replace('\t', ' ');
            }
            System.out.println("RESULT\t" + scenario + "\t" + outcome + "\t" + message);
            System.out.flush();
        }
        Files.deleteIfExists(work.resolve("mapped.parquet"));
    }

    private static String read(ParquetFile pf, String entry) throws Exception {
        switch (entry) {
            case "readAll" -> {
                try (Arena arena = Arena.ofConfined()) {
                    return pf.readAll(pf.supportedColumns(), DecodeTarget.arena(arena)).size() + " row groups";
                }
            }
            case "rowGroups" -> {
                try (RowGroupReader r = pf.rowGroups(pf.supportedColumns())) {
                    int n = 0;
                    while (r.hasNext()) {
                        r.next();
                        n++;
                    }
                    return n + " row groups";
                }
            }
            case "verify" -> {
                return pf.verify().toString();
            }
            case "pages" -> {
                int n = 0;
                for (int g = 0; g < pf.rowGroupCount(); g++) {
                    for (int leaf = 0; leaf < pf.schema().leafCount(); leaf++) {
                        n += pf.pages(g, leaf).size();
                    }
                }
                return n + " pages";
            }
            case "mappedValues" -> {
                long sum = 0;
                for (String c : pf.supportedColumns()) {
                    for (int g = 0; g < pf.rowGroupCount(); g++) {
                        MappedValues m;
                        try {
                            m = pf.mappedValues(c, g);
                        } catch (io.inlay.engine.error.UnsupportedParquetException notPlain) {
                            continue;
                        }
                        for (MemorySegment page : m.pages()) {
                            sum += page.byteSize();
                        }
                    }
                }
                return sum + " mapped bytes";
            }
            default -> throw new IllegalArgumentException(entry);
        }
    }

    private static java.util.List<MemorySegment> slices(ParquetFile pf) throws Exception {
        java.util.List<MemorySegment> out = new java.util.ArrayList<>();
        for (String c : pf.supportedColumns()) {
            for (int g = 0; g < pf.rowGroupCount(); g++) {
                try {
                    out.addAll(pf.mappedValues(c, g).pages());
                } catch (io.inlay.engine.error.UnsupportedParquetException notPlain) {
                    // not zero-copy
                }
            }
        }
        return out;
    }

    private static String readSlices(java.util.List<MemorySegment> slices) {
        long sum = 0;
        for (MemorySegment page : slices) {
            for (long i = 0; i < page.byteSize(); i += 512) {
                sum += page.get(ValueLayout.JAVA_BYTE, i);
            }
        }
        return slices.size() + " slices, sum " + sum;
    }
}
