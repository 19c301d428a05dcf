package io.inlay.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys of a DLIO workload that drive checkpointing, with DLIO's defaults
 * ({@code dlio_benchmark/utils/config.py}: {@code LoadConfig}): {@code workflow.checkpoint},
 * {@code checkpoint.*}, the model's size and shape under {@code model.*}, and {@code framework}
 * (which names the files' extension). Immutable.
 *
 * @param enabled {@code workflow.checkpoint}
 * @param folder {@code checkpoint.checkpoint_folder} (default {@code ./checkpoints}, trailing slashes dropped)
 * @param afterEpoch {@code checkpoint.checkpoint_after_epoch}: the first epoch that ends with a checkpoint (default 1)
 * @param epochsBetween {@code checkpoint.epochs_between_checkpoints} (default 1)
 * @param stepsBetween {@code checkpoint.steps_between_checkpoints}: when 0 or more, checkpoints are taken
 *     every that many steps within an epoch instead of at epochs' ends (default -1)
 * @param allRanks {@code checkpoint.type}: {@code rank_zero} (DLIO's default: only the ranks of the first
 *     model-parallel group write the model) or {@code all_ranks} (every rank writes its own)
 * @param fsync {@code checkpoint.fsync} as given (Inlay makes every checkpoint durable whatever it says)
 * @param timeBetween {@code checkpoint.time_between_checkpoints}: emulated compute before each checkpoint of
 *     a checkpoint-only run, seconds (default -1: none)
 * @param numWrite {@code checkpoint.num_checkpoints_write} (checkpoint-only runs; default -1: none)
 * @param numRead {@code checkpoint.num_checkpoints_read} (checkpoint-only runs; default -1: none)
 * @param rankSync {@code checkpoint.rank_sync}: a barrier after each checkpoint of a checkpoint-only run
 * @param recoveryRankShift {@code checkpoint.recovery_rank_shift}: each rank reads what the rank one node over wrote
 * @param subset {@code checkpoint.mode: subset} (default {@code default})
 * @param modelSize the model state's bytes: {@code model.model_size_bytes} (DLIO's key), else
 *     {@code model.model_size} (what MLPerf Storage's workloads write), else {@code checkpoint.model_size}
 *     (DLIO's older place); default 10240
 * @param modelType {@code model.type} ({@code transformer} models have no model state, only layers), or null
 * @param modelDatatype {@code model.model_datatype} (default fp16)
 * @param optimizerDatatype {@code model.optimizer_datatype} (default fp32)
 * @param numLayers {@code model.num_layers} (default -1: no layer states)
 * @param layerParameters {@code model.layer_parameters}: elements per layer tensor, when given
 * @param optimizationGroups {@code model.optimization_groups}: elements per optimizer group, when given
 * @param tensorParallelism {@code model.parallelism.tensor} (default 1)
 * @param pipelineParallelism {@code model.parallelism.pipeline} (default 1)
 * @param dataParallelism {@code model.parallelism.data} (default -1: world / model parallelism)
 * @param zeroStage {@code model.parallelism.zero_stage} (default 0)
 * @param vocabSize {@code model.transformer.vocab_size} (default 32000)
 * @param hiddenSize {@code model.transformer.hidden_size} (default 2048)
 * @param attentionHeads {@code model.transformer.num_attention_heads} (default 32)
 * @param kvHeads {@code model.transformer.num_kv_heads} (default 8)
 * @param ffnHiddenSize {@code model.transformer.ffn_hidden_size} (default 8192)
 * @param extension the files' extension: {@code pt} (framework pytorch, DLIO's default for it) or {@code pb} (tensorflow)
 */
public record CheckpointConfig(boolean enabled, Path folder, int afterEpoch, int epochsBetween, long stepsBetween,
        boolean allRanks, boolean fsync, double timeBetween, int numWrite, int numRead, boolean rankSync,
        boolean recoveryRankShift, boolean subset, long modelSize, String modelType, String modelDatatype,
        String optimizerDatatype, int numLayers, List<Long> layerParameters, List<Long> optimizationGroups,
        int tensorParallelism, int pipelineParallelism, int dataParallelism, int zeroStage, long vocabSize, long hiddenSize,
        long attentionHeads, long kvHeads, long ffnHiddenSize, String extension) {

    /** DLIO's default model size (bytes). */
    public static final long DEFAULT_MODEL_SIZE = 10240;

    public CheckpointConfig {
        layerParameters = List.copyOf(layerParameters);
        optimizationGroups = List.copyOf(optimizationGroups);
    }

    /** Bytes of one element of a DLIO datatype name ({@code fp16}, {@code bf16}, {@code fp32}, {@code fp64}, {@code int8}, {@code uint8}). */
    public static int datatypeSize(String datatype) {
        return switch (datatype) {
            case "int8", "uint8" -> 1;
            case "fp16", "bf16" -> 2;
            case "fp32" -> 4;
            case "fp64" -> 8;
            default -> throw new IllegalArgumentException("'" + datatype + "' is not a datatype; valid: fp16, bf16, fp32, fp64, int8, uint8");
        };
    }

    /**
     * Maps a loaded config.
     *
     * @throws ConfigException naming the key path and the bad value
     */
    public static CheckpointConfig of(WorkloadConfig config) throws ConfigException {
        boolean enabled = false;
        Optional<ConfigNode> workflow = config.section("workflow");
        if (workflow.isPresent()) {
            enabled = workflow.get().bool("checkpoint", false);
        }
        Path folder = Path.of("./checkpoints");
        int afterEpoch = 1;
        int epochsBetween = 1;
        long stepsBetween = -1;
        boolean allRanks = false;
        boolean fsync = false;
        double timeBetween = -1;
        int numWrite = -1;
        int numRead = -1;
        boolean rankSync = false;
        boolean shift = false;
        boolean subset = false;
        Long legacyModelSize = null;
        Optional<ConfigNode> ck = config.section("checkpoint");
        if (ck.isPresent()) {
            ConfigNode c = ck.get();
            String f = c.string("checkpoint_folder", "./checkpoints").replaceAll("/+$", "");
            folder = Path.of(f.isEmpty() ? "/" : f);
            afterEpoch = c.intValue("checkpoint_after_epoch", 1, 0);
            epochsBetween = c.intValue("epochs_between_checkpoints", 1, 1);
            stepsBetween = c.longValue("steps_between_checkpoints", -1, -1);
            String type = c.string("type", "rank_zero").strip().toLowerCase(Locale.ROOT);
            switch (type) {
                case "rank_zero" -> allRanks = false;
                case "all_ranks" -> allRanks = true;
                default -> throw new ConfigException(c.pathOf("type"), "'" + type + "' is not a checkpoint type; valid: rank_zero, all_ranks");
            }
            fsync = c.bool("fsync", false);
            timeBetween = c.doubleValue("time_between_checkpoints", -1);
            numWrite = c.intValue("num_checkpoints_write", -1, -1);
            numRead = c.intValue("num_checkpoints_read", -1, -1);
            rankSync = c.bool("rank_sync", false);
            shift = c.bool("recovery_rank_shift", false);
            String mode = c.string("mode", "default").strip().toLowerCase(Locale.ROOT);
            switch (mode) {
                case "default" -> subset = false;
                case "subset" -> subset = true;
                default -> throw new ConfigException(c.pathOf("mode"), "'" + mode + "' is not a checkpoint mode; valid: default, subset");
            }
            if (c.has("model_size")) {
                legacyModelSize = c.longValue("model_size", DEFAULT_MODEL_SIZE, 0);
            }
            if (numWrite > 0 && numRead > numWrite) {
                throw new ConfigException(c.pathOf("num_checkpoints_read"), "Number of checkpoints to read " + numRead
                        + " cannot be larger than number of checkpoints to write " + numWrite);
            }
        }
        long modelSize = legacyModelSize != null ? legacyModelSize : DEFAULT_MODEL_SIZE;
        String modelType = null;
        String modelDatatype = "fp16";
        String optimizerDatatype = "fp32";
        int numLayers = -1;
        List<Long> layers = List.of();
        List<Long> groups = List.of();
        int tp = 1;
        int pp = 1;
        int dp = -1;
        int zero = 0;
        long vocab = 32000;
        long hidden = 2048;
        long heads = 32;
        long kv = 8;
        long ffn = 8192;
        Optional<ConfigNode> model = config.root().raw("model") instanceof java.util.Map<?, ?> ? config.section("model") : Optional.empty();
        if (model.isPresent()) {
            ConfigNode m = model.get();
            if (m.has("model_size_bytes")) {
                modelSize = m.longValue("model_size_bytes", DEFAULT_MODEL_SIZE, 0);
            } else if (m.has("model_size")) {
                modelSize = m.longValue("model_size", DEFAULT_MODEL_SIZE, 0);
            }
            modelType = m.has("type") ? String.valueOf(m.raw("type")) : null;
            modelDatatype = datatype(m, "model_datatype", "fp16");
            optimizerDatatype = datatype(m, "optimizer_datatype", "fp32");
            numLayers = m.intValue("num_layers", -1, -1);
            layers = longs(m, "layer_parameters");
            groups = longs(m, "optimization_groups");
            Optional<ConfigNode> par = m.section("parallelism");
            if (par.isPresent()) {
                tp = par.get().intValue("tensor", 1, 1);
                pp = par.get().intValue("pipeline", 1, 1);
                dp = par.get().intValue("data", -1, -1);
                zero = par.get().intValue("zero_stage", 0, -1);
                if (zero > 3) {
                    throw new ConfigException(par.get().pathOf("zero_stage"), zero + " is not a ZeRO stage (0 to 3)");
                }
            }
            Optional<ConfigNode> tr = m.section("transformer");
            if (tr.isPresent()) {
                vocab = tr.get().longValue("vocab_size", vocab, 1);
                hidden = tr.get().longValue("hidden_size", hidden, 1);
                heads = tr.get().longValue("num_attention_heads", heads, 1);
                kv = tr.get().longValue("num_kv_heads", kv, 1);
                ffn = tr.get().longValue("ffn_hidden_size", ffn, 1);
            }
            if (numLayers > 0 && numLayers < pp) {
                throw new ConfigException(m.pathOf("num_layers"), "Expected model.num_layers " + numLayers
                        + " should be larger than model.parallelism.pipeline " + pp);
            }
            if (pp > 1 && zero == 3) {
                throw new ConfigException(m.pathOf("parallelism.zero_stage"), "ZeRO stage 3 is not compatible with pipeline parallelism");
            }
            if (dp > 0 && !subset) {
                throw new ConfigException(m.pathOf("parallelism.data"), "should not be set in default checkpoint mode;"
                        + " it is determined by the world size (checkpoint.mode: subset takes it)");
            }
        }
        if (subset && dp <= 0) {
            throw new ConfigException("checkpoint.mode", "subset checkpointing needs a target data parallelism: model.parallelism.data");
        }
        String framework = config.root().raw("framework") == null ? "tensorflow" : String.valueOf(config.root().raw("framework"))
                .strip().toLowerCase(Locale.ROOT);
        String ext = framework.equals("pytorch") ? "pt" : "pb";
        return new CheckpointConfig(enabled, folder, afterEpoch, epochsBetween, stepsBetween, allRanks, fsync, timeBetween,
                numWrite, numRead, rankSync, shift, subset, modelSize, modelType, modelDatatype, optimizerDatatype, numLayers,
                layers, groups, tp, pp, dp, zero, vocab, hidden, heads, kv, ffn, ext);
    }

    private static String datatype(ConfigNode m, String key, String dflt) throws ConfigException {
        String v = m.string(key, dflt).strip().toLowerCase(Locale.ROOT);
        try {
            datatypeSize(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(m.pathOf(key), e.getMessage());
        }
        return v;
    }

    private static List<Long> longs(ConfigNode m, String key) throws ConfigException {
        Object v = m.raw(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new ConfigException(m.pathOf(key), "expected a list of element counts, got " + ConfigNode.describe(v));
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Integer || l.get(i) instanceof Long) || ((Number) l.get(i)).longValue() < 0) {
                throw new ConfigException(m.pathOf(key) + "[" + i + "]", "expected an element count (0 or more), got "
                        + ConfigNode.describe(l.get(i)));
            }
            out.add(((Number) l.get(i)).longValue());
        }
        return out;
    }

    /** Model parallelism: tensor x pipeline. */
    public int modelParallelism() {
        return tensorParallelism * pipelineParallelism;
    }
}
