package io.inlay.cli.checkpoint;

import io.inlay.cli.config.CheckpointConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What each rank writes in a checkpoint, as DLIO's {@code BaseCheckpointing} lays it out
 * ({@code dlio_benchmark/checkpointing/base_checkpointing.py}), for a world of {@code world} ranks:
 *
 * <pre>
 * ranks                 model parallelism mp = tensor x pipeline; data parallelism dp = world / mp
 *                       (or model.parallelism.data in subset mode); rank r: tp rank r % tp,
 *                       pp rank (r / tp) % pp, dp rank r / mp, mp rank r % mp
 * who writes            ZeRO stage 0: the ranks of the first model-parallel group (r &lt; mp), with
 *                       checkpoint.type all_ranks every rank; other stages: every rank
 * model state           model_size bytes (model.type other than transformer): model_states-{r}
 * layer states          model.layer_parameters (elements / tp, bytes as int8) or, with num_layers,
 *                       the transformer's layers (embedding, attention, MLP, norms) in model_datatype,
 *                       this pipeline stage's layers: 0 &lt; ZeRO &lt; 3 the first data-parallel rank writes
 *                       layer_{i}-model_{mp}_model_states (pipeline) or model_{mp}_model_states;
 *                       otherwise zero_pp_rank_{dp}_mp_rank_{mp}_model_states (ZeRO 3 shards them over dp)
 * optimizer states      model.optimization_groups (two int8 tensors per group and their sum), or with
 *                       num_layers the parameters / mp (ZeRO: / (dp x mp)) in three moments plus 5 h each,
 *                       in optimizer_datatype: zero_pp_rank_{dp}_mp_rank_{mp}_optim_states
 * </pre>
 *
 * Every name lives under {@code global_epoch{e}_step{s}/} of {@code checkpoint.checkpoint_folder}
 * with the framework's extension. DLIO serialises tensors with torch.save or TensorFlow; Inlay
 * writes each file's state as raw bytes of the same size (as MLCommons' streaming checkpointing
 * does). Immutable.
 */
public final class CheckpointPlan {

    /**
     * One file of a rank's checkpoint.
     *
     * @param name the file name, without the extension, relative to the checkpoint's folder
     * @param bytes what it holds
     */
    public record FileSpec(String name, long bytes) {}

    private final CheckpointConfig config;
    private final int world;
    private final int mp;
    private final int dp;

    public CheckpointPlan(CheckpointConfig config, int world) {
        this.config = config;
        this.world = world;
        this.mp = config.modelParallelism();
        this.dp = config.dataParallelism() > 0 ? config.dataParallelism() : world / mp;
        if (!config.subset() && world % mp != 0) {
            throw new IllegalArgumentException("Number of processes " + world + " is not a multiple of model parallelism size: " + mp
                    + " (model.parallelism.tensor x pipeline)");
        }
        if (config.subset() && (long) config.dataParallelism() * mp < world) {
            throw new IllegalArgumentException("Comm size: " + world + " is larger than 3D parallelism size: "
                    + (long) config.dataParallelism() * mp + " (checkpoint.mode: subset)");
        }
    }

    /** The checkpoint's folder name: {@code global_epoch{e}_step{s}}, as DLIO names it. */
    public static String id(int epoch, long step) {
        return "global_epoch" + epoch + "_step" + step;
    }

    /** Whether rank {@code rank} writes (DLIO's {@code rank_to_checkpoint == my_rank}). */
    public boolean writes(int rank) {
        if (config.allRanks() || config.zeroStage() != 0) {
            return true;
        }
        return rank < mp;
    }

    /** The files rank {@code rank} writes (empty when it writes none). */
    public List<FileSpec> files(int rank) {
        List<FileSpec> out = new ArrayList<>();
        if (!writes(rank)) {
            return out;
        }
        int ppRank = (rank / config.tensorParallelism()) % config.pipelineParallelism();
        int dpRank = rank / mp;
        int mpRank = rank % mp;
        if (config.modelSize() > 0 && !"transformer".equals(config.modelType())) {
            out.add(new FileSpec("model_states-" + rank, config.modelSize()));
        }
        boolean predefinedLayers = !config.layerParameters().isEmpty();
        if (predefinedLayers || config.numLayers() > 0) {
            int[] range = layerRange(ppRank, predefinedLayers);
            int zero = config.zeroStage();
            if (zero > 0 && zero < 3) {
                if (dpRank == 0 && config.numLayers() > 0) {
                    if (config.pipelineParallelism() > 1) {
                        for (int l = range[0]; l <= range[1]; l++) {
                            out.add(new FileSpec("layer_" + l + "-model_" + mpRank + "_model_states", layerBytes(l, predefinedLayers)));
                        }
                    } else {
                        out.add(new FileSpec("model_" + mpRank + "_model_states", layersBytes(range, predefinedLayers)));
                    }
                }
            } else {
                out.add(new FileSpec("zero_pp_rank_" + dpRank + "_mp_rank_" + mpRank + "_model_states", layersBytes(range, predefinedLayers)));
            }
        }
        long optimizer = optimizerBytes();
        if (optimizer > 0) {
            out.add(new FileSpec("zero_pp_rank_" + dpRank + "_mp_rank_" + mpRank + "_optim_states", optimizer));
        }
        out.removeIf(f -> f.bytes() <= 0);
        return out;
    }

    /** Bytes every rank together writes per checkpoint. */
    public long totalBytes() {
        long n = 0;
        for (int r = 0; r < world; r++) {
            for (FileSpec f : files(r)) {
                n += f.bytes();
            }
        }
        return n;
    }

    /** How many ranks write. */
    public int writers() {
        int n = 0;
        for (int r = 0; r < world; r++) {
            n += files(r).isEmpty() ? 0 : 1;
        }
        return n;
    }

    private long layersBytes(int[] range, boolean predefined) {
        long n = 0;
        for (int l = range[0]; l <= range[1]; l++) {
            n += layerBytes(l, predefined);
        }
        return n;
    }

    /** A layer's bytes: predefined parameters (int8 elements over tp), or the transformer's layer in model_datatype. */
    private long layerBytes(int layer, boolean predefined) {
        if (predefined) {
            long n = 0;
            for (long p : config.layerParameters()) {
                if (p > 0) {
                    n += p / config.tensorParallelism();
                }
            }
            return n;
        }
        int size = CheckpointConfig.datatypeSize(config.modelDatatype());
        long h = config.hiddenSize();
        long tp = config.tensorParallelism();
        long shard = config.zeroStage() < 3 ? 1 : dp;
        long dimKv = h / config.attentionHeads() * config.kvHeads();
        long[] params;
        if (layer == 0 || layer == config.numLayers() + 1) {
            params = new long[] {h * config.vocabSize() / tp / shard}; // embedding, lm head
        } else if (layer == config.numLayers() + 2) {
            params = new long[] {h / shard}; // final norm
        } else {
            params = new long[] {h / shard, h * (h + 2 * dimKv) / tp / shard, h * h / tp / shard, h / shard,
                h * 2 * config.ffnHiddenSize() / tp / shard, h * config.ffnHiddenSize() / tp / shard};
        }
        long n = 0;
        for (long p : params) {
            if (p > 0) {
                n += p * size;
            }
        }
        return n;
    }

    /** This pipeline stage's layers, as DLIO's {@code get_layer_index}: [first, last]. */
    private int[] layerRange(int ppRank, boolean predefined) {
        int layers = Math.max(config.numLayers(), 0);
        int pp = config.pipelineParallelism();
        int per = layers / pp;
        int rem = layers % pp;
        int start;
        int end;
        if (ppRank < rem) {
            start = ppRank * (per + 1) + 1;
            end = start + per;
        } else {
            start = rem * (per + 1) + (ppRank - rem) * per + 1;
            end = start + per - 1;
        }
        if (!predefined) {
            if (ppRank == pp - 1) {
                end = layers + 2;
            }
            if (ppRank == 0) {
                start = 0;
            }
        }
        return new int[] {start, end};
    }

    private long parameters() {
        if (config.numLayers() <= 0) {
            return 0;
        }
        long h = config.hiddenSize();
        long dimKv = h / config.attentionHeads() * config.kvHeads();
        long embedding = config.vocabSize() * h;
        long perLayer = h + h * (h + 2 * dimKv) + h * h + h + config.ffnHiddenSize() * 2 * h + config.ffnHiddenSize() * h;
        return embedding + perLayer * config.numLayers() + h + embedding;
    }

    private long optimizerBytes() {
        if (!config.optimizationGroups().isEmpty()) {
            long n = 0;
            long sum = 0;
            for (long g : config.optimizationGroups()) {
                if (g > 0) {
                    n += 2 * g; // two int8 tensors per group ...
                    sum += g;
                }
            }
            return n + sum; // ... and their concatenation
        }
        if (config.numLayers() <= 0) {
            return 0;
        }
        long p = config.zeroStage() > 0 ? parameters() / ((long) dp * mp) : parameters() / mp;
        if (p <= 0) {
            return 0;
        }
        long h5 = config.hiddenSize() * 5;
        return (3 * p + 3 * h5) * CheckpointConfig.datatypeSize(config.optimizerDatatype());
    }
}
