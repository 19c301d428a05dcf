package io.inlay.engine.trace;

/**
 * The recording side of timeline tracing: code marks where an operation starts and ends, and
 * the event goes into the calling thread's ring, to be written by the {@link TraceSession} that
 * is open (at most one per JVM). With no session open, which is the default, recording costs one
 * branch on a plain static field in {@link #start()} and one comparison in {@code end}: nothing
 * is read, allocated or written.
 *
 * <pre>{@code
 * long t0 = Trace.start();               // 0 when tracing is off
 * ... the operation ...
 * Trace.end(READ, t0, file, null, offset, bytes, 0, 0);
 * }</pre>
 *
 * <p>Threads: any thread may record; each writes only its own ring (a thread-local, created at
 * its first event of a session: the one allocation a thread makes for tracing). Recording never
 * blocks except when the thread's ring is full and the writer has not caught up: the thread then
 * moves its own ring's events to the session's stash, and that pause is itself an event
 * ({@code trace/flush}). Events are
 * complete events: a thread's events nest as its calls do. Reference arguments must be
 * immutable (a {@code String}, {@code Path}, enum): they are held until written and rendered
 * with {@code toString()} then.
 */
public final class Trace {
    /** Read on every recording call: plain, not volatile, so that the off case is one load and branch. */
    static boolean on;
    /** The open session, or null. */
    static volatile TraceSession session;
    private static final ThreadLocal<Ring> RINGS = new ThreadLocal<>();
    static final TraceKind FLUSH = TraceKind.of("flush", "trace", "events");

    private Trace() {}

    /** Whether a session is recording. */
    public static boolean on() {
        return on;
    }

    /** The start of an operation: a {@code System.nanoTime} reading, or 0 when tracing is off. */
    public static long start() {
        if (!on) {
            return 0L;
        }
        long t = System.nanoTime();
        return t == 0 ? 1 : t;
    }

    /** Ends an operation begun at {@code start} (from {@link #start()}; nothing is recorded when it is 0). */
    public static void end(TraceKind kind, long start) {
        if (start != 0) {
            record(kind, start, System.nanoTime(), null, null, 0, 0, 0, 0);
        }
    }

    /** Ends an operation with one or two numeric arguments. */
    public static void end(TraceKind kind, long start, long n0, long n1) {
        if (start != 0) {
            record(kind, start, System.nanoTime(), null, null, n0, n1, 0, 0);
        }
    }

    /** Ends an operation with every argument: references first, then numbers, in the kind's order. */
    public static void end(TraceKind kind, long start, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        if (start != 0) {
            record(kind, start, System.nanoTime(), r0, r1, n0, n1, n2, n3);
        }
    }

    /**
     * Records an operation whose times the caller measured itself ({@code System.nanoTime}
     * readings, {@code startNanos <= endNanos}); nothing when tracing is off.
     */
    public static void complete(TraceKind kind, long startNanos, long endNanos, Object r0, Object r1, long n0, long n1, long n2,
            long n3) {
        if (on) {
            record(kind, startNanos, endNanos, r0, r1, n0, n1, n2, n3);
        }
    }

    /**
     * Takes the open session's events recorded so far out of the threads' rings (at an epoch's end,
     * between the measured windows): a copy of a few words an event; they are written to the file
     * when the session closes (see {@link TraceSession}). Returns the events taken, 0 when no
     * session is open.
     */
    public static long collect() {
        TraceSession s = session;
        return s == null ? 0 : s.collect();
    }

    private static void record(TraceKind kind, long start, long end, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        TraceSession s = session;
        if (s == null) {
            return; // closed between start and end
        }
        Ring r = RINGS.get();
        if (r == null || r.session != s) {
            r = s.newRing(Thread.currentThread());
            RINGS.set(r);
        }
        if (!r.put(kind.id, start, end, r0, r1, n0, n1, n2, n3)) {
            long t0 = System.nanoTime();
            long n = s.drainFull(r);
            r.put(kind.id, start, end, r0, r1, n0, n1, n2, n3);
            r.put(FLUSH.id, t0, System.nanoTime(), null, null, n, 0, 0, 0);
        }
    }
}
