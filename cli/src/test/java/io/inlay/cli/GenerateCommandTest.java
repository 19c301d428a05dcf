package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code inlay generate} end to end: every shared config (scaled down) and every codec, checked
 * with DuckDB; the JSON summary; ranks from the launcher's environment; re-runs; and bad configs
 * that each give one line on stderr and exit 2.
 */
class GenerateCommandTest {
    @TempDir
    Path dir;

    static List<Object[]> query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    static String glob(Path folder) {
        return "'" + folder.toAbsolutePath() + "/**/*.parquet'";
    }

    static List<Path> parquetFiles(Path folder) throws Exception {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            seed_example.yaml   | dataset.num_files_train=2 dataset.num_samples=300      | 600  | UNCOMPRESSED | features,text,flag
            dlrm_parquet.yaml   | dataset.num_files_train=16                             | 16   | SNAPPY       | dense_features,sparse_features,label
            selective_read.yaml | dataset.num_files_train=3 dataset.num_samples_per_file=200 | 600 | SNAPPY   | label,primary_features,auxiliary_features,metadata,dense_embedding
            partitioned.yaml    | dataset.num_files_train=2 dataset.num_samples_per_file=500 | 1000 | ZSTD    | features,text,flag
            all_dtypes.yaml     | dataset.num_files_train=2 dataset.num_samples_per_file=5000 | 10000 | ZSTD  | f32,f32_vec,f64,f64_vec,f16,i8,text,blob,flag,vec
            """)
    void everySharedConfig_scaledDown(String config, String overrides, long rows, String codec, String columns) throws Exception {
        Path data = dir.resolve("data");
        List<String> args = new ArrayList<>(List.of("generate", "--config", SharedConfigs.config(config).toString(),
                "dataset.data_folder=" + data, "--threads", "2"));
        args.addAll(List.of(overrides.split(" ")));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("inlay generate: note: ")),
                "no warnings, at most notes of DLIO keys Inlay does not implement: " + r.err());
        assertTrue(r.out().startsWith("generated "), r.out());
        List<Path> files = parquetFiles(data);
        assertFalse(files.isEmpty());
        Object[] total = query("SELECT count(*) FROM read_parquet(" + glob(data) + ")").get(0);
        assertEquals(rows, ((Number) total[0]).longValue(), "rows DuckDB reads");
        for (Object[] m : query("SELECT DISTINCT compression FROM parquet_metadata(" + glob(data) + ")")) {
            assertEquals(codec, m[0].toString(), "the configured codec reaches every file");
        }
        List<String> names = query("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(" + glob(data) + "))")
                .stream().map(x -> x[0].toString()).toList();
        assertEquals(List.of(columns.split(",")), names);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            none   | --page-version=1 | UNCOMPRESSED
            snappy | --page-version=2 | SNAPPY
            gzip   | --dictionary     | GZIP
            zstd   | --byte-stream-split | ZSTD
            lz4    | --page-version=2 | LZ4_RAW
            """)
    void everyCodec_allDtypes(String codec, String option, String footerCodec) throws Exception {
        Path data = dir.resolve(codec);
        Cli.Result r = Cli.run("generate", "--config", SharedConfigs.config("all_dtypes.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=1", "dataset.num_samples_per_file=3000",
                "dataset.compression=" + codec, option, "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out(), "--quiet prints nothing");
        assertEquals(footerCodec, query("SELECT DISTINCT compression FROM parquet_metadata(" + glob(data) + ")").get(0)[0].toString());
        Object[] sums = query("SELECT count(*), sum(f32), sum(list_sum(f32_vec)), sum(f64), sum(f16), sum(i8), "
                + "sum(strlen(text)), sum(octet_length(blob)), count_if(flag), sum(list_sum(vec)) FROM read_parquet(" + glob(data) + ")").get(0);
        assertEquals(3000L, ((Number) sums[0]).longValue());
        assertEquals(1500, ((Number) sums[1]).doubleValue(), 150, "uniform floats in [0, 1)");
        assertEquals(3000 * 32L, ((Number) sums[7]).longValue(), "32 random bytes per blob");
    }

    @Test
    void noColumns_oneDataColumnOfRecordLengthBytes() throws Exception {
        Path config = dir.resolve("plain.yaml");
        Files.writeString(config, "model: {name: unet3d}\ndataset:\n  num_files_train: 2\n  num_files_eval: 1\n"
                + "  num_samples_per_file: 10\n  record_length_bytes: 1000\n  format: parquet\n");
        Path data = dir.resolve("plain");
        Cli.Result r = Cli.run("generate", "--config", config.toString(), "dataset.data_folder=" + data);
        assertEquals(0, r.exit(), r.err());
        // one blob column: a list of chunks per sample; DLIO's floor(sqrt(1000))^2 = 961 bytes each
        Object[] row = query("SELECT count(*), min(n), max(n), count(DISTINCT s) FROM (SELECT list_sum([octet_length(c) FOR c IN data]) AS n,"
                + " data::VARCHAR AS s FROM read_parquet(" + glob(data) + "))").get(0);
        assertEquals(30L, ((Number) row[0]).longValue(), "2 train files and 1 eval file of 10 rows");
        assertEquals(961L, ((Number) row[1]).longValue());
        assertEquals(961L, ((Number) row[2]).longValue());
        assertEquals(30L, ((Number) row[3]).longValue(), "random bytes: every record differs");
        assertTrue(Files.isRegularFile(data.resolve("valid/img_0_of_1.parquet")));
    }

    @Test
    void jsonSummary_andRankFromTheEnvironment_withMpiOff() throws Exception {
        Path data = dir.resolve("ranked");
        Path json = dir.resolve("summary.json");
        // INLAY_MPI=off: the launcher's variables make independent ranks that never talk (no MPI in the test JVM)
        Cli.Result r = Cli.run(Map.of("OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "2", "INLAY_MPI", "off"), "generate",
                "--config", SharedConfigs.config("seed_example.yaml").toString(), "dataset.data_folder=" + data,
                "dataset.num_files_train=4", "dataset.num_samples=100", "--json", json.toString(), "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        List<Path> files = parquetFiles(data);
        assertEquals(List.of(data.resolve("train/img_1_of_4.parquet"), data.resolve("train/img_3_of_4.parquet")), files,
                "rank 1 of 2 writes files 1 and 3");
        Map<String, Object> summary = JSON.std.mapFrom(Files.readString(json));
        assertEquals(2, ((Number) summary.get("files")).intValue());
        assertEquals(200, ((Number) summary.get("rows")).intValue());
        assertEquals(Files.size(files.get(0)) + Files.size(files.get(1)), ((Number) summary.get("bytes")).longValue());
        assertEquals("none", summary.get("codec"));
        assertEquals(1, ((Number) summary.get("rank")).intValue());
        assertEquals(2, ((Number) summary.get("world_size")).intValue());
        assertTrue(((Number) summary.get("seconds")).doubleValue() > 0);
        assertTrue(summary.containsKey("gb_per_second"));
        assertTrue(r.out().contains("rank 1 of 2"), r.out());
    }

    @Test
    void rerun_keepsFiles_overwriteRewrites_seedAndThreadsReproducible() throws Exception {
        Path data = dir.resolve("again");
        String[] base = {"generate", "--config", SharedConfigs.config("partitioned.yaml").toString(),
            "dataset.data_folder=" + data, "dataset.num_samples_per_file=300"};
        assertEquals(0, Cli.run(Stream.concat(Stream.of(base), Stream.of("--threads", "1")).toArray(String[]::new)).exit());
        Path first = parquetFiles(data).get(0);
        byte[] bytes = Files.readAllBytes(first);
        Cli.Result again = Cli.run(base);
        assertTrue(again.out().startsWith("generated 0 files (4 kept)"), again.out() + again.err());
        Cli.Result over = Cli.run(Stream.concat(Stream.of(base), Stream.of("--overwrite", "--threads", "2")).toArray(String[]::new));
        assertTrue(over.out().startsWith("generated 4 files (0 kept)"), over.out() + over.err());
        assertArrayEquals(bytes, Files.readAllBytes(first), "2 threads write the same bytes as 1");
        Cli.Result seeded = Cli.run(Stream.concat(Stream.of(base), Stream.of("--overwrite", "--seed", "5")).toArray(String[]::new));
        assertEquals(0, seeded.exit());
        assertFalse(java.util.Arrays.equals(bytes, Files.readAllBytes(first)), "another seed, other values");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unknown dtype      | "dataset:\\n  parquet:\\n    columns:\\n      - {name: a, dtype: int32}\\n" | dataset.parquet.columns[0].dtype: unknown dtype 'int32'; valid: float32, float64, float16, int8, string, binary, bool, list, blob (column 'a')
            brotli             | "dataset:\\n  compression: brotli\\n"                   | dataset.compression: compression 'brotli' is not supported by Inlay; valid: none, snappy, gzip, zstd, lz4
            format csv         | "dataset:\\n  format: csv\\n"                           | dataset.format: 'csv' is not supported
            negative files     | "dataset:\\n  num_files_train: -4\\n"                   | dataset.num_files_train: -4 must be at least 0
            negative size      | "dataset:\\n  parquet:\\n    columns: [{name: v, dtype: float32, size: -2}]\\n" | dataset.parquet.columns[0].size: -2 must be at least 1
            negative row group | "dataset:\\n  parquet: {row_group_size: -1}\\n"         | dataset.parquet.row_group_size: -1 must be at least 1
            partition by float | "dataset:\\n  parquet:\\n    partition_by: f\\n    columns: [{name: f, dtype: float32}, {name: b, dtype: bool}]\\n" | dataset.parquet.partition_by: cannot partition by column 'f' (float32)
            yaml syntax error  | "dataset:\\n  num_files_train: 3\\n   parquet: [\\n"    | YAML syntax error at line 3, column 11
            wrong type         | "dataset:\\n  num_samples_per_file: lots\\n"            | dataset.num_samples_per_file: expected an integer, got 'lots' (text)
            """)
    void badConfig_oneLine_exit2(String what, String yaml, String expected) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, yaml.replace("\\n", "\n"));
        Path data = dir.resolve("never");
        Cli.Result r = Cli.run("generate", "--config", config.toString(), "dataset.data_folder=" + data);
        assertEquals(Main.EXIT_USAGE, r.exit(), what);
        String line = r.err().strip().split("\n")[0];
        assertTrue(line.startsWith("inlay generate: " + config + ": " + expected), what + ": " + line);
        assertEquals(1, r.err().strip().split("\n").length, what + ": one line: " + r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(data), "nothing is written");
    }

    @Test
    void badOverrideAndUsage_exit2() {
        Cli.Result r = Cli.run("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.num_files_train=-1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("dataset.num_files_train: -1 must be at least 0"), r.err());
        Cli.Result usage = Cli.run("generate", "--threads", "2");
        assertEquals(2, usage.exit());
        assertEquals(1, usage.err().strip().split("\n").length, usage.err());
        assertTrue(usage.err().contains("Missing required option: '--config=FILE'"), usage.err());
        Cli.Result level = Cli.run("generate", "--config", SharedConfigs.config("all_dtypes.yaml").toString(),
                "--compression-level", "40");
        assertEquals(2, level.exit());
        assertTrue(level.err().contains("--compression-level: ZSTD compression level 40 is outside"), level.err());
        for (String[] bad : List.of(new String[] {"--page-version", "3", "--page-version 3: data pages are version 1 or 2"},
                new String[] {"--threads", "0", "--threads 0 must be at least 1"},
                new String[] {"--page-size", "8", "--page-size 8 is outside 16..1073741824"},
                new String[] {"--rank", "3", "rank 3 of 1"})) {
            Cli.Result r2 = Cli.run("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(), bad[0], bad[1]);
            assertEquals(2, r2.exit(), bad[0]);
            assertTrue(r2.err().startsWith("inlay generate: ") && r2.err().contains(bad[2]), r2.err());
            assertEquals(1, r2.err().strip().split("\n").length, r2.err());
        }
        Cli.Result rank = Cli.run(Map.of("SLURM_PROCID", "x", "SLURM_NTASKS", "2"), "generate", "--config",
                SharedConfigs.config("seed_example.yaml").toString());
        assertEquals(2, rank.exit());
        assertTrue(rank.err().contains("SLURM_PROCID='x' is not a number"), rank.err());
    }

    @Test
    void unwritableDataFolder_oneLineBeforeAnyWork() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        Cli.Result r = Cli.run("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + notADir.resolve("data"), "dataset.num_files_train=1", "dataset.num_samples=10");
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertEquals("inlay generate: dataset.data_folder " + notADir.resolve("data") + ": cannot be created: " + notADir
                + " is a file, not a folder", r.err().strip());
    }
}
