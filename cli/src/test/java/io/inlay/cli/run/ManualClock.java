package io.inlay.cli.run;

import java.time.Instant;

/** A clock tests move by hand: readings in nanoseconds from 0, the wall clock a fixed instant plus them. */
public final class ManualClock implements Clock {
    private final Instant base;
    private long nanos;

    public ManualClock(Instant base) {
        this.base = base;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instantAt(long n) {
        return base.plusNanos(n);
    }

    public synchronized void set(long n) {
        nanos = n;
    }

    public synchronized void advanceMillis(long ms) {
        nanos += ms * 1_000_000L;
    }
}
