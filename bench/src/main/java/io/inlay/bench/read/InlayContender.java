package io.inlay.bench.read;

import io.inlay.engine.io.IoEngine;
import io.inlay.engine.read.DecodeTarget;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.MappedValues;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Inlay's reader, in each of its ways of reading:
 * <ul>
 *   <li>{@code inlay-default}: the {@code default} read mode, every row group decoded into memory
 *       from an arena made for the operation (closed at its end), then summed;</li>
 *   <li>{@code inlay-default-reuse}: the {@code default} mode into {@link ReadBuffers} kept across
 *       operations ({@link ParquetFile#readRowGroup(int, List, io.inlay.engine.read.DecodeTarget)}, buffers per row
 *       group: every row group's vectors stay alive, as in default mode, in memory allocated once);</li>
 *   <li>{@code inlay-row_group}: the {@code row_group} mode, one row group at a time into
 *       {@link ReadBuffers} kept across operations (allocated once, as a worker reading file after
 *       file would);</li>
 *   <li>{@code inlay-zero-copy}: {@link ParquetFile#mappedValues}, summing the values in the
 *       mapping itself (uncompressed files only).</li>
 * </ul>
 * An operation opens the file (mapping, footer) and reads every row group, as a training read
 * does; sums use the same loop as the floors ({@link FloatSums}). The {@code -mapped} variants
 * ({@code inlay-default-mapped}, {@code inlay-default-reuse-mapped}, {@code inlay-row_group-mapped},
 * {@code inlay-zero-copy-mapped})
 * open the file once, when the contender opens, and keep it open (and mapped) across operations,
 * as {@code floor-scan} keeps its mapping: they measure decoding alone, against the floor that
 * leaves opening out. With n threads, thread t reads row groups t, t+n, ... of the one open file,
 * each thread with its own arena or buffers.
 */
public final class InlayContender implements Contender {

    /** How the values are read. */
    private enum Way { DEFAULT, DEFAULT_REUSE, ROW_GROUP, ZERO_COPY }

    /** The contenders, one factory each: a way of reading, with the file opened per operation or once. */
    public enum Mode {
        DEFAULT("inlay-default", Way.DEFAULT, false),
        DEFAULT_REUSE("inlay-default-reuse", Way.DEFAULT_REUSE, false),
        ROW_GROUP("inlay-row_group", Way.ROW_GROUP, false),
        ZERO_COPY("inlay-zero-copy", Way.ZERO_COPY, false),
        DEFAULT_MAPPED("inlay-default-mapped", Way.DEFAULT, true),
        DEFAULT_REUSE_MAPPED("inlay-default-reuse-mapped", Way.DEFAULT_REUSE, true),
        ROW_GROUP_MAPPED("inlay-row_group-mapped", Way.ROW_GROUP, true),
        ZERO_COPY_MAPPED("inlay-zero-copy-mapped", Way.ZERO_COPY, true);

        private final String id;
        private final Way way;
        /** Whether the file is opened once per trial rather than once per operation. */
        private final boolean mappedOnce;

        Mode(String id, Way way, boolean mappedOnce) {
            this.id = id;
            this.way = way;
            this.mappedOnce = mappedOnce;
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
            return mode.way != Way.ZERO_COPY || codec.equals("none");
        }

        @Override
        public Contender open(ReadTarget target) throws Exception {
            return new InlayContender(target, mode);
        }
    }

    /**
     * The system property naming the I/O engine Inlay's contenders read with ({@code auto} when
     * unset): {@link ReadBenchmark#ioEngine} sets it in the benchmark's JVM.
     */
    public static final String IO_ENGINE_PROPERTY = "inlay.bench.io_engine";

    /** The read options of the engine {@link #IO_ENGINE_PROPERTY} names. */
    static ReadOptions options() {
        return ReadOptions.DEFAULT.withIoEngine(IoEngine.parse(System.getProperty(IO_ENGINE_PROPERTY, "auto")));
    }

    private final ReadTarget target;
    private final Mode mode;
    private final List<String> columns;
    private final ReadBuffers[] buffers;
    private final Workers workers;
    /** The file, for the {@code -mapped} modes: open from the contender's opening to its close. */
    private final ParquetFile held;

    InlayContender(ReadTarget target, Mode mode) throws Exception {
        this.target = target;
        this.mode = mode;
        this.columns = List.of(target.shape().column());
        this.held = mode.mappedOnce ? ParquetFile.open(target.file(), options()) : null;
        this.buffers = new ReadBuffers[target.threads()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new ReadBuffers();
        }
        this.workers = new Workers(target.threads(), "inlay");
    }

    @Override
    public double sum() throws Exception {
        return read(true);
    }

    /**
     * Decodes every row group as {@link #sum()} does, but reads back only the first value and the
     * length of each vector (zero-copy: still sums the slices, which is its whole work).
     */
    @Override
    public double decode() throws Exception {
        return read(mode.way == Way.ZERO_COPY);
    }

    private double read(boolean consume) throws Exception {
        if (held != null) {
            return read(held, consume);
        }
        try (ParquetFile file = ParquetFile.open(target.file(), options())) {
            return read(file, consume);
        }
    }

    private double read(ParquetFile file, boolean consume) throws Exception {
        int groups = file.rowGroupCount();
        return workers.sum((part, parts) -> {
            double total = 0;
            switch (mode.way) {
                case DEFAULT -> {
                    try (Arena arena = Arena.ofConfined()) {
                        for (int g = part; g < groups; g += parts) {
                            total += use(file.readRowGroup(g, columns, DecodeTarget.arena(arena)), consume);
                        }
                    }
                }
                case DEFAULT_REUSE -> {
                    for (int g = part; g < groups; g += parts) {
                        total += use(file.readRowGroup(g, columns, buffers[part]), consume);
                    }
                }
                case ROW_GROUP -> {
                    try (RowGroupReader reader = file.rowGroups(columns, buffers[part])) {
                        for (int g = part; g < groups; g += parts) {
                            total += use(reader.read(g), consume);
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

    private double use(RowGroupData group, boolean consume) {
        ColumnVector v = group.column(columns.get(0));
        ColumnVector values = v.type().list() ? v.child() : v;
        if (!consume) {
            return values.length() + (values.length() > 0 ? values.getFloat(0) : 0);
        }
        return FloatSums.sum(values.values(), 0, values.length());
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
        }
        workers.close();
        for (ReadBuffers b : buffers) {
            b.close();
        }
    }
}
