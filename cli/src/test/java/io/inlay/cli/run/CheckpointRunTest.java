package io.inlay.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DLIO's checkpoint-only loop ({@code main.py}'s {@code _checkpoint}) over a recording
 * {@link Checkpoints}: writes global_epoch1_step1..N, then the count check, then reads back
 * global_epoch1_step1..M; a barrier before each checkpoint; each checkpoint's time is only its own;
 * too few checkpoints is DLIO's error before any read; Ctrl-C stops after the checkpoint under way.
 */
class CheckpointRunTest {
    /** Records what the loop asks; each save or load takes 10 ms on the manual clock. */
    static final class Recording implements Checkpoints {
        final ManualClock clock;
        final int write;
        final int read;
        final int available;
        final List<String> calls = new ArrayList<>();
        Runnable during = () -> {};

        Recording(ManualClock clock, int write, int read, int available) {
            this.clock = clock;
            this.write = write;
            this.read = read;
            this.available = available;
        }

        @Override
        public void startEpoch(int epoch) {}

        @Override
        public boolean dueAfterStep(int epoch, long step) {
            return false;
        }

        @Override
        public boolean dueAfterEpoch(int epoch) {
            return false;
        }

        @Override
        public Moved save(int epoch, long step) {
            calls.add("save " + epoch + "/" + step);
            clock.advanceMillis(10);
            during.run();
            return new Moved(100, 200, true);
        }

        @Override
        public Moved load(int epoch, long step) {
            calls.add("load " + epoch + "/" + step);
            clock.advanceMillis(10);
            return new Moved(100, 200, true);
        }

        @Override
        public void prepare() {
            calls.add("prepare");
            clock.advanceMillis(1000); // untimed: no checkpoint's time includes it
        }

        @Override
        public int toWrite() {
            return write;
        }

        @Override
        public int toRead() {
            return read;
        }

        @Override
        public int available() throws IOException {
            calls.add("count");
            return available;
        }
    }

    private static CheckpointRun.Sync sync(ManualClock clock, List<String> calls) {
        return new CheckpointRun.Sync() {
            @Override
            public void barrier() {
                calls.add("barrier");
                clock.advanceMillis(5); // waiting for the others: outside the checkpoint's time
            }

            @Override
            public long fromRoot(long value) {
                return value;
            }
        };
    }

    @Test
    void writesThenCountsThenReads_eachTimedAlone() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recording c = new Recording(clock, 3, 2, 3);
        CheckpointRun.Report r = new CheckpointRun(c, sync(clock, c.calls), clock).run();
        assertEquals(List.of("prepare", "barrier", "save 1/1", "barrier", "save 1/2", "barrier", "save 1/3", "count", "barrier",
                "load 1/1", "barrier", "load 1/2"), c.calls);
        assertEquals(List.of("save_ckpt1", "save_ckpt2", "save_ckpt3", "load_ckpt1", "load_ckpt2"),
                r.checkpoints().stream().map(EpochStats.CheckpointStats::key).toList());
        for (EpochStats.CheckpointStats s : r.checkpoints()) {
            assertEquals(0.010, s.seconds(), 1e-12, "the barrier before and the warm-up are not in " + s);
            assertEquals(200, s.totalBytes());
        }
        assertTrue(r.complete());
        assertEquals(1000_000_000L, r.startNanos(), "DLIO's epoch starts after the untimed preparation");
    }

    @Test
    void tooFew_isDliosError_beforeAnyRead() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recording c = new Recording(clock, 0, 4, 3);
        CheckpointRun.TooFew e = assertThrows(CheckpointRun.TooFew.class, () -> new CheckpointRun(c, sync(clock, c.calls), clock).run());
        assertEquals("Number of checkpoints to be read: 4 is more than the number of checkpoints available: 3", e.getMessage());
        assertEquals(List.of("count"), c.calls, "nothing written (none asked), nothing read, no warm-up");
    }

    @Test
    void interrupt_stopsAfterTheCheckpointUnderWay() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recording c = new Recording(clock, 10, 5, 10);
        CheckpointRun run = new CheckpointRun(c, sync(clock, c.calls), clock);
        c.during = () -> {
            if (c.calls.stream().filter(x -> x.startsWith("save")).count() == 2) {
                run.interrupt();
            }
        };
        CheckpointRun.Report r = run.run();
        assertEquals(2, r.checkpoints().size(), "the second write finishes, no third, no read");
        assertTrue(!r.complete());
        assertTrue(c.calls.stream().noneMatch(x -> x.startsWith("load") || x.equals("count")), c.calls.toString());
    }
}
