package io.inlay.cli.checkpoint;

import io.inlay.cli.config.CheckpointConfig;
import io.inlay.cli.run.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * DLIO's checkpointing of a training run ({@code main.py}'s {@code _train} and {@code run}, its
 * {@code BaseCheckpointing}) over files: when a checkpoint is due ({@code workflow.checkpoint},
 * {@code checkpoint.checkpoint_after_epoch}, {@code epochs_between_checkpoints},
 * {@code steps_between_checkpoints}), each rank writes the files {@link CheckpointPlan} gives it
 * under {@code checkpoint_folder/global_epoch{e}_step{s}/} through {@link CheckpointIo} (durable on
 * return), then the ranks meet, so the time a rank records covers every rank's files on the device.
 * Called from the consumer thread of {@link io.inlay.cli.run.TrainingRead}.
 */
public final class FileCheckpoints implements Checkpoints {
    /** Transfers in flight per writing rank: fio's queue depth 16 of the target. */
    public static final int DEPTH = 16;

    private final CheckpointConfig config;
    private final CheckpointPlan plan;
    private final int rank;
    private final Runnable barrier;
    private final CheckpointIo io = new CheckpointIo(DEPTH);

    /**
     * @param barrier where the ranks meet after a checkpoint (a no-op for one process)
     * @throws IllegalArgumentException when the world does not fit the model's parallelism
     */
    public FileCheckpoints(CheckpointConfig config, int rank, int world, Runnable barrier) {
        this.config = config;
        this.plan = new CheckpointPlan(config, world);
        this.rank = rank;
        this.barrier = barrier;
    }

    /** The plan: what each rank writes. */
    public CheckpointPlan plan() {
        return plan;
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

    /** Where rank {@code r}'s file {@code f} of checkpoint (epoch, step) goes. */
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
        barrier.run();
        return new Moved(bytes, plan.totalBytes(), direct && !files.isEmpty());
    }

    @Override
    public Moved load(int epoch, long step) throws IOException {
        List<CheckpointPlan.FileSpec> files = plan.files(rank);
        long bytes = 0;
        boolean direct = true;
        for (CheckpointPlan.FileSpec f : files) {
            Path p = file(epoch, step, f);
            if (!Files.isRegularFile(p)) {
                throw new IOException("the checkpoint file " + p + " is missing");
            }
            bytes += io.read(p);
            direct &= io.lastDirect();
        }
        barrier.run();
        return new Moved(bytes, plan.totalBytes(), direct && !files.isEmpty());
    }
}
