package io.inlay.cli.run;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The one time source of a run: a monotonic reading in nanoseconds for every duration, and its
 * mapping onto the wall clock for timestamps, fixed once at start so that every timestamp of a
 * run agrees with its durations. Tests inject a manual clock. Implementations are thread-safe.
 */
public interface Clock {
    /** DLIO's timestamp format: local time, no zone, microseconds. */
    DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    /** A monotonic reading (System.nanoTime's meaning). */
    long nanoTime();

    /** The wall-clock instant of a reading. */
    Instant instantAt(long nanos);

    /** The local time of a reading. */
    default LocalDateTime localAt(long nanos) {
        return LocalDateTime.ofInstant(instantAt(nanos), ZoneId.systemDefault());
    }

    /** A reading as DLIO writes timestamps ({@code 2026-07-04T05:21:10.959754}). */
    default String timestamp(long nanos) {
        return TIMESTAMP.format(localAt(nanos));
    }

    /** A reading as seconds since 1970 (UTC): the time base shared by processes on different nodes. */
    default double epochSecondsAt(long nanos) {
        Instant i = instantAt(nanos);
        return i.getEpochSecond() + i.getNano() / 1e9;
    }

    /** System.nanoTime, mapped onto the wall clock read at the same moment. */
    static Clock system() {
        long nanos = System.nanoTime();
        Instant wall = Instant.now();
        return new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant instantAt(long n) {
                return wall.plusNanos(n - nanos);
            }
        };
    }
}
