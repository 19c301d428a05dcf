package io.inlay.cli.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A checkpoint-only run as DLIO's {@code main.py} runs it ({@code workflow.train: False},
 * {@code workflow.checkpoint: True}: {@code _checkpoint}, {@code _checkpoint_write},
 * {@code _checkpoint_read}), all in DLIO's epoch 1:
 *
 * <pre>
 * for i in 1..num_checkpoints_write:   compute for time_between_checkpoints; barrier;
 *                                      save_ckpt{i} timed: write global_epoch1_step{i} (rank_sync: then barrier)
 * if the checkpoint folder holds fewer entries than num_checkpoints_read: stop with DLIO's error
 * for i in 1..num_checkpoints_read:    compute for time_between_checkpoints; barrier;
 *                                      load_ckpt{i} timed: read global_epoch1_step{i} back (rank_sync: then barrier)
 * </pre>
 *
 * Each checkpoint's time is this rank's, from after the barrier to the end of its files (and the
 * rank_sync barrier), as DLIO's {@code start_save_ckpt}/{@code end_save_ckpt}. The run package
 * knows nothing of files: {@link Checkpoints} moves the bytes. {@link #run()} on the thread that
 * owns the collectives; {@link #interrupt()} and {@link #snapshot()} from any thread.
 */
public final class CheckpointRun {

    /** The collectives the loop needs (no-ops for one process). */
    public interface Sync {
        /** Returns when every rank has called it. */
        void barrier();

        /** Rank 0's {@code value}, on every rank. */
        long fromRoot(long value);

        /** One process alone. */
        Sync NONE = new Sync() {
            @Override
            public void barrier() {}

            @Override
            public long fromRoot(long value) {
                return value;
            }
        };
    }

    /** Too few checkpoints to read back: DLIO's error, with its figures. */
    public static final class TooFew extends Exception {
        private static final long serialVersionUID = 1L;

        TooFew(int wanted, int available) {
            super("Number of checkpoints to be read: " + wanted + " is more than the number of checkpoints available: " + available);
        }
    }

    /**
     * What the run measured so far.
     *
     * @param startNanos when the checkpoint loop started (DLIO's epoch 1 start)
     * @param endNanos when it ended, or -1 while it runs
     * @param checkpoints the checkpoints finished, writes first
     * @param complete whether every checkpoint asked for was taken
     */
    public record Report(long startNanos, long endNanos, List<EpochStats.CheckpointStats> checkpoints, boolean complete) {
        public Report {
            checkpoints = List.copyOf(checkpoints);
        }
    }

    private final Checkpoints checkpoints;
    private final Sync sync;
    private final Clock clock;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final List<EpochStats.CheckpointStats> done = new ArrayList<>();
    private volatile long start = -1;
    private volatile long end = -1;
    private volatile boolean complete;

    public CheckpointRun(Checkpoints checkpoints, Sync sync, Clock clock) {
        this.checkpoints = checkpoints;
        this.sync = sync;
        this.clock = clock;
    }

    /**
     * Writes, then reads back.
     *
     * @throws TooFew before any read, when the folder holds fewer checkpoints than asked to read
     * @throws RunFailure when a checkpoint cannot be written or read (naming the file)
     */
    public Report run() throws TooFew, RunFailure {
        if (checkpoints.toWrite() > 0) {
            try {
                checkpoints.prepare(); // untimed, before DLIO's epoch starts
            } catch (IOException e) {
                throw new RunFailure(e.getMessage(), e);
            }
        }
        start = clock.nanoTime();
        try {
            for (int i = 1; i <= checkpoints.toWrite() && !interrupted.get(); i++) {
                take(i, true);
            }
            if (!interrupted.get() && checkpoints.toRead() > 0) {
                int available;
                try {
                    available = (int) sync.fromRoot(checkpoints.available());
                } catch (IOException e) {
                    throw new RunFailure(e.getMessage(), e);
                }
                if (available < checkpoints.toRead()) {
                    throw new TooFew(checkpoints.toRead(), available);
                }
            }
            for (int i = 1; i <= checkpoints.toRead() && !interrupted.get(); i++) {
                take(i, false);
            }
            complete = !interrupted.get();
        } finally {
            end = clock.nanoTime();
        }
        return snapshot();
    }

    private void take(int i, boolean save) throws RunFailure {
        long compute = checkpoints.computeBetweenNanos();
        if (compute > 0) {
            sleep(compute);
        }
        sync.barrier();
        if (interrupted.get()) {
            return;
        }
        long t0 = clock.nanoTime();
        Checkpoints.Moved m;
        try {
            m = save ? checkpoints.save(1, i) : checkpoints.load(1, i);
        } catch (IOException e) {
            throw new RunFailure(e.getMessage(), e);
        }
        long t1 = clock.nanoTime();
        synchronized (done) {
            done.add(new EpochStats.CheckpointStats((save ? "save_ckpt" : "load_ckpt") + i, i, t0, t1, m.rankBytes(), m.totalBytes(),
                    m.direct()));
        }
    }

    /** Emulated compute ({@code time_between_checkpoints}): a sleep, cut short by {@link #interrupt()}. */
    private void sleep(long nanos) {
        long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0 && !interrupted.get()) {
            try {
                Thread.sleep(Math.min(left / 1_000_000 + 1, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ends the run after the checkpoint under way. Any thread. */
    public void interrupt() {
        interrupted.set(true);
    }

    public boolean interrupted() {
        return interrupted.get();
    }

    /** What was measured so far (null before {@link #run()} starts). Any thread. */
    public Report snapshot() {
        if (start < 0) {
            return null;
        }
        synchronized (done) {
            return new Report(start, end, done, complete);
        }
    }

    /** When the checkpoint loop started, or -1. */
    public long startNanos() {
        return start;
    }
}
