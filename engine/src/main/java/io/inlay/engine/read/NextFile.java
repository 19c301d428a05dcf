package io.inlay.engine.read;

import io.inlay.engine.internal.io.IoFile;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.internal.memory.NativeMemory;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.os.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file a worker reads after the current one ({@link ReadBuffers#readAhead}): opened now, its
 * head and footer read through the worker's queue while the current file decodes; once those are in
 * and the current file's reads are all started, its footer is parsed, its engine chosen and its
 * projected ranges planned after the current file's, so that they are in flight (or advised) when
 * the worker opens it ({@link ParquetFile#open(Path, ReadOptions, ReadBuffers)}). Anything that goes
 * wrong here is left for that open to find and report. Confined to the worker's thread.
 */
final class NextFile implements IoSession.Continuation {
    /** Bytes read from the end of the file in one go: the footer and its length, mostly. */
    private static final long TAIL = 64 << 10;

    final Path path;
    final ReadOptions options;
    private final List<String> columns;
    private final IoSession session;
    private final Arena arena = Arena.ofShared();
    private IoFile io;
    private IoSession.SideRead tailRead;
    private IoSession.SideRead headRead;
    private MemorySegment tail;
    private MemorySegment head;
    private long tailStart;
    private FileStructure structure;
    private boolean planned;
    private boolean failed;

    NextFile(Path path, ReadOptions options, List<String> columns, IoSession session) {
        this.path = path;
        this.options = options;
        this.columns = List.copyOf(columns);
        this.session = session;
        try {
            io = IoFile.open(path);
            long size = io.size();
            long n = Math.min(size, TAIL);
            tailStart = size - n;
            tail = NativeMemory.allocate(arena, Math.max(n, 1), 4096).asSlice(0, n);
            if (n > 0) {
                tailRead = session.sideRead(io, tailStart, tail);
            }
            if (tailStart > 0) {
                head = NativeMemory.allocate(arena, 4096, 4096).asSlice(0, 4);
                headRead = session.sideRead(io, 0, head);
            }
            session.continueWith(this);
        } catch (IOException | RuntimeException e) {
            fail();
        }
    }

    private void fail() {
        failed = true;
        session.continueWith(null);
    }

    /** When the current file's reads are all started: the footer, if it is in, and this file's ranges after them. */
    @Override
    public void planRunsOut(IoSession s) {
        if (failed || planned || !readsDone()) {
            return;
        }
        planned = true;
        s.continueWith(null);
        try {
            parse();
            List<LeafColumn> leaves = new ArrayList<>();
            for (String c : columns) {
                var d = structure.parsed().schema().column(c);
                if (d.isEmpty() || !d.get().isSupported()) {
                    return; // the open reports it
                }
                leaves.add(structure.parsed().leaf(c));
            }
            long[] ranges = ParquetFile.ranges(structure, leaves, 0, structure.rowGroupCount());
            s.append(io, ranges, ranges.length / 2);
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
    }

    private boolean readsDone() {
        return (tailRead == null || tailRead.done()) && (headRead == null || headRead.done());
    }

    /** Parses the footer from the bytes read ahead (reading the rest of a footer longer than them), and sets up the engine. */
    private void parse() throws IOException {
        if (structure != null) {
            return;
        }
        if (tailRead != null && tailRead.result() != tail.byteSize() || headRead != null && headRead.result() != 4) {
            throw new IOException("read ahead came back short");
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment state = Posix.newCallState(scratch);
            FileStructure.Source source = (offset, length) -> {
                if (offset >= tailStart) {
                    return tail.asSlice(offset - tailStart, length);
                }
                if (offset == 0 && length <= 4 && head != null) {
                    return head.asSlice(0, length);
                }
                MemorySegment m = scratch.allocate(Math.max(1, length), 8).asSlice(0, length);
                if (io.readFully(offset, m, state) < length) {
                    throw new ParquetCorruptionException(io.name() + ": the file changed or was truncated while being read");
                }
                return m;
            };
            structure = FileStructure.read(io.name(), io.size(), source, options.maxFooterBytes());
        }
        io.use(ParquetFile.resolveEngine(options.ioEngine(), io, structure));
    }

    /**
     * Hands the file over to an opener: its descriptors, engine and parsed footer (waiting for the
     * footer's reads if they are still in flight).
     *
     * @return null if the read-ahead did not get that far (the opener opens the file itself)
     */
    Prepared take() {
        session.continueWith(null);
        if (failed || io == null) {
            close();
            return null;
        }
        try {
            if (tailRead != null) {
                session.await(tailRead);
            }
            if (headRead != null) {
                session.await(headRead);
            }
            parse();
        } catch (IOException | RuntimeException e) {
            close();
            return null;
        }
        Prepared p = new Prepared(io, structure);
        io = null;
        arena.close();
        return p;
    }

    /** A file opened ahead, handed to {@link ParquetFile}: it owns the reference now. */
    record Prepared(IoFile io, FileStructure structure) {}

    /** Gives up the read-ahead (another file comes next, or the buffers close). */
    void close() {
        session.continueWith(null);
        if (io != null) {
            // reads of it still in flight hold references of their own
            io.unmap();
            io.release();
            io = null;
        }
        if (arena.scope().isAlive()) {
            if (tailRead != null && !tailRead.done() || headRead != null && !headRead.done()) {
                // the kernel may still write into the tail: wait for those reads first
                try {
                    if (tailRead != null) {
                        session.await(tailRead);
                    }
                    if (headRead != null) {
                        session.await(headRead);
                    }
                } catch (IOException | RuntimeException e) {
                    // done either way
                }
            }
            arena.close();
        }
    }
}
