package io.inlay.engine.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lifetime of an owner of memory that several threads may use at once (a mapped file, a
 * row-group reader and its buffers): threads {@linkplain #enter enter} before an operation that
 * touches the memory and {@linkplain #exit exit} after it; {@link #close} from any thread marks the
 * owner closed and releases the memory at once if no thread is inside, otherwise when the last one
 * leaves. So native code (a decompressor, the CRC intrinsic) never reads memory that another thread
 * freed or unmapped under it; Java accesses are protected by the arenas' own checks anyway. An
 * operation entered after close fails with {@link IllegalStateException}. Two atomic operations
 * per operation (a column chunk, a page walk), never per value. Thread-safe.
 */
public final class Lifetime {
    private static final int CLOSED = 1 << 30;

    private final AtomicInteger state = new AtomicInteger();
    private final String what;
    private final Runnable release;

    /**
     * @param what the owner, for the message of an operation entered after close
     * @param release frees the memory; runs exactly once, on the thread that closes or leaves last
     */
    public Lifetime(String what, Runnable release) {
        this.what = what;
        this.release = release;
    }

    /** Enters an operation. @throws IllegalStateException if the owner is closed */
    public void enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(what + " is closed");
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    /** Leaves an operation entered before; releases the memory if the owner was closed meanwhile and this was the last. */
    public void exit() {
        if (state.decrementAndGet() == CLOSED) {
            release.run();
        }
    }

    /** Closes the owner (idempotent): releases now, or when the last thread inside leaves. */
    public void close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    release.run();
                }
                return;
            }
        }
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }
}
