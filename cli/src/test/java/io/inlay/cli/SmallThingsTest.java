package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateProgress;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small things of issue 15, point 10, one test each. */
class SmallThingsTest {
    @TempDir
    Path dir;

    private String seed() {
        return SharedConfigs.config("seed_example.yaml").toString();
    }

    @Test
    void quiet_stillPrintsConfigWarnings() {
        Cli.Result r = Cli.run("generate", "--config", seed(), "dataset.data_folder=" + dir.resolve("d"), "dataset.num_files_train=1",
                "dataset.num_samples=5", "reader.batchsize=32", "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out(), "no summary");
        assertTrue(r.err().contains("inlay generate: warning: reader.batchsize is not a key"), r.err());
    }

    @Test
    void run_namesItself() {
        Cli.Result r = Cli.run("run", "--config", dir.resolve("nope.yaml").toString(), "--output", dir.resolve("results").toString());
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals("inlay run: " + dir.resolve("nope.yaml") + ": not found", r.err().strip());
        Cli.Result bad = Cli.run("run", "--config", seed(), "dataset.data_folder=" + dir.resolve("d"), "dataset.num_files_train=x",
                "--output", dir.resolve("results").toString());
        assertTrue(bad.err().startsWith("inlay run: override 'dataset.num_files_train=x': "), bad.err());
    }

    @Test
    void overrideErrors_namedAfterTheOverride_notTheYaml() {
        Cli.Result r = Cli.run("generate", "--config", seed(), "dataset.parquet.columns[0].size=-3");
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals("inlay generate: override 'dataset.parquet.columns[0].size=-3': dataset.parquet.columns[0].size: -3 must be"
                + " at least 1", r.err().strip());
        Cli.Result read = Cli.run("read", "--config", seed(), "reader.batch_size=0", "--output", dir.resolve("results").toString());
        assertEquals("inlay read: override 'reader.batch_size=0': reader.batch_size: 0 must be at least 1", read.err().strip());
    }

    @Test
    void levelOfACodecWithoutLevels_saysSo() {
        Cli.Result r = Cli.run("generate", "--config", seed(), "dataset.compression=snappy", "--compression-level", "3");
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals("inlay generate: --compression-level: SNAPPY has no compression levels (asked for level 3): leave the level out",
                r.err().strip());
        assertFalse(r.err().contains("0..0"));
    }

    @Test
    void progressBar_firstFrameIsEmpty() throws Exception {
        assertEquals("[........................] starting", ProgressBar.line(new GenerateProgress(), 0));
        DatasetSpec spec = DatasetSpec.builder(dir.resolve("p")).numFilesTrain(3).numSamplesPerFile(4)
                .columns(List.of(new ColumnSpec("x", DType.INT8, 1))).build();
        DatasetGenerator g = new DatasetGenerator(spec, GenerateOptions.defaults());
        assertTrue(ProgressBar.line(g.progress(), 0.1).endsWith("starting"), "before the run has counted its files");
        g.run();
        assertTrue(ProgressBar.line(g.progress(), 1).startsWith("[########################] 3/3 files"),
                ProgressBar.line(g.progress(), 1));
    }

    @Test
    void readStatus_showsTheTotalAndTheTimeLeft() {
        ReadCommand.StatusLine s = new ReadCommand.StatusLine(2, 1000, 2000);
        assertEquals("  epoch 1/2  500/1,000 samples  step 8  1.0 s  ETA 0:00:03", s.line(1, 8, 500, 1.0));
        assertEquals("  epoch 2/2  1,000/1,000 samples  step 32  4.0 s  ETA -:--:--", s.line(2, 32, 1000, 4.0));
    }

    @Test
    void plurals() {
        Cli.Result r = Cli.run("generate", "--config", seed(), "dataset.data_folder=" + dir.resolve("one"),
                "dataset.num_files_train=1", "dataset.num_samples=1", "--threads", "1");
        assertTrue(r.out().startsWith("generated 1 file (0 kept), 1 row, "), r.out());
        assertTrue(r.out().contains("(none, 1 thread, rank 0 of 1)"), r.out());
        Cli.Result v = Cli.run("verify", dir.resolve("one").toString());
        assertTrue(v.err().startsWith("inlay verify: 1 file, 0 failed, 1 row, "), v.err());
    }

    @Test
    void verifyNoCrc_doesNotCountCrcPages() {
        Cli.Result g = Cli.run("generate", "--config", seed(), "dataset.data_folder=" + dir.resolve("v"),
                "dataset.num_files_train=1", "dataset.num_samples=10");
        assertEquals(0, g.exit());
        Cli.Result checked = Cli.run("verify", dir.resolve("v").toString());
        assertTrue(checked.out().contains(" crc_pages=3"), checked.out());
        Cli.Result unchecked = Cli.run("verify", "--no-crc", dir.resolve("v").toString());
        assertTrue(unchecked.out().contains(" crc=unchecked") && !unchecked.out().contains("crc_pages"), unchecked.out());
        assertTrue(unchecked.err().contains("(CRCs not checked)"), unchecked.err());
        Cli.Result quiet = Cli.run("verify", "--quiet", dir.resolve("v").toString());
        assertEquals(0, quiet.exit());
        assertEquals("", quiet.out() + quiet.err(), "--quiet: only failures are printed");
    }

    @Test
    void cat_everyColumnUnsupported_isAnError() throws Exception {
        Path file = dir.resolve("maps.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT MAP {'a': 1} AS m) TO '" + file + "' (FORMAT parquet)");
        }
        Cli.Result r = Cli.run("cat", file.toString());
        assertEquals(Main.EXIT_FAILURE, r.exit());
        assertEquals("", r.out(), "no {} rows");
        assertTrue(r.err().startsWith("inlay cat: " + file + ": no column can be printed: every column is unsupported (m ("),
                r.err());
    }

    @Test
    void readme_showsCodecs_andTheExampleOutputsAreIgnoredByGit() throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".."));
        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(readme.contains("./inlay codecs"), "the README shows the codecs command");
        List<String> ignored = Files.readAllLines(root.resolve(".gitignore"));
        assertTrue(ignored.contains("/run.json") && ignored.contains("/results/"), ignored.toString());
        assertTrue(readme.contains("--json results/run.json"), "the README's example writes under results/");
    }
}
