package io.inlay.engine.internal.write;

import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.os.DirectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The file a writer appends to, written under a temporary name in the target's directory and
 * renamed into place only by {@link #commit}: a file under the final name is always complete.
 *
 * <pre>
 * target   dir/img_3_of_8.parquet
 * temp     dir/.img_3_of_8.parquet.&lt;pid&gt;-&lt;n&gt;.inlay-tmp     (hidden, and no .parquet suffix for globs)
 * </pre>
 *
 * Buffered (the default): small writes (page headers, small pages) are gathered in an off-heap
 * staging buffer; large page bodies go straight to the channel, through the page cache.
 *
 * <p>Direct ({@code O_DIRECT}, when asked for and the file system allows it): every byte is copied
 * into one of two aligned off-heap buffers of {@link #DIRECT_BUFFER} bytes; a full buffer is
 * written by a background thread while the writer fills the other, so generating and writing
 * overlap and the kernel copies nothing into the page cache (the device reads the buffer). The
 * last, partial buffer is padded to the alignment, written, and the file truncated to its length
 * by {@link #commit}. Memory: {@code 2 * DIRECT_BUFFER} off-heap, whatever the file's size, taken
 * from (and given back to) a small process-wide pool so that file after file reuses the same memory.
 *
 * <p>Confined to the writer's thread (the background write only reads a buffer the writer has
 * handed over and does not touch until the write is done).
 */
public final class FileOutput implements AutoCloseable {
    /** Suffix of temporary files; a run killed with SIGKILL leaves them behind. */
    public static final String TEMP_SUFFIX = ".inlay-tmp";
    private static final int STAGING = 256 << 10;
    /** Bytes per direct write (and per buffer: two of them per open direct output). */
    public static final int DIRECT_BUFFER = 4 << 20;
    /** The alignment of direct writes (offsets, lengths, buffer addresses) at least. */
    private static final long MIN_DIRECT_ALIGN = DirectFiles.MIN_ALIGN;
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Runs direct outputs' background writes; idle threads end after a minute and never keep the JVM alive. */
    /**
     * Direct buffers given back by closed outputs, for the next ones: fresh memory costs a page
     * fault and the kernel's zeroing per 4 KiB on first touch, which for a generator writing file
     * after file was several per cent of its CPU. At most {@link #POOLED_MAX} are kept (64 MiB);
     * the others, and every buffer not in the pool, are freed by the garbage collector (automatic arenas).
     */
    private static final ConcurrentLinkedQueue<MemorySegment> POOL = new ConcurrentLinkedQueue<>();
    private static final int POOLED_MAX = 16;
    private static final AtomicInteger POOLED = new AtomicInteger();

    private static MemorySegment takeBuffer(long align) {
        if (align <= MIN_DIRECT_ALIGN) {
            MemorySegment s = POOL.poll();
            if (s != null) {
                POOLED.decrementAndGet();
                return s;
            }
        }
        return Arena.ofAuto().allocate(DIRECT_BUFFER, Math.max(align, MIN_DIRECT_ALIGN));
    }

    private static void giveBuffer(MemorySegment s) {
        if (s == null || s.address() % MIN_DIRECT_ALIGN != 0) {
            return;
        }
        if (POOLED.incrementAndGet() <= POOLED_MAX) {
            POOL.add(s);
        } else {
            POOLED.decrementAndGet();
        }
    }

    private static final ExecutorService WRITES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "inlay-direct-write");
        t.setDaemon(true);
        return t;
    });

    private final Path target;
    private final Path temp;
    private final FileChannel file;
    private final WritableByteChannel channel;
    private final GrowableBuffer staging;
    /** Direct mode's state, or null when buffered. */
    private final Direct direct;
    /** Direct mode: {@link #mark}s by file offset, those before the write in flight dropped. */
    private final java.util.TreeMap<Long, int[]> marks = new java.util.TreeMap<>();
    private long position;
    private boolean open = true;

    /**
     * Creates the temporary file for {@code target}.
     *
     * @param wrap lets tests put a failing channel in front of the file; identity otherwise
     */
    public static FileOutput create(Path target, UnaryOperator<WritableByteChannel> wrap) throws IOException {
        return create(target, wrap, false);
    }

    /**
     * Creates the temporary file for {@code target}, written with {@code O_DIRECT} if {@code direct}
     * and the file system takes it (tmpfs does not: the file is then written through the page cache).
     *
     * @param wrap lets tests put a failing channel in front of the file; identity otherwise
     */
    public static FileOutput create(Path target, UnaryOperator<WritableByteChannel> wrap, boolean direct) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = "." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + TEMP_SUFFIX;
        Path temp = dir.resolve(name);
        FileChannel ch;
        long align = 0;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file " + temp + " already exists", e);
        }
        if (direct) {
            FileChannel d = DirectFiles.openForWrite(temp);
            if (d != null) {
                ch.close();
                ch = d;
                align = DirectFiles.alignment(temp, DIRECT_BUFFER);
            }
        }
        try {
            return new FileOutput(target, temp, ch, wrap.apply(ch), align);
        } catch (RuntimeException | Error e) {
            ch.close();
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private FileOutput(Path target, Path temp, FileChannel file, WritableByteChannel channel, long directAlign) {
        this.target = target;
        this.temp = temp;
        this.file = file;
        this.channel = channel;
        this.direct = directAlign > 0 ? new Direct(directAlign) : null;
        this.staging = direct == null ? GrowableBuffer.zeroed(STAGING) : null;
    }

    /**
     * Marks where the bytes of {@code what} (the writer's column and row group) start, at the
     * current position, so that a direct write that fails later, in the background, can be told
     * apart by what it was writing ({@link #markAt}). Buffered outputs fail in the call that
     * writes, so they keep no marks.
     */
    public void mark(int[] what) {
        if (direct != null) {
            marks.put(position, what);
        }
    }

    /** What was {@linkplain #mark marked} last at or before {@code offset}, or null. */
    public int[] markAt(long offset) {
        var e = marks.floorEntry(offset);
        return e == null ? null : e.getValue();
    }

    /** A write that failed at a file offset (a direct output's background write). */
    public static final class WriteFailedAt extends IOException {
        private final long offset;

        WriteFailedAt(long offset, IOException cause) {
            super(cause.getMessage(), cause);
            this.offset = offset;
        }

        /** The file offset of the first byte that was not written. */
        public long offset() {
            return offset;
        }
    }

    /** Whether the file is being written with O_DIRECT. */
    public boolean direct() {
        return direct != null;
    }

    /** The temporary files a writer of {@code target} may have left behind (after a kill). */
    public static List<Path> staleTempFiles(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            ds.forEach(out::add);
        }
        return out;
    }

    /**
     * The file a temporary file was to become ({@code dir/.NAME.PID-N.inlay-tmp} gives
     * {@code dir/NAME}), or empty if {@code temp} is not named like one.
     */
    public static java.util.Optional<Path> targetOfTemp(Path temp) {
        String n = temp.getFileName().toString();
        if (!n.startsWith(".") || !n.endsWith(TEMP_SUFFIX)) {
            return java.util.Optional.empty();
        }
        String core = n.substring(1, n.length() - TEMP_SUFFIX.length());
        int dot = core.lastIndexOf('.');
        if (dot <= 0 || !core.substring(dot + 1).matches("\\d+-\\d+")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(temp.resolveSibling(core.substring(0, dot)));
    }

    public Path target() {
        return target;
    }

    public Path temp() {
        return temp;
    }

    /** Bytes written so far (including staged ones). */
    public long position() {
        return position;
    }

    /** Appends {@code length} bytes of {@code src} from {@code offset}. */
    public void write(MemorySegment src, long offset, long length) throws IOException {
        if (direct != null) {
            direct.put(src, offset, length);
            position += length;
            return;
        }
        if (length <= STAGING / 4) {
            if (staging.size() + length > STAGING) {
                flushStaging();
            }
            staging.put(src, offset, length);
        } else {
            flushStaging();
            writeFully(src.asSlice(offset, length).asByteBuffer());
        }
        position += length;
    }

    /** Appends bytes from a heap array (page headers, the footer). */
    public void write(byte[] src, int offset, int length) throws IOException {
        if (direct != null) {
            direct.put(src, offset, length);
            position += length;
            return;
        }
        if (staging.size() + length > STAGING) {
            flushStaging();
        }
        if (length > STAGING) {
            writeFully(ByteBuffer.wrap(src, offset, length));
        } else {
            staging.put(src, offset, length);
        }
        position += length;
    }

    private void flushStaging() throws IOException {
        if (direct != null) {
            direct.finish();
            return;
        }
        if (staging.size() > 0) {
            writeFully(staging.slice(0, staging.size()).asByteBuffer());
            staging.clear();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /**
     * Flushes, optionally forces the data to the device, and renames the temporary file to the
     * target (replacing an existing file). The output is closed afterwards.
     */
    public void commit(boolean fsync) throws IOException {
        flushStaging();
        if (direct != null) {
            file.truncate(position); // the padding of the last direct write
        }
        if (fsync) {
            file.force(true);
        }
        file.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        open = false;
        if (fsync) {
            forceDirectory(target.toAbsolutePath().getParent());
        }
        release();
    }

    private void release() {
        if (direct != null) {
            direct.close();
        } else {
            staging.close();
        }
    }

    private static void forceDirectory(Path dir) {
        // the rename is durable once the directory is; not every platform lets a directory be opened
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already forced
        }
    }

    /** Closes and deletes the temporary file; nothing is left under either name. Idempotent. */
    public void abort() {
        if (direct != null) {
            direct.awaitQuietly();
        }
        try {
            file.close();
        } catch (IOException e) {
            // the file is being discarded
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // reported by the caller's error; a leftover temp file is cleaned by the next run
        }
        open = false;
        release();
    }

    /** Aborts unless committed. */
    @Override
    public void close() {
        if (open) {
            abort();
        }
    }

    /**
     * Direct mode: two aligned buffers, one being filled by the writer's thread, the other (once
     * full) being written by a background thread. At most one write is in flight, so the file's
     * bytes go out in order through {@link #channel}.
     */
    private final class Direct {
        private final long align;
        private MemorySegment filling;
        private MemorySegment spare;
        private long filled;
        /** Bytes handed to background writes so far: the file offset of the filling buffer. */
        private long handedOver;
        private Future<?> inFlight;
        private boolean closed;

        Direct(long align) {
            this.align = align;
            this.filling = takeBuffer(align);
            this.spare = takeBuffer(align);
        }

        void put(MemorySegment src, long offset, long length) throws IOException {
            while (length > 0) {
                long n = Math.min(length, DIRECT_BUFFER - filled);
                MemorySegment.copy(src, offset, filling, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == DIRECT_BUFFER) {
                    handOver(DIRECT_BUFFER);
                }
            }
        }

        /** As {@link #put(MemorySegment, long, long)}, from a heap array (without a heap segment: see ParquetWriter.finish). */
        void put(byte[] src, int offset, int length) throws IOException {
            while (length > 0) {
                int n = (int) Math.min(length, DIRECT_BUFFER - filled);
                MemorySegment.copy(src, offset, filling, ValueLayout.JAVA_BYTE, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == DIRECT_BUFFER) {
                    handOver(DIRECT_BUFFER);
                }
            }
        }

        /** Starts writing the first {@code length} bytes of the filling buffer and swaps buffers. */
        private void handOver(long length) throws IOException {
            await();
            MemorySegment full = filling;
            filling = spare;
            spare = full;
            filled = 0;
            ByteBuffer b = full.asSlice(0, length).asByteBuffer();
            long start = handedOver;
            handedOver += length;
            // what was written before this buffer needs no mark any more but the one it starts under
            Long k = marks.floorKey(start);
            if (k != null) {
                marks.headMap(k, false).clear();
            }
            inFlight = WRITES.submit(() -> {
                try {
                    writeFully(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(new WriteFailedAt(start + b.position(), e));
                }
                return null;
            });
        }

        /** Waits for the write in flight; its failure is this call's. */
        private void await() throws IOException {
            Future<?> f = inFlight;
            if (f == null) {
                return;
            }
            inFlight = null;
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        f.get();
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true; // the write must end before its buffer is reused or freed
                    }
                }
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IOException(c);
            } catch (CancellationException e) {
                throw new IOException("a direct write was cancelled", e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Writes what is left, zero-padded to the alignment (the caller truncates), and waits for it. */
        void finish() throws IOException {
            if (filled > 0) {
                long padded = (filled + align - 1) & -align;
                filling.asSlice(filled, padded - filled).fill((byte) 0);
                handOver(padded);
            }
            await();
        }

        /** Waits for the write in flight, ignoring its outcome (the file is being discarded). */
        void awaitQuietly() {
            try {
                await();
            } catch (IOException | RuntimeException e) {
                // the output is being aborted
            }
        }

        void close() {
            if (!closed) {
                awaitQuietly();
                closed = true;
                giveBuffer(filling);
                giveBuffer(spare);
                filling = null;
                spare = null;
            }
        }
    }
}
