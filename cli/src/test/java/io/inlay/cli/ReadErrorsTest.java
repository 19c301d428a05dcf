package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong config, missing dataset, a file that fails validation: one clear line and a non-zero exit. */
class ReadErrorsTest {
    @TempDir
    Path dir;

    /** One line of error (the shared configs' notes on DLIO keys Inlay does not implement aside). */
    private static void oneLine(Cli.Result r, int exit, String... needles) {
        assertEquals(exit, r.exit(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("inlay read: note: ")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        for (String n : needles) {
            assertTrue(lines.get(0).contains(n), "'" + n + "' in: " + r.err());
        }
    }

    /** {@code inlay read} with its result folder in this test's directory (not results/ under the working directory). */
    private Cli.Result read(String config, String... rest) {
        List<String> args = new java.util.ArrayList<>(List.of("read", "--config", config, "--output", dir.resolve("results").toString()));
        args.addAll(List.of(rest));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void badConfigValues_exit2_namingTheKey() {
        String config = SharedConfigs.config("selective_read.yaml").toString();
        String data = "dataset.data_folder=" + dir.resolve("none");
        oneLine(read(config, data, "reader.batch_size=-3"), 2, "reader.batch_size", "-3");
        oneLine(read(config, data, "reader.file_shuffle=sometimes"), 2, "reader.file_shuffle",
                "sometimes", "off, seed, random");
        oneLine(read(config, data, "train.epochs=zero"), 2, "train.epochs", "zero");
        oneLine(read(config, data, "metric.au=70"), 2, "metric.au", "fraction");
        oneLine(read(config, data, "train.computation_time=-1"), 2, "train.computation_time");
    }

    @Test
    void missingDataset_exit1() {
        String config = SharedConfigs.config("selective_read.yaml").toString();
        oneLine(read(config, "dataset.data_folder=" + dir.resolve("nowhere")), 1, "no dataset at",
                "inlay generate");
    }

    @Test
    void incompleteDataset_exit1() throws Exception {
        Path data = dir.resolve("data");
        String config = SharedConfigs.config("selective_read.yaml").toString();
        List<String> scale = List.of("dataset.data_folder=" + data, "dataset.num_files_train=3", "dataset.num_samples_per_file=50");
        assertEquals(0, Cli.run(concat(List.of("generate", "--config", config, "--quiet"), scale)).exit());
        Files.delete(data.resolve("train/img_1_of_3.parquet"));
        oneLine(read(config, scale.toArray(String[]::new)), 1, "missing 1 of this rank's files",
                "img_1_of_3.parquet");
    }

    @Test
    void fileFailsValidation_exit1_listingTheMismatch() throws Exception {
        Path data = dir.resolve("data");
        Path config = SharedConfigs.config("selective_read.yaml");
        List<String> scale = List.of("dataset.data_folder=" + data, "dataset.num_files_train=2", "dataset.num_samples_per_file=50");
        assertEquals(0, Cli.run(concat(List.of("generate", "--config", config.toString(), "--quiet"), scale)).exit());
        // the same workload, but the reader expects float64 and a longer vector than the files hold
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(config)
                .replace("- name: primary_features\n        dtype: float32\n        size: 128",
                        "- name: primary_features\n        dtype: float64\n        size: 128")
                .replace("- name: dense_embedding\n        dtype: float32\n        size: 512",
                        "- name: dense_embedding\n        dtype: float32\n        size: 500"));
        Cli.Result r = read(other.toString(), scale.toArray(String[]::new));
        oneLine(r, 1, "does not match the workload", "primary_features", "float64", "dense_embedding", "500");
    }

    @Test
    void corruptFile_exit1_namingIt() throws Exception {
        Path data = dir.resolve("data");
        String config = SharedConfigs.config("selective_read.yaml").toString();
        List<String> scale = List.of("dataset.data_folder=" + data, "dataset.num_files_train=2", "dataset.num_samples_per_file=50");
        assertEquals(0, Cli.run(concat(List.of("generate", "--config", config, "--quiet"), scale)).exit());
        Path victim = data.resolve("train/img_0_of_2.parquet");
        byte[] bytes = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        oneLine(read(config, scale.toArray(String[]::new)), 1, "img_0_of_2.parquet");
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
