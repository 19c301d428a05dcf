package io.inlay.engine.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;

/**
 * Decides whether a file left by an earlier run can be kept: both magics, a footer that parses,
 * the expected row count (in the footer and summed over row groups), and the expected top-level
 * columns. It reads only the footer, so a dataset of many files is checked quickly.
 *
 * <pre>
 * file  "PAR1" | column chunks ... | footer (Thrift compact) | footer length (4, LE) | "PAR1"
 * </pre>
 *
 * Kept apart from the generator so that it can later be replaced by the engine's reader.
 * Stateless and thread-safe.
 */
final class ExistingFileCheck {
    /** Footers larger than this are not believed (ours are a few KiB). */
    private static final int MAX_FOOTER = 64 << 20;

    private ExistingFileCheck() {}

    /**
     * Why {@code file} cannot be kept, or empty when it verifies.
     *
     * @param rows the rows it must hold
     * @param columns the top-level column names it must have, in order
     */
    static Optional<String> problem(Path file, long rows, List<String> columns) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 12) {
                return Optional.of("only " + size + " bytes");
            }
            ByteBuffer head = read(ch, 0, 4);
            ByteBuffer tail = read(ch, size - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
            if (!isMagic(head, 0) || !isMagic(tail, 4)) {
                return Optional.of("no PAR1 magic at both ends");
            }
            int footerLength = tail.getInt(0);
            if (footerLength <= 0 || footerLength > size - 12 || footerLength > MAX_FOOTER) {
                return Optional.of("footer length " + footerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer footer = read(ch, size - 8 - footerLength, footerLength);
            FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
            if (md.getNum_rows() != rows) {
                return Optional.of("it has " + md.getNum_rows() + " rows, not " + rows);
            }
            long sum = 0;
            for (RowGroup rg : md.getRow_groups()) {
                sum += rg.getNum_rows();
            }
            if (sum != rows) {
                return Optional.of("its row groups hold " + sum + " rows, not " + rows);
            }
            List<String> names = topLevelNames(md.getSchema());
            if (!names.equals(columns)) {
                return Optional.of("its columns are " + names + ", not " + columns);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static List<String> topLevelNames(List<SchemaElement> schema) {
        List<String> names = new ArrayList<>();
        if (schema.isEmpty()) {
            return names;
        }
        // depth-first list: skip each child's subtree by counting the elements still owed
        int i = 1;
        int children = schema.get(0).getNum_children();
        for (int c = 0; c < children && i < schema.size(); c++) {
            names.add(schema.get(i).getName());
            int owed = schema.get(i).isSetNum_children() ? schema.get(i).getNum_children() : 0;
            i++;
            while (owed > 0 && i < schema.size()) {
                owed += (schema.get(i).isSetNum_children() ? schema.get(i).getNum_children() : 0) - 1;
                i++;
            }
        }
        return names;
    }

    private static boolean isMagic(ByteBuffer b, int at) {
        return b.get(at) == 'P' && b.get(at + 1) == 'A' && b.get(at + 2) == 'R' && b.get(at + 3) == '1';
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip();
    }

    static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
