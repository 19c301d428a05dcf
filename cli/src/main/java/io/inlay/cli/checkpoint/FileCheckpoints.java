package io.inlay.cli.checkpoint;

import io.inlay.cli.config.CheckpointConfig;
import io.inlay.cli.run.Checkpoints;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * DLIO's checkpointing over files ({@code main.py}'s {@code _train}, {@code _checkpoint_write},
 * {@code _checkpoint_read}, its {@code BaseCheckpointing}): each rank writes the files
 * {@link CheckpointPlan} gives it under {@code checkpoint_folder/global_epoch{e}_step{s}/} through
 * {@link CheckpointIo} (durable on return), and reads them back the same way.
 *
 * <p>In a training run ({@link #forTraining}) the ranks meet after every save, so the time a rank
 * records covers every rank's files on the device (DLIO has no barrier there: Inlay's departure,
 * documented in docs/RESULTS.md). In a checkpoint-only run ({@link #forCheckpointOnly}) they meet
 * after a save or load only with {@code checkpoint.rank_sync: True}, as DLIO; with
 * {@code checkpoint.recovery_rank_shift: True} rank {@code r} reads back what rank
 * {@code (r + ranks per node) % world} wrote (on one node that is itself). Used by one thread: the
 * consumer thread of {@link io.inlay.cli.run.TrainingRead}, or the checkpoint-only loop.
 */
public final class FileCheckpoints implements Checkpoints {
    /** Transfers in flight per writing rank: fio's queue depth 16 of the target. */
    public static final int DEPTH = 16;

    private final CheckpointConfig config;
    private final CheckpointPlan plan;
    private final int rank;
    private final int readRank;
    private final Runnable barrier;
    private final boolean meetAfterEach;
    private final CheckpointIo io = new CheckpointIo(DEPTH);

    private FileCheckpoints(CheckpointConfig config, int rank, int world, int readRank, Runnable barrier, boolean meetAfterEach) {
        this.config = config;
        this.plan = new CheckpointPlan(config, world);
        this.rank = rank;
        this.readRank = readRank;
        this.barrier = barrier;
        this.meetAfterEach = meetAfterEach;
    }

    /**
     * The checkpoints of a training run: the ranks meet after each.
     *
     * @param barrier where the ranks meet after a checkpoint (a no-op for one process)
     * @throws IllegalArgumentException when the world does not fit the model's parallelism
     */
    public FileCheckpoints(CheckpointConfig config, int rank, int world, Runnable barrier) {
        this(config, rank, world, rank, barrier, true);
    }

    /** As the constructor: the checkpoints of a training run. */
    public static FileCheckpoints forTraining(CheckpointConfig config, int rank, int world, Runnable barrier) {
        return new FileCheckpoints(config, rank, world, barrier);
    }

    /**
     * The checkpoints of a checkpoint-only run: {@code checkpoint.num_checkpoints_write} written,
     * then {@code num_checkpoints_read} read back.
     *
     * @param ranksPerNode ranks on this node (DLIO's {@code npernode}), for {@code recovery_rank_shift}
     * @param barrier where the ranks meet with {@code checkpoint.rank_sync} (a no-op for one process)
     * @throws IllegalArgumentException when the world does not fit the model's parallelism
     */
    public static FileCheckpoints forCheckpointOnly(CheckpointConfig config, int rank, int world, int ranksPerNode,
            Runnable barrier) {
        int readRank = config.recoveryRankShift() ? (rank + ranksPerNode) % world : rank;
        return new FileCheckpoints(config, rank, world, readRank, barrier, config.rankSync());
    }

    /** The plan: what each rank writes. */
    public CheckpointPlan plan() {
        return plan;
    }

    /** The rank whose files this rank reads back (itself unless {@code recovery_rank_shift} moves it). */
    public int readRank() {
        return readRank;
    }

    @Override
    public void startEpoch(int epoch) {}

    @Override
    public boolean dueAfterStep(int epoch, long step) {
        return config.enabled() && config.stepsBetween() > 0 && step % config.stepsBetween() == 0;
    }

    @Override
    public boolean dueAfterEpoch(int epoch) {
        return config.enabled() && config.stepsBetween() <= 0 && epoch >= config.afterEpoch()
                && (epoch - config.afterEpoch()) % config.epochsBetween() == 0;
    }

    /** Where a file of checkpoint (epoch, step) goes. */
    public Path file(int epoch, long step, CheckpointPlan.FileSpec f) {
        return config.folder().resolve(CheckpointPlan.id(epoch, step)).resolve(f.name() + "." + config.extension());
    }

    @Override
    public Moved save(int epoch, long step) throws IOException {
        List<CheckpointPlan.FileSpec> files = plan.files(rank);
        long bytes = 0;
        boolean direct = true;
        long stamp = ((long) epoch << 40) ^ (step << 8) ^ rank;
        int i = 0;
        for (CheckpointPlan.FileSpec f : files) {
            io.write(file(epoch, step, f), f.bytes(), stamp * 31 + i++);
            bytes += f.bytes();
            direct &= io.lastDirect();
        }
        if (meetAfterEach) {
            barrier.run();
        }
        return new Moved(bytes, plan.totalBytes(), direct && !files.isEmpty());
    }

    @Override
    public Moved load(int epoch, long step) throws IOException {
        List<CheckpointPlan.FileSpec> files = plan.files(readRank);
        long bytes = 0;
        boolean direct = true;
        for (CheckpointPlan.FileSpec f : files) {
            Path p = file(epoch, step, f);
            if (!Files.isRegularFile(p)) {
                throw new IOException("the checkpoint file " + p + " is missing (rank " + readRank + " writes it)");
            }
            long size = io.read(p);
            if (size != f.bytes()) {
                throw new IOException("the checkpoint file " + p + " holds " + size + " bytes where this model's checkpoint has "
                        + f.bytes() + " (written for another model or world size?)");
            }
            bytes += size;
            direct &= io.lastDirect();
        }
        if (meetAfterEach) {
            barrier.run();
        }
        return new Moved(bytes, plan.totalBytes(), direct && !files.isEmpty());
    }

    /** Bytes of the untimed warm-up write of {@link #prepare()}. */
    static final long WARM_UP_BYTES = 32L << 20;

    /**
     * Writes (durably, through the same path) and deletes a hidden 32 MiB file in the checkpoint
     * folder, outside every clock, when this rank writes: the first timed checkpoint then does not
     * pay for the JIT compiling the write path, the threads' first start and the folder's creation.
     */
    @Override
    public void prepare() throws IOException {
        if (plan.files(rank).isEmpty()) {
            return;
        }
        Path warm = config.folder().resolve(".inlay-warm-up-" + rank + "-" + ProcessHandle.current().pid());
        try {
            io.write(warm, WARM_UP_BYTES, -1 - rank); // its message names the file, in the checkpoint folder
        } finally {
            try {
                Files.deleteIfExists(warm);
            } catch (IOException e) {
                // not there (the write failed before making it): the write's failure is the one to report
            }
        }
    }

    @Override
    public int toWrite() {
        return Math.max(0, config.numWrite());
    }

    @Override
    public int toRead() {
        return Math.max(0, config.numRead());
    }

    @Override
    public long computeBetweenNanos() {
        return config.timeBetween() > 0 ? (long) (config.timeBetween() * 1e9) : 0;
    }

    @Override
    public boolean rankSync() {
        return config.rankSync();
    }

    /**
     * What DLIO counts as the checkpoints available ({@code len(storage.walk_node(checkpoint_folder))}):
     * the entries of the checkpoint folder (Inlay leaves out hidden ones), 0 when it is not there.
     */
    @Override
    public int available() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(config.folder())) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".")) {
                    n++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new IOException("cannot list the checkpoint folder " + config.folder() + ": " + e.getMessage(), e);
        }
        return n;
    }
}
