package io.inlay.engine.dataset;

import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.vector.ColumnChecksum;
import io.inlay.engine.vector.ValueHasher;
import io.inlay.engine.write.ColumnSource;
import io.inlay.engine.write.ParquetWriter;
import io.inlay.engine.write.WriterOptions;
import io.inlay.engine.write.WrittenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a DLIO dataset: the files of this rank ({@code rank, rank + worldSize, ...} of each split)
 * on {@code threads} threads, one {@link ParquetWriter} per file, in the {@link DatasetLayout}.
 *
 * <p><b>The default schema</b> (a config without {@code parquet.columns}) is one {@code data} column
 * of dtype {@code blob}: each sample is a LIST of BYTE_ARRAY chunks of 1 MiB, written a page at a
 * time whatever its size, and every sample of a file has the length {@link SampleSizes} draws for
 * the file from {@code record_length_bytes} and {@code record_length_bytes_stdev}, as DLIO's
 * generators do.
 *
 * <p><b>Values</b> are deterministic: every column's values come from a stream keyed by the seed,
 * the split, the file index, the partition value and the column name (see {@link ValueSources}),
 * so the same spec and seed give byte-identical files whatever the thread count or rank. The
 * footer's {@value #CONFIG_KEY} metadata records what the values depend on (not where the files
 * are, nor how many threads wrote them).
 *
 * <p><b>Partitioning.</b> With {@code partition_by}, the partition column's values are drawn for the
 * file's {@code num_samples_per_file} rows; the rows are then routed by value: the file's part for
 * value {@code v} holds as many rows as drew {@code v}, with their other columns generated for that
 * part, under {@code {col}={v}/}. The partition column itself is not stored in the files.
 *
 * <p><b>Re-runs.</b> A file that exists is kept (unless {@code overwrite}) only when its footer's
 * {@value #CONFIG_KEY} record equals the one this run would write (the spec's shape, codec and
 * columns, the seed, the writer options), its row count and columns are right and every page
 * verifies (CRCs checked); otherwise it is rewritten and its {@link FileResult#rewriteReason()}
 * says why. Temporary files left by a killed run are deleted before the file they belong to is
 * written, so a re-run completes a dataset.
 *
 * <p>An instance runs once. {@link #progress()} and {@link #cancel()} may be called from any thread.
 */
public final class DatasetGenerator {
    /** The footer key holding the generating configuration (JSON). */
    public static final String CONFIG_KEY = "inlay.config";

    private record Task(Split split, int index) {}

    private final DatasetSpec spec;
    private final GenerateOptions options;
    private final DatasetLayout layout;
    private final List<ColumnSpec> stored;
    private final List<String> storedNames;
    /** The writer options of every file: the run's, with the spec's codec, row group size and the record. */
    private final WriterOptions fileOptions;
    private final GenerationRecord record;
    private final GenerateProgress progress = new GenerateProgress();
    /** Temporary files left by killed runs, by the file they were to become; listed once per run. */
    private Map<Path, List<Path>> staleTemps = Map.of();
    private volatile boolean cancelled;

    public DatasetGenerator(DatasetSpec spec, GenerateOptions options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
        this.layout = new DatasetLayout(spec);
        this.stored = spec.storedColumns();
        this.storedNames = stored.stream().map(ColumnSpec::name).toList();
        WriterOptions base = options.writer();
        WriterOptions w = (base.compressionLevel().isPresent()
                ? base.withCodec(spec.compression(), base.compressionLevel().getAsInt()) : base.withCodec(spec.compression()))
                .withRowGroupRows(spec.rowGroupSize());
        String json = configJson(spec, options.seed(), w);
        this.record = GenerationRecord.parse(json);
        // files that are to leave the page cache are written around it (O_DIRECT): the kernel then copies
        // nothing into cache pages it would only write back and drop (the copy was most of generation's CPU)
        this.fileOptions = w.withDirect(base.direct() || !options.keepCached()).withKeyValueMetadata(Map.of(CONFIG_KEY, json));
    }

    /** Generates {@code spec} with {@code options} and returns what was done. */
    public static GenerateResult generate(DatasetSpec spec, GenerateOptions options) throws IOException, InterruptedException {
        return new DatasetGenerator(spec, options).run();
    }

    /** Live counters, for progress reports. */
    public GenerateProgress progress() {
        return progress;
    }

    /** Asks the run to stop: files being written are abandoned (their temporary files deleted). */
    public void cancel() {
        cancelled = true;
    }

    /** The layout of the dataset. */
    public DatasetLayout layout() {
        return layout;
    }

    /**
     * Generates this rank's files.
     *
     * @throws IOException naming the file that failed (the files finished before it stay)
     */
    public GenerateResult run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Task> tasks = tasks();
        staleTemps = findStaleTempFiles();
        progress.start(tasks.size(), estimatedBytes(tasks.size()));
        List<List<FileResult>> results = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            results.add(null);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int t;
            while (failure.get() == null && !cancelled && (t = next.getAndIncrement()) < tasks.size()) {
                try {
                    results.set(t, runTask(tasks.get(t)));
                    progress.fileDone();
                } catch (Throwable e) {
                    // an Error too: it must stop the run and reach the caller, not die with the thread
                    failure.compareAndSet(null, e);
                }
            }
        };
        int n = Math.max(1, Math.min(options.threads(), tasks.size()));
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().name("inlay-generate-" + i).start(worker));
        }
        try {
            for (Thread th : threads) {
                th.join();
            }
        } catch (InterruptedException e) {
            cancel();
            for (Thread th : threads) {
                th.join();
            }
            throw e;
        }
        Throwable e = failure.get();
        if (e instanceof IOException io) {
            throw io;
        } else if (e instanceof Error err) {
            throw err;
        } else if (e != null) {
            throw new IOException(e.getMessage(), e);
        }
        if (cancelled) {
            throw new IOException("generation cancelled");
        }
        return summarize(results, (System.nanoTime() - start) / 1e9);
    }

    /**
     * One walk over the split folders, rather than a directory listing per file: a dataset of
     * 65,536 files in one folder would otherwise cost 65,536 listings of 65,536 entries.
     */
    private Map<Path, List<Path>> findStaleTempFiles() throws IOException {
        Map<Path, List<Path>> found = new java.util.HashMap<>();
        for (Split split : Split.values()) {
            Path folder = layout.splitFolder(split);
            if (spec.numFiles(split) == 0 || !Files.isDirectory(folder)) {
                continue;
            }
            try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
                files.forEach(f -> ParquetWriter.targetOfTempFile(f).ifPresent(target -> found
                        .computeIfAbsent(target.toAbsolutePath().normalize(), k -> new ArrayList<>()).add(f)));
            }
        }
        return found;
    }

    private List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (Split split : Split.values()) {
            for (int i = options.rank(); i < spec.numFiles(split); i += options.worldSize()) {
                tasks.add(new Task(split, i));
            }
        }
        return tasks;
    }

    private long estimatedBytes(int files) {
        long perRow = 0;
        for (ColumnSpec c : stored) {
            perRow += switch (c.elementType()) {
                case STRING -> (long) c.valuesPerRow() * (4 + (ValueSources.MIN_STRING + ValueSources.MAX_STRING) / 2);
                case BINARY -> c.isBlob() ? c.size() + 4L * ((c.size() + ColumnSpec.BLOB_CHUNK - 1) / ColumnSpec.BLOB_CHUNK)
                        : 4L + c.size();
                case BOOL -> (c.valuesPerRow() + 7) / 8;
                case INT8 -> 4L * c.valuesPerRow();
                default -> (long) c.valuesPerRow() * c.elementType().byteWidth();
            };
        }
        return files * spec.numSamplesPerFile() * perRow;
    }

    private List<FileResult> runTask(Task task) throws IOException {
        long fileKey = ValueHasher.mix64(ValueHasher.mix64(options.seed() ^ (task.split().ordinal() + 1) * 0xA24BAED4963EE407L)
                + task.index() * ValueHasher.PHI);
        Optional<ColumnSpec> partition = spec.partitionColumn();
        if (partition.isEmpty()) {
            return List.of(writeOrSkip(task, layout.file(task.split(), task.index()), spec.numSamplesPerFile(), fileKey,
                    null, null));
        }
        ColumnSpec pc = partition.get();
        boolean bool = pc.dtype() == DType.BOOL;
        long partitionKey = ValueHasher.mix64(fileKey + ValueSources.nameKey(pc.name()));
        long[] counts = new long[bool ? 2 : 256];
        for (long row = 0; row < spec.numSamplesPerFile(); row++) {
            counts[bool ? (ValueSources.boolAt(partitionKey, row) ? 1 : 0) : ValueSources.int8At(partitionKey, row) + 128]++;
        }
        List<FileResult> out = new ArrayList<>();
        for (int v = 0; v < counts.length; v++) {
            if (counts[v] == 0) {
                continue;
            }
            int value = bool ? v : v - 128;
            String name = bool ? Boolean.toString(v == 1) : Integer.toString(value);
            long partKey = ValueHasher.mix64(fileKey + (v + 1) * 0xD1B54A32D192ED03L);
            ColumnChecksum pcs = partitionChecksum(pc, value, counts[v]);
            out.add(writeOrSkip(task, layout.partitionFile(task.split(), task.index(), name), counts[v], partKey, name, pcs));
        }
        return out;
    }

    private FileResult writeOrSkip(Task task, Path target, long rows, long key, String partitionValue,
            ColumnChecksum partitionChecksum) throws IOException {
        for (Path stale : staleTemps.getOrDefault(target.toAbsolutePath().normalize(), List.of())) {
            Files.deleteIfExists(stale);
        }
        String rewriteReason = null;
        String rewriteDetail = null;
        if (!options.overwrite() && ExistingFileCheck.exists(target)) {
            Optional<ExistingFileCheck.Problem> problem = ExistingFileCheck.problem(target, rows, storedNames, record);
            if (problem.isEmpty()) {
                leaveCache(target);
                return new FileResult(target, task.split(), task.index(), partitionValue, rows, Files.size(target), true,
                        List.of(), null, null);
            }
            rewriteReason = problem.get().kind();
            rewriteDetail = problem.get().detail();
        }
        WriterOptions wo = fileOptions;
        List<ColumnSource> sources = new ArrayList<>(stored.size());
        for (ColumnSpec c : stored) {
            long columnKey = ValueHasher.mix64(key + ValueSources.nameKey(c.name()));
            sources.add(spec.defaultSchema() && c.isBlob()
                    ? ValueSources.blobs(spec.sampleLength(options.seed(), task.split(), task.index()), columnKey)
                    : ValueSources.of(c, columnKey));
        }
        WrittenFile written;
        long traceStart = Trace.start();
        try (ParquetWriter w = ParquetWriter.create(target, stored, wo)) {
            w.onBytesWritten(n -> {
                if (cancelled) {
                    throw new CancellationException("generation cancelled");
                }
                progress.addBytes(n);
            });
            w.write(rows, sources);
            written = w.finish();
        }
        Trace.end(EngineEvents.WRITE_FILE, traceStart, target, null, written.rows(), written.bytes(), 0, 0);
        leaveCache(target);
        List<ColumnChecksum> sums = new ArrayList<>(written.checksums());
        if (partitionChecksum != null && wo.checksums()) {
            sums.add(spec.columns().indexOf(spec.partitionColumn().orElseThrow()), partitionChecksum);
        }
        return new FileResult(target, task.split(), task.index(), partitionValue, written.rows(), written.bytes(), false,
                sums, rewriteReason, rewriteDetail);
    }

    /**
     * Drops a complete file from the page cache (after {@code fdatasync}: dirty pages cannot be
     * dropped), unless the options keep it cached.
     */
    private void leaveCache(Path file) throws IOException {
        if (options.keepCached() || !io.inlay.engine.internal.os.Posix.available()) {
            return;
        }
        int error = io.inlay.engine.internal.os.Posix.dropFromPageCache(file.toString());
        if (error > 0) {
            throw new IOException(file + ": dropping it from the page cache: " + io.inlay.engine.internal.os.Posix.strerror(error));
        }
    }

    /** The checksum of {@code count} copies of a partition value, as a stored column's would be. */
    private static ColumnChecksum partitionChecksum(ColumnSpec pc, int value, long count) {
        ValueHasher h = new ValueHasher();
        for (long i = 0; i < count; i++) {
            h.addByte(value);
        }
        return new ColumnChecksum(pc.name(), count, 0, (double) value * count, h.value());
    }

    private static GenerateResult summarize(List<List<FileResult>> results, double seconds) {
        List<FileResult> files = new ArrayList<>();
        int written = 0;
        int skipped = 0;
        long rows = 0;
        long bytes = 0;
        for (List<FileResult> list : results) {
            for (FileResult f : list) {
                files.add(f);
                if (f.skipped()) {
                    skipped++;
                } else {
                    written++;
                    rows += f.rows();
                    bytes += f.bytes();
                }
            }
        }
        return new GenerateResult(written, skipped, rows, bytes, seconds, files);
    }

    /**
     * What a file's bytes depend on, as canonical JSON: the spec (no paths), the seed and the
     * writer options that shape the file ({@code w}: the codec and its level, page version and
     * size, encodings, CRCs, statistics). No paths, thread counts or ranks.
     */
    static String configJson(DatasetSpec spec, long seed, WriterOptions w) {
        StringBuilder sb = new StringBuilder("{\"format\":\"parquet\"");
        sb.append(",\"seed\":").append(seed);
        sb.append(",\"num_files_train\":").append(spec.numFilesTrain());
        sb.append(",\"num_files_eval\":").append(spec.numFilesEval());
        sb.append(",\"num_samples_per_file\":").append(spec.numSamplesPerFile());
        sb.append(",\"compression\":\"").append(spec.compression().configName()).append('"');
        sb.append(",\"compression_level\":").append(w.compressionLevel().isPresent()
                ? Integer.toString(w.compressionLevel().getAsInt()) : "\"default\"");
        sb.append(",\"row_group_size\":").append(spec.rowGroupSize());
        if (spec.defaultSchema()) {
            // the default column's sample lengths follow these
            sb.append(",\"record_length_bytes\":").append(spec.recordLengthBytes());
            sb.append(",\"record_length_bytes_stdev\":").append(spec.recordLengthBytesStdev());
        }
        sb.append(",\"partition_by\":").append(spec.partitionBy() == null ? "null" : quote(spec.partitionBy()));
        sb.append(",\"columns\":[");
        for (int i = 0; i < spec.columns().size(); i++) {
            ColumnSpec c = spec.columns().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(c.name()))
                    .append(",\"dtype\":\"").append(c.dtype().configName()).append("\",\"size\":").append(c.size()).append('}');
        }
        sb.append("]");
        sb.append(",\"page_version\":").append(w.pageVersion().number());
        sb.append(",\"page_size\":").append(w.targetPageBytes());
        sb.append(",\"dictionary\":").append(w.dictionary());
        sb.append(",\"byte_stream_split\":").append(w.byteStreamSplit());
        sb.append(",\"page_crc\":").append(w.pageCrc());
        sb.append(",\"statistics\":").append(w.statistics());
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
