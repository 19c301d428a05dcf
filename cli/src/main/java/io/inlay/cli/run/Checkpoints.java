package io.inlay.cli.run;

import java.io.IOException;

/**
 * When a training read checkpoints, and the checkpoint itself, as DLIO emulates it
 * ({@code main.py}'s {@code _train} and {@code _checkpoint}): {@link TrainingRead} asks after every
 * step (after the step's barrier) and after every epoch's training (after its barrier), and times
 * what {@link #save} and {@link #load} take. The run package knows nothing of files: the
 * implementation writes them ({@code io.inlay.cli.checkpoint}). Called from the consumer thread.
 */
public interface Checkpoints {

    /** What a checkpoint moved. */
    record Moved(long rankBytes, long totalBytes, boolean direct) {}

    /** An epoch's training starts: DLIO resets its next checkpoint step. */
    void startEpoch(int epoch);

    /** Whether a checkpoint follows step {@code step} (1-based, within the epoch). */
    boolean dueAfterStep(int epoch, long step);

    /** Whether a checkpoint follows the epoch's training. */
    boolean dueAfterEpoch(int epoch);

    /** Writes checkpoint {@code global_epoch{epoch}_step{step}}, durable on return. */
    Moved save(int epoch, long step) throws IOException;

    /** Reads checkpoint {@code global_epoch{epoch}_step{step}} back. */
    Moved load(int epoch, long step) throws IOException;

    /**
     * Untimed preparation before the first timed checkpoint (as DLIO makes its tensors before it
     * times anything): warms the write path up. Nothing by default.
     */
    default void prepare() throws IOException {}

    /** A checkpoint-only run: checkpoints to write, and to read back after. */
    default int toWrite() {
        return 0;
    }

    default int toRead() {
        return 0;
    }

    /** The emulated compute before each checkpoint of a checkpoint-only run, in nanoseconds. */
    default long computeBetweenNanos() {
        return 0;
    }

    /** Whether the ranks meet after each checkpoint of a checkpoint-only run ({@code checkpoint.rank_sync}). */
    default boolean rankSync() {
        return false;
    }

    /** The checkpoints present to read back (rank 0 counts, every rank learns), before reading. */
    default int available() throws IOException {
        return 0;
    }

    /** No checkpoints. */
    Checkpoints NONE = new Checkpoints() {
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
            throw new IllegalStateException("no checkpoints");
        }

        @Override
        public Moved load(int epoch, long step) {
            throw new IllegalStateException("no checkpoints");
        }
    };
}
