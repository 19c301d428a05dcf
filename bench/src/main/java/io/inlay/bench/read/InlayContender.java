package io.inlay.bench.read;

import io.inlay.engine.read.MappedValues;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.vector.ColumnVector;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Inlay's reader, in each of its ways of reading:
 * <ul>
 *   <li>{@code inlay-default}: the {@code default} read mode, every row group decoded into memory
 *       from an arena made for the operation (closed at its end), then summed;</li>
 *   <li>{@code inlay-row_group}: the {@code row_group} mode, one row group at a time into
 *       {@link ReadBuffers} kept across operations (allocated once, as a worker reading file after
 *       file would);</li>
 *   <li>{@code inlay-zero-copy}: {@link ParquetFile#mappedValues}, summing the values in the
 *       mapping itself (uncompressed files only).</li>
 * </ul>
 * An operation opens the file (mapping, footer) and reads every row group; sums use the same loop
 * as the floors ({@link FloatSums}). With n threads, thread t reads row groups t, t+n, ... of the
 * one open file, each thread with its own arena or buffers.
 */
public final class InlayContender implements Contender {

    /** The read modes, one factory each. */
    public enum Mode {
        DEFAULT("inlay-default"),
        ROW_GROUP("inlay-row_group"),
        ZERO_COPY("inlay-zero-copy");

        private final String id;

        Mode(String id) {
            this.id = id;
        }
    }

    /** Registers one mode. */
    public static final class Factory implements ContenderFactory {
        private final Mode mode;

        public Factory(Mode mode) {
            this.mode = mode;
        }

        @Override
        public String name() {
            return mode.id;
        }

        @Override
        public boolean supportsCodec(String codec) {
            return mode != Mode.ZERO_COPY || codec.equals("none");
        }

        @Override
        public Contender open(ReadTarget target) {
            return new InlayContender(target, mode);
        }
    }

    private final ReadTarget target;
    private final Mode mode;
    private final List<String> columns;
    private final ReadBuffers[] buffers;
    private final Workers workers;

    InlayContender(ReadTarget target, Mode mode) {
        this.target = target;
        this.mode = mode;
        this.columns = List.of(target.shape().column());
        this.buffers = new ReadBuffers[target.threads()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new ReadBuffers();
        }
        this.workers = new Workers(target.threads(), "inlay");
    }

    @Override
    public double sum() throws Exception {
        try (ParquetFile file = ParquetFile.open(target.file())) {
            int groups = file.rowGroupCount();
            return workers.sum((part, parts) -> {
                double total = 0;
                switch (mode) {
                    case DEFAULT -> {
                        try (Arena arena = Arena.ofConfined()) {
                            for (int g = part; g < groups; g += parts) {
                                total += sum(file.readRowGroup(g, columns, arena));
                            }
                        }
                    }
                    case ROW_GROUP -> {
                        try (RowGroupReader reader = file.rowGroups(columns, buffers[part])) {
                            for (int g = part; g < groups; g += parts) {
                                total += sum(reader.read(g));
                            }
                        }
                    }
                    case ZERO_COPY -> {
                        for (int g = part; g < groups; g += parts) {
                            MappedValues m = file.mappedValues(columns.get(0), g);
                            for (MemorySegment page : m.pages()) {
                                total += FloatSums.sum(page, 0, page.byteSize() / 4);
                            }
                        }
                    }
                }
                return total;
            });
        }
    }

    private double sum(RowGroupData group) {
        ColumnVector v = group.column(columns.get(0));
        ColumnVector values = v.type().list() ? v.child() : v;
        return FloatSums.sum(values.values(), 0, values.length());
    }

    @Override
    public void close() {
        workers.close();
        for (ReadBuffers b : buffers) {
            b.close();
        }
    }
}
