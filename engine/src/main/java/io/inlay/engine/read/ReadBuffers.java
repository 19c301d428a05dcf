package io.inlay.engine.read;

import io.inlay.engine.internal.Lifetime;
import io.inlay.engine.internal.column.ColumnBuffers;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decoding buffers that outlive one file: pass the same instance to
 * {@link ParquetFile#rowGroups(java.util.List, DecodeTarget)} (row-group mode) or
 * {@link ParquetFile#readAll(java.util.List, DecodeTarget)} (default mode) for file after file, and
 * the memory a column needs is allocated once, not once per file (fresh memory costs the kernel's
 * page faults and zeroing on every read otherwise). Vectors decoded into them are valid until the
 * next decode into the same buffers (the next row group, or the next file's {@code readAll}), or
 * until {@link #close()}. Row-group mode keeps one set of buffers per column; default mode one per
 * column and row group, so these hold as much as the largest file read whole.
 *
 * <p>They also hold the worker's storage I/O: the read queue, the buffers reads go into
 * ({@code 2 x ioDepth x transferSize} bytes for the pread, direct and io_uring engines) and the plan
 * of what comes next, so that one file's reads continue into the next one's
 * ({@link ParquetFile#open(java.nio.file.Path, ReadOptions, ReadBuffers)}, {@link #readAhead}), and
 * the accounting of what was read ({@link #ioStats()}).
 *
 * <p>Confined to one thread (typically one per worker thread). With the io_uring engine (what
 * {@link IoEngine#AUTO} picks for files not in the page cache) reads may be in flight between
 * calls, through a queue that only the thread that made it can use: a call from another thread
 * while reads are in flight fails with {@link IllegalStateException}; once nothing is in flight
 * (after a file is read with nothing announced ahead) it may move on. Close it to free the memory.
 * Closing it from another thread is safe: a row group being decoded into it at that moment is
 * finished first; access to vectors in it then fails with {@link IllegalStateException}.
 */
public final class ReadBuffers implements DecodeTarget, AutoCloseable {
    /** Buffers by (row group, column); row-group mode and decoders' scratch use row group 0. */
    private final Map<Slot, ColumnBuffers> bySlot = new HashMap<>();
    private final Lifetime lifetime = new Lifetime("these read buffers", this::release);
    private IoSession session;
    /** What sessions replaced since (other settings) had read. */
    private IoStats earlier = IoStats.ZERO;

    /** The buffers of a column, by name; created on first use. */
    ColumnBuffers forColumn(String column) {
        return forChunk(0, column);
    }

    /** The buffers for a column's chunk in the given row group (default mode keeps them all); created on first use. */
    ColumnBuffers forChunk(int rowGroup, String column) {
        if (lifetime.isClosed()) {
            throw new IllegalStateException("these read buffers are closed");
        }
        return bySlot.computeIfAbsent(new Slot(rowGroup, column), c -> new ColumnBuffers(null));
    }

    private record Slot(int rowGroup, String column) {}

    /** Starts a decode into these buffers. @throws IllegalStateException if they are closed */
    void enter() {
        lifetime.enter();
    }

    void exit() {
        lifetime.exit();
    }

    /** The worker's I/O session, made (or remade, for other settings) to read as {@code options} say. */
    IoSession session(ReadOptions options) {
        if (lifetime.isClosed()) {
            throw new IllegalStateException("these read buffers are closed");
        }
        IoSession s = session;
        if (s == null || !s.matches(options.ioDepth(), options.transferSize(), options.readAhead())) {
            if (s != null) {
                earlier = earlier.plus(s.stats());
                s.close();
            }
            s = new IoSession(options.ioDepth(), options.transferSize(), options.readAhead(), true);
            session = s;
        }
        s.preferUring(options.ioEngine() == IoEngine.IO_URING || options.ioEngine() == IoEngine.AUTO);
        return s;
    }

    /** The files announced to come next, in order. */
    private final java.util.ArrayDeque<NextFile> ahead = new java.util.ArrayDeque<>();
    /** Memory for their heads and footers, reused. */
    private final NextFile.Tails tails = new NextFile.Tails();

    /**
     * Announces the file this worker reads after the current one; see {@link #readAhead(List, ReadOptions, List)}.
     */
    public void readAhead(Path next, ReadOptions options, List<String> columns) {
        readAhead(List.of(next), options, columns);
    }

    /**
     * How many files of {@code fileBytes} each to {@linkplain #readAhead(List, ReadOptions, List)
     * announce} so that they fill {@code ioDepth x transferSize} bytes: at least 1, at most 16.
     */
    public static int filesToAnnounce(ReadOptions options, long fileBytes) {
        long queue = (long) options.ioDepth() * options.transferSize();
        long each = Math.max(1, fileBytes);
        return (int) Math.max(1, Math.min(16, (queue + each - 1) / each));
    }

    /**
     * Announces the files this worker reads after the current one, in order, so that their reads
     * overlap the current one's decoding: each is opened now and its footer read through this
     * worker's queue; once the current file's own reads are all under way, their projected ranges of
     * {@code columns} follow, one file after another (in flight with pread/direct/io_uring as far as
     * the buffers allow, advised with mmap). Announce as many as {@code ioDepth x transferSize}
     * bytes of them, so that the device sees a full queue with small files. Open each with
     * {@link ParquetFile#open(Path, ReadOptions, ReadBuffers)} and the same options to use what was
     * read. Call it once the current file is open, before or while reading it. A new call replaces
     * the announcement: files announced before and announced again keep what was read of them, the
     * others are dropped. Errors are not reported here: the opens report them.
     *
     * @param next the next files, in the order they will be opened
     * @param options the options they will be opened with
     * @param columns the columns that will be read from them
     */
    public void readAhead(List<Path> next, ReadOptions options, List<String> columns) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(columns, "columns");
        lifetime.enter();
        try {
            java.util.ArrayDeque<NextFile> kept = new java.util.ArrayDeque<>();
            IoSession s = options.readAhead() ? session(options) : null;
            for (Path p : next) {
                NextFile reuse = null;
                while (!ahead.isEmpty()) {
                    NextFile n = ahead.poll();
                    if (n.path.equals(p) && n.options.equals(options) && n.columns.equals(columns)) {
                        reuse = n;
                        break;
                    }
                    n.close();
                }
                if (reuse != null) {
                    kept.add(reuse);
                } else if (s != null) {
                    kept.add(new NextFile(p, options, columns, s, tails));
                }
            }
            while (!ahead.isEmpty()) {
                ahead.poll().close();
            }
            ahead.addAll(kept);
            if (s != null) {
                s.continueWith(ahead.isEmpty() ? null : this::planAhead);
            }
        } finally {
            lifetime.exit();
        }
    }

    /** When the plan runs out: the next announced file whose footer is in, after what is planned. */
    private void planAhead(IoSession s) {
        for (NextFile n : ahead) {
            if (n.failed()) {
                break; // its open plans it; the later ones must not come before it
            }
            if (n.planned()) {
                continue;
            }
            n.plan(s); // plans it if its footer is in; the later ones wait for it
            return;
        }
        s.continueWith(null);
    }

    /** The file announced with {@link #readAhead}, if it is {@code path} with these options; null otherwise. */
    NextFile.Prepared takeAhead(Path path, ReadOptions options) {
        if (ahead.isEmpty()) {
            return null;
        }
        boolean announced = ahead.stream().anyMatch(n -> n.path.equals(path) && n.options.equals(options));
        if (!announced) {
            return null;
        }
        while (true) {
            NextFile n = ahead.poll();
            if (n.path.equals(path) && n.options.equals(options)) {
                // while it waits for its footer, no later file may be planned before it
                IoSession s = session;
                if (s != null) {
                    s.continueWith(null);
                }
                NextFile.Prepared p = n.take();
                if (s != null && !ahead.isEmpty()) {
                    s.continueWith(this::planAhead);
                }
                return p;
            }
            n.close(); // skipped
        }
    }

    /**
     * What the reads through these buffers cost so far, in storage terms (bytes from storage, reads,
     * time waiting for storage). The difference between two calls is what happened in between.
     */
    public IoStats ioStats() {
        IoSession s = session;
        return s == null ? earlier : earlier.plus(s.stats());
    }

    private void release() {
        for (ColumnBuffers b : bySlot.values()) {
            b.close();
        }
        bySlot.clear();
        while (!ahead.isEmpty()) {
            ahead.poll().close();
        }
        tails.close();
        if (session != null) {
            session.close();
        }
    }

    /** Frees the buffers, at once or after a row group being decoded into them. Idempotent. */
    @Override
    public void close() {
        lifetime.close();
    }
}
