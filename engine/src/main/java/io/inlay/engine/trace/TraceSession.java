package io.inlay.engine.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
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
 * <p>When events are written: when a thread's ring is three quarters full, the session's writer
 * thread ({@code inlay-trace-writer}) is woken and writes every ring out; {@link #flush()} writes
 * them on the calling thread (at an epoch's end, say); {@link #close()} writes what is left. A
 * thread whose ring fills before the writer empties it writes its own ring (see {@link Trace}).
 * Nothing is dropped while the session is open.
 *
 * <p>Threads: {@link #open} and {@link #close} by the thread that owns the session; {@link #flush()}
 * from any thread. One session per JVM at a time.
 */
public final class TraceSession implements AutoCloseable {
    /** Records per thread ring: 8,192 of 64 bytes, 512 KiB of off-heap memory per recording thread. */
    public static final int DEFAULT_RING_RECORDS = 8192;

    private static final TraceKind WRITE = TraceKind.of("write", "trace", "events");

    private final Path file;
    private final int pid;
    private final int ringRecords;
    private final long originNanos;
    private final long originMicros;
    private final OutputStream out;
    private final PfwFormat format;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Ring> rings = new CopyOnWriteArrayList<>();
    private final Thread writer;
    private volatile boolean closed;
    private IOException failure;

    private TraceSession(Path file, boolean gzip, int pid, String processName, int ringRecords, long originNanos,
            long originEpochMicros) throws IOException {
        this.file = file;
        this.pid = pid;
        this.ringRecords = ringRecords;
        this.originNanos = originNanos;
        this.originMicros = originEpochMicros;
        OutputStream raw = Files.newOutputStream(file);
        try {
            this.out = new BufferedOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        this.format = new PfwFormat(pid);
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
    public static synchronized TraceSession open(Path file, boolean gzip, int pid, String processName, int ringRecords,
            long originNanos, long originEpochMicros) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Trace.session != null) {
            throw new IllegalStateException("a trace session is open already (" + Trace.session.file + ")");
        }
        if (Integer.bitCount(ringRecords) != 1 || ringRecords < 4) {
            throw new IllegalArgumentException("ring records " + ringRecords + " must be a power of two, at least 4");
        }
        TraceSession s = new TraceSession(file, gzip, pid, processName, ringRecords, originNanos, originEpochMicros);
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

    /** Events written to the file so far. */
    public long eventsWritten() {
        lock.lock();
        try {
            return format.events();
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

    /** The owner of a full ring writes it out itself; returns the records written. */
    long drainFull(Ring r) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            return drain(r);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes every thread's events recorded so far to the file. Any thread.
     *
     * @throws IOException when the file cannot be written (recording goes on; later writes are skipped)
     */
    public void flush() throws IOException {
        lock.lock();
        try {
            drainAll();
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
            lock.unlock();
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

    /** Under the lock. */
    private long drain(Ring r) {
        if (failure != null) {
            return r.drain(format.discard());
        }
        if (!r.announced) {
            r.announced = true;
            try {
                format.thread(out, r.tid, r.threadName);
            } catch (IOException e) {
                failure = e;
                return r.drain(format.discard());
            }
        }
        long n = r.drain(format.to(out, originNanos, originMicros));
        if (format.failure() != null) {
            failure = format.failure();
        }
        return n;
    }

    private void writeLoop() {
        while (!closed) {
            LockSupport.park(this);
            if (closed) {
                return;
            }
            long t0 = Trace.start();
            long n;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                n = drainAll();
            } finally {
                lock.unlock();
            }
            Trace.end(WRITE, t0, n, 0);
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
        lock.lock();
        try {
            drainAll();
            closed = true;
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
        } finally {
            lock.unlock();
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
