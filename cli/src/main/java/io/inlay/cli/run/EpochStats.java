package io.inlay.cli.run;

/**
 * One epoch of a rank: its wall-clock start and end, the training phase (its blocks
 * {@code block1}, ...), the checkpoints saved in it and, when evaluation ran after it, the
 * evaluation phase. {@code trainEnd} is where DLIO ends the
 * epoch's training (after the end-of-epoch barrier); {@code end} after the evaluation.
 * Written by the consumer thread; read through synchronized accessors.
 */
public final class EpochStats {
    private final int number;
    private final long startNanos;
    private PhaseStats train;
    private PhaseStats eval;
    private long trainEndNanos = -1;
    private long endNanos = -1;
    private final java.util.List<CheckpointStats> checkpoints = new java.util.ArrayList<>();

    /**
     * A checkpoint saved or loaded in the epoch, as DLIO files it ({@code save_ckpt<k>}, {@code load_ckpt<k>}).
     *
     * @param key {@code save_ckpt<block>} or {@code load_ckpt<n>}
     * @param step the step it followed (DLIO's log line)
     * @param rankBytes bytes this rank moved
     * @param totalBytes bytes every rank moved: the checkpoint's size
     * @param direct whether this rank's files went through O_DIRECT
     */
    public record CheckpointStats(String key, long step, long startNanos, long endNanos, long rankBytes, long totalBytes,
            boolean direct) {
        public boolean save() {
            return key.startsWith("save");
        }

        public double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    synchronized void addCheckpoint(CheckpointStats c) {
        checkpoints.add(c);
    }

    /** Checkpoints of the epoch, in order. */
    public synchronized java.util.List<CheckpointStats> checkpoints() {
        return java.util.List.copyOf(checkpoints);
    }

    EpochStats(int number, long startNanos) {
        this.number = number;
        this.startNanos = startNanos;
    }

    public int number() {
        return number;
    }

    public long startNanos() {
        return startNanos;
    }

    synchronized PhaseStats startTrain(long nanos) {
        train = new PhaseStats("block1", nanos);
        return train;
    }

    synchronized PhaseStats startEval(long nanos) {
        eval = new PhaseStats("eval", nanos);
        return eval;
    }

    synchronized void endTrain(long nanos) {
        trainEndNanos = nanos;
    }

    synchronized void finish(long nanos) {
        endNanos = nanos;
    }

    /** The training phase (null before it started). */
    public synchronized PhaseStats train() {
        return train;
    }

    /** The evaluation phase, or null when none ran in this epoch. */
    public synchronized PhaseStats eval() {
        return eval;
    }

    /** End of training (after the end-of-epoch barrier), or -1. */
    public synchronized long trainEndNanos() {
        return trainEndNanos;
    }

    /** End of the epoch, or -1 while it runs (or when it was interrupted). */
    public synchronized long endNanos() {
        return endNanos;
    }

    /** Whether the epoch ran to its end. */
    public synchronized boolean complete() {
        return endNanos >= 0;
    }
}
