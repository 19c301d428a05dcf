package io.inlay.bench.cold;

import dev.hardwood.HardwoodContext;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnProjection;
import io.inlay.bench.read.ArrowContender;
import io.inlay.bench.read.FloatSums;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The in-process contenders of the cold benchmark: Inlay with each of its I/O engines, and the JVM
 * peers of {@code ReadBenchmark} (parquet-java, DuckDB, Arrow, Hardwood) reading the projected
 * columns of every file of a case. Each reads exactly what a training read needs: the projected
 * column chunks, every float of them summed with the same loop where the values come in bulk.
 */
public final class JvmReaders {
    private JvmReaders() {}

    /**
     * Inlay's I/O engines, one contender each: a name and how it changes {@link ReadOptions#DEFAULT}.
     *
     * <p>The one place engines are listed: {@code inlay-auto} (the default), {@code inlay-mmap},
     * {@code inlay-pread}, {@code inlay-direct} and {@code inlay-io_uring}, each through
     * {@link ReadOptions#withIoEngine} ({@code withIoDepth}/{@code withTransferSize} left at their
     * defaults). {@link ColdRun} runs every entry.
     */
    public static final List<InlayEngine> INLAY_ENGINES = List.of(
            new InlayEngine("inlay-auto", o -> o.withIoEngine(IoEngine.AUTO)),
            new InlayEngine("inlay-mmap", o -> o.withIoEngine(IoEngine.MMAP)),
            new InlayEngine("inlay-pread", o -> o.withIoEngine(IoEngine.PREAD)),
            new InlayEngine("inlay-direct", o -> o.withIoEngine(IoEngine.DIRECT)),
            new InlayEngine("inlay-io_uring", o -> o.withIoEngine(IoEngine.IO_URING)),
            // the default depth before 2026-12-03 (16 x 1 MiB in flight), for the comparison that moved it to 32
            new InlayEngine("inlay-io_uring-depth16", o -> o.withIoEngine(IoEngine.IO_URING).withIoDepth(16)));

    public static final JvmReader.Factory PARQUET_JAVA = factory("parquet-java", ParquetJavaReader::new);
    public static final JvmReader.Factory DUCKDB = factory("duckdb", DuckDbReader::new);
    public static final JvmReader.Factory ARROW = factory("arrow", ArrowDatasetReader::new);
    public static final JvmReader.Factory HARDWOOD = factory("hardwood", HardwoodReader::new);

    /** Every in-process contender: Inlay's engines first, then the peers. */
    public static List<JvmReader.Factory> all() {
        List<JvmReader.Factory> all = new ArrayList<>(INLAY_ENGINES);
        all.addAll(List.of(PARQUET_JAVA, DUCKDB, ARROW, HARDWOOD));
        return all;
    }

    private interface Opener {
        JvmReader open(ColdCase c, int threads) throws Exception;
    }

    private static JvmReader.Factory factory(String name, Opener opener) {
        return new JvmReader.Factory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JvmReader open(ColdCase c, int threads) throws Exception {
                return opener.open(c, threads);
            }
        };
    }

    /** The sum of a decoded column: the list's child values for a vector column. */
    private static double sum(ColumnVector v) {
        ColumnVector values = v.type().list() ? v.child() : v;
        return FloatSums.sum(values.values(), 0, values.length());
    }

    /**
     * Inlay's reader with one I/O engine, in the {@code row_group} read mode (one row group at a
     * time into {@link ReadBuffers} kept across files, as a worker reading file after file does):
     * each thread opens the files of its {@linkplain ColdCase#share share} with
     * {@link ParquetFile#open(Path, ReadOptions)}, reads its row groups and closes them.
     *
     * @param name the contender's name
     * @param options how the engine changes {@link ReadOptions#DEFAULT}
     */
    public record InlayEngine(String name, UnaryOperator<ReadOptions> options) implements JvmReader.Factory {
        @Override
        public JvmReader open(ColdCase c, int threads) {
            return new InlayReader(c, threads, options.apply(ReadOptions.DEFAULT), name);
        }
    }

    private static final class InlayReader implements JvmReader {
        private final ColdCase c;
        private final ReadOptions options;
        private final List<String> columns;
        private final ReadBuffers[] buffers;
        private final Parts parts;

        InlayReader(ColdCase c, int threads, ReadOptions options, String name) {
            this.c = c;
            this.options = options;
            this.columns = c.projectedNames();
            this.buffers = new ReadBuffers[threads];
            for (int i = 0; i < threads; i++) {
                buffers[i] = new ReadBuffers();
            }
            this.parts = new Parts(threads, name);
        }

        /** Files read with each engine (after auto's choice and fallbacks) in the last sum. */
        private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> engines =
                new java.util.concurrent.ConcurrentHashMap<>();
        private IoStats before = IoStats.ZERO;
        private IoStats last = IoStats.ZERO;

        private IoStats ioStats() {
            IoStats s = IoStats.ZERO;
            for (ReadBuffers b : buffers) {
                s = s.plus(b.ioStats());
            }
            return s;
        }

        @Override
        public java.util.Map<String, Object> lastDetail() {
            java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
            java.util.Map<String, Long> e = new java.util.TreeMap<>();
            engines.forEach((k, v) -> e.put(k, v.sum()));
            d.put("engines", e);
            d.put("reads", last.readRequests());
            d.put("uring_reads", last.uringReads());
            d.put("storage_wait_seconds", last.storageWaitNanos() / 1e9);
            return d;
        }

        @Override
        public double sum() throws Exception {
            engines.clear();
            before = ioStats();
            try {
                return sumOnce();
            } finally {
                last = ioStats().minus(before);
            }
        }

        private double sumOnce() throws Exception {
            return parts.sum((part, n) -> {
                ColdCase.Share share = c.share(part, n);
                double total = 0;
                List<Path> files = share.files();
                for (int i = 0; i < files.size(); i++) {
                    Path f = files.get(i);
                    // as a worker of `inlay read` does: the next files (as many as fill the queue) are
                    // announced once this one is open, so that their footers and first ranges are in
                    // flight while it is decoded
                    try (ParquetFile file = ParquetFile.open(f, options, buffers[part]);
                            RowGroupReader reader = file.rowGroups(columns, buffers[part])) {
                        engines.computeIfAbsent(file.ioEngine().configName(), k -> new java.util.concurrent.atomic.LongAdder())
                                .increment();
                        if (options.readAhead() && i + 1 < files.size()) {
                            int want = ReadBuffers.filesToAnnounce(options, file.size());
                            buffers[part].readAhead(files.subList(i + 1, Math.min(files.size(), i + 1 + want)), options, columns);
                        }
                        for (int g = share.firstGroup(); g < file.rowGroupCount(); g += share.groupStep()) {
                            RowGroupData data = reader.read(g);
                            for (String column : columns) {
                                total += JvmReaders.sum(data.column(column));
                            }
                        }
                    }
                }
                return total;
            });
        }

        @Override
        public void close() {
            parts.close();
            for (ReadBuffers b : buffers) {
                b.close();
            }
        }
    }

    /**
     * parquet-java 1.18.1's column API, as {@code ParquetJavaContender}: {@code ParquetFileReader}
     * over a {@code LocalInputFile} with the projected columns as its requested schema (so only
     * their chunks are read), a {@code ColumnReadStoreImpl} column reader per projected column
     * walking the triplets. Each thread opens the files of its share.
     */
    private static final class ParquetJavaReader implements JvmReader {
        private final ColdCase c;
        private final List<String> columns;
        private final Parts parts;

        ParquetJavaReader(ColdCase c, int threads) {
            this.c = c;
            this.columns = c.projectedNames();
            this.parts = new Parts(threads, "parquet-java");
        }

        @Override
        public double sum() throws Exception {
            return parts.sum((part, n) -> {
                ColdCase.Share share = c.share(part, n);
                // options per reader: their codec factory caches decompressors that are not thread-safe
                ParquetReadOptions options = ParquetReadOptions.builder().usePageChecksumVerification(false).build();
                double total = 0;
                for (Path f : share.files()) {
                    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(f), options)) {
                        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                        String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
                        List<Type> fields = new ArrayList<>();
                        for (String column : columns) {
                            fields.add(schema.getType(column));
                        }
                        MessageType projected = new MessageType(schema.getName(), fields);
                        reader.setRequestedSchema(projected);
                        GroupConverter converter = new NoOpGroupConverter(projected);
                        int groups = reader.getRowGroups().size();
                        for (int g = share.firstGroup(); g < groups; g += share.groupStep()) {
                            PageReadStore pages = reader.readRowGroup(g);
                            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, converter, projected, createdBy);
                            for (ColumnDescriptor column : projected.getColumns()) {
                                long triplets = pages.getPageReader(column).getTotalValueCount();
                                int maxDef = column.getMaxDefinitionLevel();
                                ColumnReader values = store.getColumnReader(column);
                                for (long i = 0; i < triplets; i++) {
                                    if (values.getCurrentDefinitionLevel() == maxDef) {
                                        total += values.getFloat();
                                    }
                                    values.consume();
                                }
                            }
                        }
                    }
                }
                return total;
            });
        }

        @Override
        public void close() {
            parts.close();
        }
    }

    /** The converter tree the column store asks for; values are read from the column readers directly. */
    private static final class NoOpGroupConverter extends GroupConverter {
        private final Converter[] children;

        NoOpGroupConverter(GroupType type) {
            children = new Converter[type.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                children[i] = type.getType(i).isPrimitive()
                        ? new PrimitiveConverter() {}
                        : new NoOpGroupConverter(type.getType(i).asGroupType());
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {}

        @Override
        public void end() {}
    }

    /**
     * DuckDB JDBC summing inside DuckDB over {@code read_parquet([every file])}, {@code SET threads = n},
     * external file cache off: for one vector column {@code sum(f::DOUBLE)} over its
     * {@code unnest} (DuckDB's fastest form, as in {@code DuckDbContender}); otherwise one
     * {@code sum(c::DOUBLE)} per scalar and {@code sum(list_sum(c::DOUBLE[]))} per vector column,
     * added here.
     */
    private static final class DuckDbReader implements JvmReader {
        private final Connection connection;
        private final String query;

        DuckDbReader(ColdCase c, int threads) throws SQLException {
            this.connection = DriverManager.getConnection("jdbc:duckdb:");
            boolean ok = false;
            try (Statement s = connection.createStatement()) {
                s.execute("SET threads = " + threads);
                s.execute("SET enable_external_file_cache = false");
                ok = true;
            } finally {
                if (!ok) {
                    connection.close();
                }
            }
            String files = "read_parquet(" + c.files().stream()
                    .map(p -> "'" + p.toAbsolutePath().toString().replace("'", "''") + "'")
                    .collect(Collectors.joining(", ", "[", "]")) + ")";
            List<ColumnSpec> projected = c.projected();
            if (projected.size() == 1 && projected.get(0).isVector()) {
                this.query = "SELECT sum(f::DOUBLE) FROM (SELECT unnest(" + quote(projected.get(0).name()) + ") AS f FROM "
                        + files + ")";
            } else {
                this.query = "SELECT " + projected.stream()
                        .map(col -> col.isVector() ? "sum(list_sum(" + quote(col.name()) + "::DOUBLE[]))"
                                : "sum(" + quote(col.name()) + "::DOUBLE)")
                        .collect(Collectors.joining(", ")) + " FROM " + files;
            }
        }

        private static String quote(String name) {
            return "\"" + name.replace("\"", "\"\"") + "\"";
        }

        @Override
        public double sum() throws SQLException {
            // a fresh statement each time: DuckDB closes a statement whose query failed
            try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query)) {
                if (!r.next()) {
                    throw new SQLException("DuckDB returned no row for " + query);
                }
                double total = 0;
                int n = r.getMetaData().getColumnCount();
                for (int i = 1; i <= n; i++) {
                    total += r.getDouble(i);
                }
                return total;
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException("closing the DuckDB connection failed", e);
            }
        }
    }

    /**
     * Arrow Java dataset 18.3.0 (Arrow C++ through JNI): one {@code FileSystemDatasetFactory} over
     * every file of the case, scanned with the projected columns and batches of a row group, each
     * batch's floats summed over Arrow's off-heap buffers. Threads: Arrow C++'s CPU pool, sized once
     * per JVM ({@link ArrowContender#sizeThreadPool}).
     */
    private static final class ArrowDatasetReader implements JvmReader {
        private final BufferAllocator allocator;
        private final String[] uris;
        private final String[] columns;
        private final long batchRows;

        ArrowDatasetReader(ColdCase c, int threads) {
            ArrowContender.sizeThreadPool(threads);
            this.allocator = new RootAllocator();
            this.uris = c.files().stream().map(p -> p.toUri().toString()).toArray(String[]::new);
            this.columns = c.projectedNames().toArray(String[]::new);
            this.batchRows = c.dataset().rowGroupSize();
        }

        @Override
        @SuppressWarnings("try") // Arrow's Dataset and Scanner declare close() throws Exception
        public double sum() throws Exception {
            double sum = 0;
            try (DatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
                            FileFormat.PARQUET, uris);
                    Dataset dataset = factory.finish();
                    Scanner scanner = dataset.newScan(new ScanOptions(batchRows, Optional.of(columns)));
                    ArrowReader reader = scanner.scanBatches()) {
                while (reader.loadNextBatch()) {
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    for (String column : columns) {
                        sum += sum(root.getVector(column));
                    }
                }
            }
            return sum;
        }

        private static double sum(FieldVector vector) {
            if (vector instanceof ListVector list) {
                int rows = list.getValueCount();
                if (rows == 0) {
                    return 0;
                }
                ArrowBuf offsets = list.getOffsetBuffer();
                int start = offsets.getInt(0);
                int end = offsets.getInt((long) rows * ListVector.OFFSET_WIDTH);
                return floats((Float4Vector) list.getDataVector(), start, end);
            }
            return floats((Float4Vector) vector, 0, vector.getValueCount());
        }

        @SuppressWarnings("restricted") // a view of Arrow's off-heap buffer, which outlives the loop
        private static double floats(Float4Vector floats, int from, int to) {
            if (floats.getNullCount() == 0) {
                if (to == 0) {
                    return 0;
                }
                MemorySegment values = MemorySegment.ofAddress(floats.getDataBuffer().memoryAddress()).reinterpret(4L * to);
                return FloatSums.sum(values, 4L * from, to - from);
            }
            double sum = 0;
            for (int i = from; i < to; i++) {
                if (!floats.isNull(i)) {
                    sum += floats.get(i);
                }
            }
            return sum;
        }

        @Override
        public void close() {
            allocator.close();
        }
    }

    /**
     * Hardwood 1.0.0.Final (pure Java, mmap-based): {@code ParquetFileReader.open}/{@code openAll}
     * over the case's files with a {@code HardwoodContext} of n threads, the projected columns read
     * together through {@code buildColumnReaders} in batches of {@value #BATCH_ROWS} records (see
     * {@code HardwoodContender} for why the vector batch is bounded), each batch's floats summed.
     */
    private static final class HardwoodReader implements JvmReader {
        static final int BATCH_ROWS = 1024;
        private final List<Path> files;
        private final HardwoodContext context;
        private final ColumnProjection projection;

        HardwoodReader(ColdCase c, int threads) {
            this.files = c.files();
            this.context = HardwoodContext.create(threads);
            this.projection = ColumnProjection.columns(c.projectedNames().toArray(String[]::new));
        }

        @Override
        public double sum() throws Exception {
            double sum = 0;
            // input files made per read: an InputFile keeps its mapping, which would pin the pages in the page cache
            List<InputFile> inputs = files.stream().map(InputFile::of).toList();
            try (dev.hardwood.reader.ParquetFileReader reader = inputs.size() == 1
                            ? dev.hardwood.reader.ParquetFileReader.open(inputs.get(0), context)
                            : dev.hardwood.reader.ParquetFileReader.openAll(inputs, context);
                    ColumnReaders columns = reader.buildColumnReaders(projection).batchSize(BATCH_ROWS).build()) {
                int n = columns.getColumnCount();
                while (columns.nextBatch()) {
                    for (int i = 0; i < n; i++) {
                        dev.hardwood.reader.ColumnReader column = columns.getColumnReader(i);
                        int count = column.getValueCount();
                        float[] values = column.getFloats();
                        Validity validity = column.getLeafValidity();
                        if (!validity.hasNulls()) {
                            sum += FloatSums.sum(values, 0, count);
                        } else {
                            for (int k = 0; k < count; k++) {
                                if (validity.isNotNull(k)) {
                                    sum += values[k];
                                }
                            }
                        }
                    }
                }
            }
            return sum;
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
