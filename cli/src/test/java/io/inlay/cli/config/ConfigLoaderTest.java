package io.inlay.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.cli.SharedConfigs;
import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading DLIO workload YAML: the shared configs unchanged, overrides, and one clear error per bad config. */
class ConfigLoaderTest {
    static final Path SOURCE = Path.of("test.yaml");

    static WorkloadConfig parse(String yaml, String... overrides) throws ConfigException {
        return ConfigLoader.parse(yaml, SOURCE, List.of(overrides));
    }

    @Test
    void seedExample_numSamplesAlias_columns() throws Exception {
        WorkloadConfig c = ConfigLoader.load(SharedConfigs.config("seed_example.yaml"), List.of());
        DatasetSpec d = c.dataset();
        assertEquals(Path.of("data/seed_example/"), d.dataFolder());
        assertEquals(4, d.numFilesTrain());
        assertEquals(10_000, d.numSamplesPerFile(), "num_samples is an alias of num_samples_per_file");
        assertEquals(CompressionCodec.UNCOMPRESSED, d.compression());
        assertEquals(List.of(new ColumnSpec("features", DType.FLOAT32, 1024), new ColumnSpec("text", DType.STRING, 1),
                new ColumnSpec("flag", DType.BOOL, 1)), d.columns());
        assertEquals(1_000_000, d.rowGroupSize());
        assertEquals(ReadMode.DEFAULT, d.readMode());
        assertNull(d.partitionBy());
        assertEquals("img", d.filePrefix());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void dlrm_ignoresModelFrameworkWorkflow_keepsReaderTrainMetric() throws Exception {
        WorkloadConfig c = ConfigLoader.load(SharedConfigs.config("dlrm_parquet.yaml"), List.of());
        assertEquals(65_536, c.dataset().numFilesTrain());
        assertEquals(1, c.dataset().numSamplesPerFile());
        assertEquals(CompressionCodec.SNAPPY, c.dataset().compression());
        assertEquals(512, c.dataset().recordLengthBytes());
        assertEquals(List.of(13, 26, 1), c.dataset().columns().stream().map(ColumnSpec::size).toList());
        // sections for later commands are kept and typed on demand, with the same error style
        ConfigNode reader = c.section("reader").orElseThrow();
        assertEquals(4096, reader.intValue("batch_size", 1, 1));
        assertEquals(8, reader.intValue("read_threads", 1, 1));
        assertEquals("seed", reader.string("file_shuffle", "off"));
        assertEquals(0.007, c.section("train").orElseThrow().doubleValue("computation_time", 0), 1e-12);
        assertEquals(0.70, c.section("metric").orElseThrow().doubleValue("au", 0), 1e-12);
        assertFalse(c.section("workflow").orElseThrow().bool("generate_data", true), "False is a boolean, as in PyYAML");
        assertTrue(parse("dataset: {}\nworkflow: {train: yes, checkpoint: Off}").section("workflow").orElseThrow().bool("train", false));
        ConfigException e = assertThrows(ConfigException.class, () -> reader.intValue("data_loader", 1, 1));
        assertEquals("reader.data_loader: expected an integer, got 'pytorch' (text)", e.getMessage());
    }

    @Test
    void selectiveRead_partitioned_allDtypes() throws Exception {
        List<ColumnSpec> sel = ConfigLoader.load(SharedConfigs.config("selective_read.yaml"), List.of()).dataset().columns();
        assertEquals(List.of(true, true, false, false, true), sel.stream().map(ColumnSpec::read).toList());
        DatasetSpec p = ConfigLoader.load(SharedConfigs.config("partitioned.yaml"), List.of()).dataset();
        assertEquals("flag", p.partitionBy());
        assertEquals(List.of("features", "text"), p.storedColumns().stream().map(ColumnSpec::name).toList());
        DatasetSpec a = ConfigLoader.load(SharedConfigs.config("all_dtypes.yaml"), List.of()).dataset();
        assertEquals(CompressionCodec.ZSTD, a.compression());
        assertEquals(ReadMode.ROW_GROUP, a.readMode());
        assertEquals(4096, a.rowGroupSize());
        assertEquals(java.util.Arrays.stream(DType.values()).filter(t -> t != DType.BLOB).toList(),
                a.columns().stream().map(ColumnSpec::dtype).distinct().sorted().toList(), "every dtype but Inlay's blob");
        assertEquals(new ColumnSpec("blob", DType.BINARY, 32), a.columns().get(7));
    }

    @Test
    void everySharedConfig_loadsUnchanged() throws Exception {
        for (Path p : SharedConfigs.all()) {
            WorkloadConfig c = ConfigLoader.load(p, List.of());
            assertTrue(c.dataset().numFilesTrain() > 0, p.toString());
            assertEquals(List.of(), c.warnings().stream().filter(w -> !w.startsWith("note: ")).toList(), p.toString());
        }
    }

    @Test
    void overrides_plainHydraAndIndexed() throws Exception {
        Path seed = SharedConfigs.config("seed_example.yaml");
        DatasetSpec d = ConfigLoader.load(seed, List.of("dataset.num_files_train=8", "++workload.dataset.num_samples=12",
                "+dataset.compression=zstd", "dataset.parquet.columns[0].size=16", "dataset.parquet.columns.1.dtype=binary",
                "dataset.data_folder=/tmp/x", "dataset.parquet.partition_by=flag", "++workload.workflow.generate_data=True",
                "dataset.num_files_eval=2")).dataset();
        assertEquals(8, d.numFilesTrain());
        assertEquals(2, d.numFilesEval());
        assertEquals(12, d.numSamplesPerFile());
        assertEquals(CompressionCodec.ZSTD, d.compression());
        assertEquals(16, d.columns().get(0).size());
        assertEquals(DType.BINARY, d.columns().get(1).dtype());
        assertEquals(Path.of("/tmp/x"), d.dataFolder());
        assertEquals("flag", d.partitionBy());
        DatasetSpec byDefault = parse("dataset:\n  record_length_bytes: 4096\n", "dataset.parquet.row_group_size=7").dataset();
        assertEquals(List.of(new ColumnSpec("data", DType.BLOB, 4096)), byDefault.columns(), "no columns: one data column");
        assertEquals(7, byDefault.rowGroupSize());
        assertEquals(CompressionCodec.UNCOMPRESSED, parse("dataset:\n  compression: zstd\n", "dataset.compression=null").dataset().compression());
    }

    @Test
    void badOverrides_nameTheOverride() {
        assertDescribed(() -> parse("dataset: {}", "dataset.num_files_train"), "override 'dataset.num_files_train': expected key=value");
        assertDescribed(() -> parse("dataset: {format: parquet}", "dataset.format.x=1"),
                "override 'dataset.format.x=1': dataset.format: holds a value, not a section");
        assertDescribed(() -> parse("dataset: {parquet: {columns: [{name: a, dtype: bool}]}}", "dataset.parquet.columns[3].size=2"),
                "override 'dataset.parquet.columns[3].size=2': dataset.parquet.columns[3]: the list has 1 entries");
        assertDescribed(() -> parse("dataset: {}", "dataset.num_files_train=[1"),
                "override 'dataset.num_files_train=[1': dataset.num_files_train: '[1' is not a YAML value");
        // a bad value set by an override is the override's, not the file's
        assertDescribed(() -> parse("dataset: {}", "dataset.num_files_train=eight"),
                "override 'dataset.num_files_train=eight': dataset.num_files_train: expected an integer, got 'eight' (text)");
        assertDescribed(() -> parse("dataset: {}", "dataset.parquet.columns=[{name: a, dtype: int32}]"),
                "override 'dataset.parquet.columns=[{name: a, dtype: int32}]': dataset.parquet.columns[0].dtype: unknown dtype");
        assertDescribed(() -> parse("dataset: {num_files_train: -1}", "dataset.num_samples=3"),
                "test.yaml: dataset.num_files_train: -1 must be at least 0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unknown dtype      | dataset: {parquet: {columns: [{name: a, dtype: float32}, {name: b, dtype: int32}]}} | dataset.parquet.columns[1].dtype: unknown dtype 'int32'; valid: float32, float64, float16, int8, string, binary, bool, list
            brotli             | dataset: {compression: brotli}                        | dataset.compression: compression 'brotli' is not supported by Inlay; valid: none, snappy, gzip, zstd, lz4
            unknown codec      | dataset: {compression: lzma}                          | dataset.compression: unknown compression 'lzma'; valid: none, snappy, gzip, zstd, lz4
            format csv         | dataset: {format: csv}                                | dataset.format: 'csv' is not supported
            negative files     | dataset: {num_files_train: -1}                        | dataset.num_files_train: -1 must be at least 0
            negative eval      | dataset: {num_files_eval: -2}                         | dataset.num_files_eval: -2 must be at least 0
            zero samples       | dataset: {num_samples_per_file: 0}                    | dataset.num_samples_per_file: 0 must be at least 1
            negative samples   | dataset: {num_samples: -5}                            | dataset.num_samples: -5 must be at least 1
            negative record    | dataset: {record_length_bytes: -1}                    | dataset.record_length_bytes: -1 must be at least 1
            negative size      | dataset: {parquet: {columns: [{name: v, dtype: float32, size: -4}]}} | dataset.parquet.columns[0].size: -4 must be at least 1
            zero row group     | dataset: {parquet: {row_group_size: 0}}               | dataset.parquet.row_group_size: 0 must be at least 1
            partition by float | dataset: {parquet: {partition_by: f, columns: [{name: f, dtype: float32}, {name: g, dtype: bool}]}} | dataset.parquet.partition_by: cannot partition by column 'f' (float32)
            partition by vector| dataset: {parquet: {partition_by: f, columns: [{name: f, dtype: int8, size: 4}, {name: g, dtype: bool}]}} | cannot partition by column 'f' (int8 vector of 4)
            partition missing  | dataset: {parquet: {partition_by: nope, columns: [{name: f, dtype: bool}]}} | dataset.parquet.partition_by: no column named 'nope' (columns: f)
            yaml syntax        | "dataset:\\n  a: 1\\n   b: [\\n"                     | YAML syntax error at line 3, column 5
            text for integer   | dataset: {num_files_train: many}                      | dataset.num_files_train: expected an integer, got 'many' (text)
            float for integer  | dataset: {num_files_train: 2.5}                       | dataset.num_files_train: expected an integer, got 2.5 (a number)
            number for dtype   | dataset: {parquet: {columns: [{name: a, dtype: 5}]}}  | dataset.parquet.columns[0].dtype: expected text, got 5 (a number)
            text for bool      | dataset: {parquet: {columns: [{name: a, dtype: bool, read: maybe}]}} | dataset.parquet.columns[0].read: expected true or false, got 'maybe' (text)
            list for section   | dataset: [1, 2]                                       | dataset: expected a section (key: value lines), got a list
            column not a map   | dataset: {parquet: {columns: [float32]}}              | dataset.parquet.columns[0]: expected a section (key: value lines), got 'float32' (text)
            missing dtype      | dataset: {parquet: {columns: [{name: a}]}}            | dataset.parquet.columns[0].dtype: missing for column 'a'
            missing name       | dataset: {parquet: {columns: [{dtype: bool}]}}        | dataset.parquet.columns[0].name: missing
            duplicate column   | dataset: {parquet: {columns: [{name: a, dtype: bool}, {name: a, dtype: int8}]}} | dataset.parquet.columns: column name 'a' appears twice
            empty columns      | dataset: {parquet: {columns: []}}                     | dataset.parquet.columns: the list is empty
            alias conflict     | dataset: {num_samples: 3, num_samples_per_file: 4}    | dataset.num_samples: 3 disagrees with dataset.num_samples_per_file = 4
            no dataset         | model: {name: x}                                      | dataset: missing
            not a mapping      | just text                                             | expected a mapping of sections
            bad read mode      | dataset: {parquet: {read_mode: streaming}}            | dataset.parquet.read_mode: unknown read_mode 'streaming'; valid: default, row_group
            duplicate key      | "dataset: {num_files_train: 1, num_files_train: 2}"   | YAML syntax error
            """)
    void badConfig_oneClearLine(String what, String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), what + ": one line");
    }

    @Test
    void unknownKeysOfTheDatasetSection_areWarnedAbout() throws Exception {
        WorkloadConfig c = parse("dataset:\n  num_file_train: 3\n  keep_files: true\n  parquet: {colums: []}\nreader: {anything: 1}\n");
        assertEquals(List.of(
                "warning: dataset.num_file_train is not a key Inlay or DLIO knows, ignored; did you mean dataset.num_files_train?",
                "warning: dataset.parquet.colums is not a key Inlay or DLIO knows, ignored; did you mean dataset.parquet.columns?",
                "warning: reader.anything is not a key Inlay or DLIO knows, ignored"), c.warnings(),
                "keep_files: true is what Inlay does anyway: not mentioned");
    }

    /** The line a command prints: where the value came from, then the message. */
    private static void assertDescribed(org.junit.jupiter.api.function.Executable e, String expected) {
        ConfigException x = assertThrows(ConfigException.class, e);
        assertTrue(x.describe().startsWith(expected), x.describe());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String expected) {
        ConfigException x = assertThrows(ConfigException.class, e);
        assertTrue(x.getMessage().contains(expected), x.getMessage());
    }

    @Test
    void mlpstorageWorkloads_sizeKeysAsDlioReadsThem() throws Exception {
        java.nio.file.Path dir = io.inlay.cli.SharedConfigs.dir().resolve("mlpstorage/workload");
        List<String> parquet = List.of("dataset.format=parquet");
        DatasetSpec unet = ConfigLoader.load(dir.resolve("unet3d_h100.yaml"), parquet).dataset();
        assertEquals(146_600_628.0, unet.recordLengthBytes());
        assertEquals(68_341_808.0, unet.recordLengthBytesStdev());
        assertEquals(List.of(new ColumnSpec("data", DType.BLOB, 12_107 * 12_107)), unet.columns(), "floor(sqrt(L))^2, as DLIO");
        assertEquals(1, unet.rowGroupSize(), "one sample of 146 MB per row group");
        WorkloadConfig unetConfig = ConfigLoader.load(dir.resolve("unet3d_h100.yaml"), parquet);
        assertEquals(2_097_152, unetConfig.recordLengthResize());
        WorkloadConfig resnet = ConfigLoader.load(dir.resolve("resnet50_a100.yaml"), parquet);
        assertEquals(114_660.07, resnet.recordLength(), "a fraction, as DLIO takes it");
        assertEquals(1251, resnet.dataset().numSamplesPerFile());
        assertEquals(List.of(new ColumnSpec("data", DType.BLOB, 338 * 338)), resnet.dataset().columns());
        assertEquals(150_528, resnet.recordLengthResize());
        DatasetSpec cosmo = ConfigLoader.load(dir.resolve("cosmoflow_datagen.yaml"), parquet).dataset();
        assertEquals(71_311.0, cosmo.recordLengthBytesStdev());
        assertEquals(0, ConfigLoader.load(dir.resolve("cosmoflow_h100.yaml"), parquet).recordLengthResize());
        // DLIO's older names, and what disagrees
        assertEquals(777.5, parse("dataset:\n  record_length: 1000\n  record_length_stdev: 777.5\n").dataset().recordLengthBytesStdev());
        ConfigException e = assertThrows(ConfigException.class, () -> parse("dataset:\n  record_length_bytes: 10\n  record_length: 11\n"));
        assertTrue(e.getMessage().contains("dataset.record_length: 11 disagrees with dataset.record_length_bytes = 10"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("dataset:\n  record_length_bytes: 4294967296\n"));
        assertTrue(e.getMessage().contains("dataset.record_length_bytes: 4.294967296E9 is outside 1..2147483647"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("dataset:\n  record_length_bytes_stdev: -1\n"));
        assertTrue(e.getMessage().contains("dataset.record_length_bytes_stdev: -1.0 must be 0 or more"), e.getMessage());
    }
}
