package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/RESULTS.md lists exactly the keys {@code inlay read --json}, summary.json's {@code inlay} and {@code inlay generate --json} write. */
class CliJsonDocTest {
    @TempDir
    Path dir;

    static final Path DOC = MpiWorkflowTest.ROOT.resolve("docs/RESULTS.md");

    /** The backquoted keys of the table under the heading that starts with {@code heading}. */
    static TreeSet<String> documented(String heading) throws Exception {
        TreeSet<String> keys = new TreeSet<>();
        boolean in = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                in = line.startsWith("## " + heading);
                continue;
            }
            if (in && line.startsWith("| `")) {
                keys.add(line.substring(3, line.indexOf('`', 3)));
            }
        }
        return keys;
    }

    /** Key paths of a JSON tree: maps by dotted keys (the map itself too), lists of maps as {@code key[]} by their first entry. */
    @SuppressWarnings("unchecked")
    static void paths(Object v, String prefix, TreeSet<String> out) {
        if (!prefix.isEmpty()) {
            out.add(prefix);
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                paths(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
            }
        } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
            paths(l.get(0), prefix + "[]", out);
            out.remove(prefix + "[]");
        }
    }

    @Test
    void everyKeyDocumented_andEveryDocumentedKeyWritten() throws Exception {
        Path data = dir.resolve("data");
        Path gen = dir.resolve("gen.json");
        List<String> scale = List.of("dataset.data_folder=" + data, "dataset.num_files_train=2", "dataset.num_files_eval=2",
                "dataset.num_samples=100");
        List<String> g = new ArrayList<>(List.of("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "--quiet", "--json", gen.toString()));
        g.addAll(scale);
        assertEquals(0, Cli.run(g.toArray(String[]::new)).exit());
        Path json = dir.resolve("read.json");
        List<String> r = new ArrayList<>(List.of("read", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "--quiet", "--json", json.toString(), "--output", dir.resolve("out").toString(), "workflow.evaluation=True",
                "reader.batch_size=10", "reader.batch_size_eval=5", "evaluation.eval_time=0.001"));
        r.addAll(scale);
        Cli.Result rr = Cli.run(r.toArray(String[]::new));
        assertEquals(0, rr.exit(), rr.err());

        TreeSet<String> read = new TreeSet<>();
        paths(JSON.std.mapFrom(json.toFile()), "", read);
        same(documented("`inlay read --json`"), read, "inlay read --json");
        TreeSet<String> summary = new TreeSet<>();
        paths(JSON.std.mapFrom(dir.resolve("out/summary.json").toFile()).get("inlay"), "", summary);
        same(documented("`summary.json`: `inlay`"), summary, "summary.json's inlay");
        TreeSet<String> generate = new TreeSet<>();
        paths(JSON.std.mapFrom(gen.toFile()), "", generate);
        same(documented("`inlay generate --json`"), generate, "inlay generate --json");
    }

    /** A checkpoint-only run's summary: DLIO's checkpoint keys and Inlay's, each documented, each documented one written. */
    @SuppressWarnings("unchecked")
    @Test
    void checkpointOnlyRun_everyKeyDocumented_andEveryDocumentedKeyWritten() throws Exception {
        Path conf = dir.resolve("conf/workload");
        Files.createDirectories(conf);
        Files.copy(SharedConfigs.config("mlpstorage/workload/unet3d_h100.yaml"), conf.resolve("unet3d_h100.yaml"));
        Path out = dir.resolve("ck-out");
        Cli.Result r = Cli.run("dlio_benchmark", "workload=unet3d_h100", "--config-dir=" + dir.resolve("conf"), "--quiet",
                "++workload.workflow.train=False", "++workload.model.model_size=100000", "++workload.checkpoint.num_checkpoints_write=2",
                "++workload.checkpoint.num_checkpoints_read=1", "++workload.checkpoint.checkpoint_folder=" + dir.resolve("ck"),
                "++hydra.run.dir=" + out);
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> summary = JSON.std.mapFrom(out.resolve("summary.json").toFile());
        TreeSet<String> metric = new TreeSet<>(((Map<String, Object>) summary.get("metric")).keySet());
        same(documented("`summary.json`: DLIO's checkpoint keys"), metric, "summary.json's checkpoint metric");
        TreeSet<String> inlay = new TreeSet<>();
        paths(summary.get("inlay"), "", inlay);
        same(documented("Checkpoint-only runs: `summary.json`'s `inlay`"), inlay, "summary.json's inlay (checkpoint-only)");
    }

    private static void same(TreeSet<String> doc, TreeSet<String> written, String what) {
        TreeSet<String> undocumented = new TreeSet<>(written);
        undocumented.removeAll(doc);
        TreeSet<String> absent = new TreeSet<>(doc);
        absent.removeAll(written);
        assertEquals("", (undocumented.isEmpty() ? "" : "written but not in docs/RESULTS.md: " + undocumented)
                + (absent.isEmpty() ? "" : " in docs/RESULTS.md but not written: " + absent), what);
    }
}
