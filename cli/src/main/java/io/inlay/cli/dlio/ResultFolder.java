package io.inlay.cli.dlio;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * DLIO's result folder, as mlpstorage reads it: {@code summary.json} (rank 0, training runs),
 * {@code {rank}_per_epoch_stats.json} and {@code {rank}_output.json} (every rank),
 * {@code dlio.log}, and the config Hydra would have saved ({@code <subdir>/config.yaml} with the
 * composed config under {@code workload:}, {@code hydra.yaml}, {@code overrides.yaml}). No
 * {@code *_metadata.json}: mlpstorage writes its own and skips folders holding two. Files are
 * written under a temporary name and renamed, so a reader never sees half a file.
 */
public final class ResultFolder {
    /** mlpstorage's {@code ++hydra.output_subdir}; plain DLIO's is {@code .hydra}. */
    public static final String DEFAULT_CONFIG_SUBDIR = "dlio_config";

    private final Path dir;
    private final String configSubdir;
    private final DlioLog log;

    private ResultFolder(Path dir, String configSubdir, String logFile) {
        this.dir = dir;
        this.configSubdir = configSubdir;
        this.log = new DlioLog(dir.resolve(logFile));
    }

    /**
     * Creates the folder (and parents) and checks that it can be written, before any work.
     *
     * @throws IOException with a message naming the folder and the reason in words
     */
    public static ResultFolder prepare(Path dir, String configSubdir, String logFile) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(dir + ": exists and is not a folder");
        } catch (AccessDeniedException e) {
            throw new IOException(dir + ": permission denied");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + ": permission denied (the result folder must be writable)");
        }
        return new ResultFolder(dir, configSubdir, logFile);
    }

    public Path dir() {
        return dir;
    }

    public DlioLog log() {
        return log;
    }

    /** Hydra's saved config: the composed config under {@code workload:}, Hydra's own, and the overrides list. */
    public void writeConfig(Map<String, Object> workload, Map<String, Object> hydra, List<String> overrides) throws IOException {
        Path sub = dir.resolve(configSubdir);
        Files.createDirectories(sub);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("workload", workload);
        writeAtomically(sub.resolve("config.yaml"), yaml(config));
        writeAtomically(sub.resolve("hydra.yaml"), yaml(Map.of("hydra", hydra)));
        writeAtomically(sub.resolve("overrides.yaml"), overrides.isEmpty() ? "[]\n" : yaml(overrides));
    }

    public void writeRank(int rank, Map<String, Object> perEpochStats, Map<String, Object> output) throws IOException {
        writeJson(dir.resolve(rank + "_per_epoch_stats.json"), perEpochStats);
        writeJson(dir.resolve(rank + "_output.json"), output);
    }

    public void writeSummary(Map<String, Object> summary) throws IOException {
        writeJson(dir.resolve("summary.json"), summary);
    }

    static String yaml(Object tree) {
        DumpSettings s = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).build();
        return new Dump(s).dumpToString(tree);
    }

    /** Pretty JSON as DLIO writes it (indent 4 in DLIO; readers do not care), atomically. */
    public static void writeJson(Path file, Object tree) throws IOException {
        writeAtomically(file, Json.text(tree));
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
