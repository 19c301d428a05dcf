package io.inlay.engine.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.GZIPOutputStream;

/**
 * An open trace file: while it is open, {@link Trace} records every thread's events, and the
 * session writes them to its file in Chrome's trace-event format as dftracer writes it ({@code .pfw}:
 * a {@code [} line, then one JSON event a line, then {@code ]}), optionally gzip-compressed. pid is
 * the process's number given at open (the MPI rank), tid the Java thread's id; process and thread
 * names are metadata events. Timestamps are microseconds since 1970 (UTC), so traces of processes
 * on different nodes share one time base.
 *
 * <p>When events are written: events leave the threads' rings for the session's stash, a copy of
 * a few words each, when a ring is three quarters full (the session's writer thread,
 * {@code inlay-trace-writer}, is woken and empties every ring), at {@link #collect()} (the
 * training loop calls it at each epoch's end) and when a thread finds its own ring full (see
 * {@link Trace}). The stash is formatted as JSON and written to the file at {@link #close()},
 * after the run, so that the formatting (some 0.1 us an event here, against some 0.05 us to record
 * one) does not compete with the run for CPU or storage; the file is written with {@code O_DIRECT}
 * where the file system takes it ({@link TraceFile}: 0.2 us an event, formatting included, against
 * 0.7 us through the page cache; {@link #DIRECT_PROPERTY}). When the stash holds more than its budget
 * ({@link #DEFAULT_STASH_RECORDS} records, 64 bytes each, off-heap) the writer thread writes it
 * out during the run as it is, records and arguments' texts, to a spool beside the file
 * ({@link Spool}: a system call per 16,384 events, no formatting), and the spool is formatted
 * into the file, before the stash, at close. {@link #flush()} formats everything now. Nothing is
 * dropped while the session is open.
 *
 * <p>Threads: {@link #open} and {@link #close} by the thread that owns the session; {@link #flush()}
 * from any thread. One session per JVM at a time.
 */
public final class TraceSession implements AutoCloseable {
    /**
     * Records per thread ring: 65,536 of 64 bytes, 4 MiB of off-heap memory per recording thread
     * (and 512 KiB of heap for the reference slots). Large enough that an epoch's events of most
     * workloads wait in the ring for the epoch's end, where {@link Trace#collect()} takes them out,
     * rather than waking the writer thread during it.
     */
    public static final int DEFAULT_RING_RECORDS = 1 << 16;
    /**
     * Events the stash holds before the writer thread writes them out during the run: 524,288 of 64
     * bytes, 32 MiB of off-heap memory (while a full stash is written out the other fills, up to
     * {@link #OVERDRAFT} times the budget: at most some 128 MiB when recording outruns the file), allocated 1 MiB at a time as events arrive (their
     * reference arguments are numbers there: the heap keeps one object per distinct name). A run of up to about half a million events
     * (4 epochs of 4,096 one-sample files of three columns: 188,000) writes its trace at close only.
     */
    public static final long DEFAULT_STASH_RECORDS = 1L << 19;

    /**
     * System property: {@code false} writes the trace file through the page cache rather than with
     * {@code O_DIRECT} (see {@link TraceFile}; where the file system refuses {@code O_DIRECT} it is
     * written through the page cache anyway). Read at each {@link #open}.
     */
    public static final String DIRECT_PROPERTY = "inlay.trace.direct";
    /**
     * System property: the stash's budget in records for sessions opened without one (default
     * {@link #DEFAULT_STASH_RECORDS}; at least 1): a small one makes a short run spool its events
     * during the run, as a long run does. Read at each {@link #open}.
     */
    public static final String STASH_PROPERTY = "inlay.trace.stash.records";
    /** System property: the writer thread's nice value (default 19, the lowest priority; 0 as the run's threads). */
    public static final String NICE_PROPERTY = "inlay.trace.writer.nice";

    /** How far past its budget the filling stash grows while the other is written out (see {@link #drainFull}). */
    static final int OVERDRAFT = 2;

    private static final TraceKind SPOOL = TraceKind.of("spool", "trace", "events");
    private static final TraceKind COLLECT = TraceKind.of("collect", "trace", "events");

    private final Path file;
    private final int pid;
    private final int ringRecords;
    private final OutputStream out;
    private final PfwFormat format;
    /**
     * Guards the filling stash, the spare and the drains (held briefly: a drain is a copy);
     * package-private for tests that hold it.
     */
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled (under {@link #lock}) when the writer swaps a full stash for the spare, and at close. */
    private final java.util.concurrent.locks.Condition swapped = lock.newCondition();
    /**
     * Guards the file (the format, its stream) and a stash being written out. Taken before
     * {@link #lock} when both are held, never while holding it; package-private for tests that hold it.
     */
    final ReentrantLock fileLock = new ReentrantLock();
    private final List<Ring> rings = new CopyOnWriteArrayList<>();
    private final Arena arena = Arena.ofShared();
    /** The stash the rings drain into (under {@link #lock}). */
    private Stash stash;
    /**
     * The other stash, empty, or null while the writer thread writes it out (under {@link #lock}):
     * a full stash is swapped for it, so that recording threads never wait for a write-out.
     */
    private Stash spare;
    private final Ring.Sink toFile;
    /** Where a full stash goes during the run (under {@link #fileLock}), to be formatted at flush or close. */
    private final Spool spool;
    /** Threads whose name the file has (under {@link #fileLock}), and the last event's thread. */
    private final java.util.Set<Long> announced = new java.util.HashSet<>();
    private long lastTid = -1;
    private long collected;
    private final Thread writer;
    private volatile boolean closed;
    private volatile IOException failure;

    private TraceSession(Path file, boolean gzip, int pid, String processName, int ringRecords, long stashRecords,
            long originNanos, long originEpochMicros) throws IOException {
        this.file = file;
        this.stash = new Stash(arena, stashRecords);
        this.spare = new Stash(arena, stashRecords);
        this.pid = pid;
        this.ringRecords = ringRecords;
        boolean direct = !"false".equals(System.getProperty(DIRECT_PROPERTY));
        OutputStream raw = TraceFile.open(file, direct);
        this.spool = new Spool(file.resolveSibling(file.getFileName() + ".spool"), direct);
        try {
            this.out = gzip ? new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16) : raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        this.format = new PfwFormat(pid);
        Ring.Sink formatted = format.to(out, originNanos, originEpochMicros);
        this.toFile = (tid, thread, kind, start, end, r0, r1, n0, n1, n2, n3) -> {
            if (tid != lastTid) {
                lastTid = tid;
                if (announced.add(tid)) {
                    try {
                        format.thread(out, tid, thread);
                    } catch (IOException e) {
                        failure = e;
                    }
                }
            }
            if (failure == null) {
                formatted.event(tid, thread, kind, start, end, r0, r1, n0, n1, n2, n3);
            }
        };
        format.begin(out);
        format.process(out, processName, pid);
        this.writer = Thread.ofPlatform().daemon().name("inlay-trace-writer").unstarted(this::writeLoop);
    }

    /**
     * Opens {@code file} and starts recording.
     *
     * @param gzip compress the file (name it {@code .pfw.gz})
     * @param pid the process number the events carry (the rank)
     * @param processName the process's name in the trace ({@code "rank 0 of 2 on host1"})
     * @param originNanos a {@code System.nanoTime} reading taken at {@code originEpochMicros}: the mapping of
     *     event times onto the wall clock (pass the run's clock so that trace and results agree)
     * @param originEpochMicros microseconds since 1970 (UTC) at {@code originNanos}
     * @throws IllegalStateException when a session is open already
     * @throws IOException when the file cannot be created
     */
    public static TraceSession open(Path file, boolean gzip, int pid, String processName, long originNanos, long originEpochMicros)
            throws IOException {
        return open(file, gzip, pid, processName, DEFAULT_RING_RECORDS, originNanos, originEpochMicros);
    }

    /** {@link #open(Path, boolean, int, String, long, long)} with rings of {@code ringRecords} (a power of two) records. */
    public static TraceSession open(Path file, boolean gzip, int pid, String processName, int ringRecords, long originNanos,
            long originEpochMicros) throws IOException {
        long stash = Math.max(1, Long.getLong(STASH_PROPERTY, DEFAULT_STASH_RECORDS));
        return open(file, gzip, pid, processName, ringRecords, stash, originNanos, originEpochMicros);
    }

    /**
     * {@link #open(Path, boolean, int, String, int, long, long)} with a stash of {@code stashRecords}
     * (at least 1): the events held in memory before the writer thread writes them out.
     */
    public static synchronized TraceSession open(Path file, boolean gzip, int pid, String processName, int ringRecords,
            long stashRecords, long originNanos, long originEpochMicros) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Trace.session != null) {
            throw new IllegalStateException("a trace session is open already (" + Trace.session.file + ")");
        }
        if (Integer.bitCount(ringRecords) != 1 || ringRecords < 4) {
            throw new IllegalArgumentException("ring records " + ringRecords + " must be a power of two, at least 4");
        }
        if (stashRecords < 1) {
            throw new IllegalArgumentException("stash records " + stashRecords + " must be at least 1");
        }
        TraceSession s = new TraceSession(file, gzip, pid, processName, ringRecords, stashRecords, originNanos,
                originEpochMicros);
        s.writer.start();
        Trace.session = s;
        Trace.on = true;
        return s;
    }

    /** Opens with the current wall clock as the origin. */
    public static TraceSession open(Path file, boolean gzip, int pid, String processName) throws IOException {
        long nanos = System.nanoTime();
        java.time.Instant now = java.time.Instant.now();
        return open(file, gzip, pid, processName, nanos, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
    }

    public Path file() {
        return file;
    }

    public int pid() {
        return pid;
    }

    /**
     * Events written out so far: formatted into the file, or (a stash past its budget, during the
     * run) into its spool, to be formatted into the file at {@link #flush()} or {@link #close()}.
     */
    public long eventsWritten() {
        fileLock.lock();
        try {
            return format.events() + spool.records();
        } finally {
            fileLock.unlock();
        }
    }

    /** Records in the filling stash (for tests). */
    long stashSize() {
        lock.lock();
        try {
            return stash.size();
        } finally {
            lock.unlock();
        }
    }

    /** Events written so far, read without the file's lock (for tests that hold it). */
    long eventsWrittenUnlocked() {
        return format.events() + spool.records();
    }

    /** The spool's file (for tests; it exists from the first stash written out during the run until close). */
    Path spoolFile() {
        return spool.path();
    }

    /** Events taken out of the threads' rings so far (written or waiting in the stash). */
    long eventsCollected() {
        lock.lock();
        try {
            return collected;
        } finally {
            lock.unlock();
        }
    }

    /** Distinct reference arguments the stash has numbered (for tests). */
    int stashSymbols() {
        lock.lock();
        try {
            return stash.symbols();
        } finally {
            lock.unlock();
        }
    }

    Ring newRing(Thread t) {
        Ring r = new Ring(this, t, ringRecords);
        rings.add(r);
        return r;
    }

    /** A ring passed its mark: wake the writer. Allocation-free. */
    void wake() {
        LockSupport.unpark(writer);
    }

    /**
     * The owner of a full ring empties it into the stash itself; returns the records taken. The
     * filling stash takes events up to {@link #OVERDRAFT} times its budget (the writer thread, woken
     * at the budget, swaps it for the spare, or is still writing the other out); past that the
     * thread waits for the swap (recording outruns the file: nothing is dropped, and memory stays
     * bounded).
     */
    long drainFull(Ring r) {
        boolean wake;
        long n;
        lock.lock();
        try {
            while (!closed && stash.overdrawn() && Thread.currentThread() != writer) {
                wake();
                try {
                    swapped.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // kept; the events are drained below regardless
                    break;
                }
            }
            if (closed) {
                return 0;
            }
            n = drain(r);
            wake = stash.full();
        } finally {
            lock.unlock();
        }
        if (wake) {
            wake(); // the writer writes the stash out, not this thread
        }
        return n;
    }

    /**
     * Takes every thread's events recorded so far out of their rings into the session's memory
     * (a copy of a few words an event), to be written at {@link #close()}, or by the writer thread
     * once the stash holds its budget. Any thread; the training loop calls it at each epoch's end.
     * Returns the events taken: 0, without waiting, when another thread holds the session's lock
     * (the writer thread draining the rings or swapping a full stash for the spare: a copy's time;
     * it writes the full stash out without the lock): the writer is woken and empties the rings
     * itself, and the caller (between two epochs, the run waiting for it) goes on.
     */
    public long collect() {
        boolean wake;
        long n;
        if (!lock.tryLock()) {
            wake();
            return 0;
        }
        try {
            if (closed) {
                return 0;
            }
            if (stash.overdrawn()) {
                wake();
                return 0; // a write-out lags: the rings keep their events (their owners wait when full)
            }
            n = drainAll();
            wake = stash.full();
        } finally {
            lock.unlock();
        }
        if (wake) {
            wake();
        }
        return n;
    }

    /**
     * Writes every thread's events recorded so far to the file, on the calling thread. Any thread.
     *
     * @throws IOException when the file cannot be written (recording goes on; later writes are skipped)
     */
    public void flush() throws IOException {
        fileLock.lock();
        try {
            lock.lock();
            try {
                if (closed) {
                    if (failure != null) {
                        throw failure;
                    }
                    return;
                }
                drainAll();
                writeStash(stash);
            } finally {
                lock.unlock();
            }
            if (failure == null) {
                try {
                    out.flush();
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            fileLock.unlock();
        }
    }

    private long drainAll() {
        long n = 0;
        List<Ring> dead = new ArrayList<>();
        for (Ring r : rings) {
            n += drain(r);
            if (!r.thread.isAlive() && r.pending() == 0) {
                dead.add(r);
            }
        }
        if (!dead.isEmpty()) {
            rings.removeAll(dead);
        }
        return n;
    }

    /** Under the lock: the ring's records into the stash. */
    private long drain(Ring r) {
        long n = failure != null ? r.drain(format.discard()) : r.drainTo(stash);
        collected += n;
        return n;
    }

    /** Under the file's lock: what the spool holds, then {@code s}, formatted into the file; both emptied. */
    private long writeStash(Stash s) {
        if (failure == null && spool.records() > 0) {
            try {
                spool.replay(toFile);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            return s.drain(format.discard());
        }
        long n = s.drain(toFile);
        if (failure == null && format.failure() != null) {
            failure = format.failure();
        }
        return n;
    }

    /** Under the file's lock: a full stash's records into the spool (during the run), and emptied. */
    private long spoolStash(Stash s) {
        long n = s.size();
        if (failure == null) {
            try {
                spool.append(s);
                return n;
            } catch (IOException e) {
                failure = e;
            }
        }
        s.drain(format.discard());
        return n;
    }

    /**
     * The writer thread: woken when a ring is three quarters full or the stash holds its budget,
     * it drains the rings; a full stash it swaps for the empty spare under the session's lock and
     * writes out holding only the file's, so that recording threads (a full ring, an epoch's end)
     * drain into the other stash meanwhile instead of waiting for the write-out.
     */
    private void writeLoop() {
        // formatting is background work: at the lowest priority it takes the CPUs' idle time rather
        // than delaying the run's threads' wake-ups (on a small host, 2 readers and their I/O threads)
        io.inlay.engine.internal.os.Posix.niceCurrentThread(Integer.getInteger(NICE_PROPERTY, 19));
        while (!closed) {
            LockSupport.park(this);
            if (closed) {
                return;
            }
            long t0 = System.nanoTime();
            long n;
            long written = 0;
            long t1;
            long t2 = 0;
            fileLock.lock();
            try {
                Stash full = null;
                lock.lock();
                try {
                    if (closed) {
                        return;
                    }
                    n = drainAll();
                    if (stash.full() && spare != null) {
                        full = stash;
                        stash = spare;
                        spare = null;
                        swapped.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                t1 = System.nanoTime();
                if (full != null) {
                    written = spoolStash(full);
                    t2 = System.nanoTime();
                    lock.lock();
                    try {
                        spare = full;
                        if (stash.full()) {
                            wake(); // filled meanwhile: swap again at once
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } finally {
                fileLock.unlock();
            }
            Trace.complete(COLLECT, t0, t1, null, null, n, 0, 0, 0);
            if (written > 0) {
                Trace.complete(SPOOL, t1, t2, null, null, written, 0, 0, 0);
            }
        }
    }

    /**
     * Stops recording, writes what is left, ends the file with {@code ]} and closes it.
     *
     * @throws IOException when the file could not be written completely
     */
    @Override
    public void close() throws IOException {
        synchronized (TraceSession.class) {
            if (Trace.session != this) {
                return;
            }
            Trace.on = false;
            Trace.session = null;
        }
        fileLock.lock();
        lock.lock();
        try {
            drainAll();
            writeStash(stash);
            closed = true;
            swapped.signalAll();
            rings.clear();
            try {
                if (failure == null) {
                    format.end(out);
                }
            } catch (IOException e) {
                failure = e;
            }
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            try {
                spool.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            arena.close();
        } finally {
            lock.unlock();
            fileLock.unlock();
        }
        LockSupport.unpark(writer);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IOException(file + ": the trace could not be written: " + failure.getMessage(), failure);
        }
    }
}
