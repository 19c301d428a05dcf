package io.inlay.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.io.IoEngine;
import io.inlay.engine.read.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader's storage keys: {@code reader.io_engine}, {@code io_depth}, {@code transfer_size}
 * (DLIO's key) and {@code odirect} (DLIO's alias of the direct engine), with their defaults, as
 * overrides, and one clear line naming the key for bad values.
 */
class IoConfigTest {
    private static ReadOptions options(String yaml, String... overrides) throws ConfigException {
        return TrainingConfig.of(ConfigLoaderTest.parse(yaml, overrides)).readOptions();
    }

    @Test
    void defaults_thenEachKey() throws Exception {
        ReadOptions d = options("dataset: {num_files_train: 1}\n");
        assertEquals(IoEngine.AUTO, d.ioEngine());
        assertEquals(ReadOptions.DEFAULT_IO_DEPTH, d.ioDepth());
        assertEquals(ReadOptions.DEFAULT_TRANSFER_SIZE, d.transferSize());
        ReadOptions o = options("dataset: {num_files_train: 1}\nreader: {io_engine: io_uring, io_depth: 32, transfer_size: 262144}\n");
        assertEquals(IoEngine.IO_URING, o.ioEngine());
        assertEquals(32, o.ioDepth());
        assertEquals(262144, o.transferSize());
        assertEquals(IoEngine.MMAP, options("dataset: {}\n", "reader.io_engine=mmap").ioEngine());
        assertEquals(IoEngine.PREAD, options("dataset: {}\n", "++workload.reader.io_engine=PREAD").ioEngine());
        // a transfer size that is no multiple of 4 KiB is rounded up
        assertEquals(8192, options("dataset: {}\nreader: {transfer_size: 5000}\n").transferSize());
    }

    @Test
    void odirect_isTheDirectEngine_unlessIoUringIsNamed() throws Exception {
        assertEquals(IoEngine.DIRECT, options("dataset: {}\nreader: {odirect: true}\n").ioEngine());
        assertEquals(IoEngine.DIRECT, options("dataset: {}\nreader: {odirect: true, io_engine: auto}\n").ioEngine());
        assertEquals(IoEngine.IO_URING, options("dataset: {}\nreader: {odirect: true, io_engine: io_uring}\n").ioEngine());
        assertEquals(IoEngine.AUTO, options("dataset: {}\nreader: {odirect: false}\n").ioEngine());
    }

    /** DLIO's {@code reader.dont_use_mmap: True} (resnet50_a100.yaml): reads that map nothing. */
    @Test
    void dontUseMmap_isThePreadEngine_unlessAnotherThatMapsNothingIsNamed() throws Exception {
        assertEquals(IoEngine.PREAD, options("dataset: {}\nreader: {dont_use_mmap: True}\n").ioEngine());
        assertEquals(IoEngine.PREAD, options("dataset: {}\nreader: {dont_use_mmap: true, io_engine: auto}\n").ioEngine());
        assertEquals(IoEngine.DIRECT, options("dataset: {}\nreader: {dont_use_mmap: true, io_engine: direct}\n").ioEngine());
        assertEquals(IoEngine.DIRECT, options("dataset: {}\nreader: {dont_use_mmap: true, odirect: true}\n").ioEngine());
        assertEquals(IoEngine.AUTO, options("dataset: {}\nreader: {dont_use_mmap: false}\n").ioEngine());
        ConfigException e = assertThrows(ConfigException.class,
                () -> options("dataset: {}\nreader: {dont_use_mmap: true, io_engine: mmap}\n"));
        assertTrue(e.getMessage().startsWith("reader.dont_use_mmap: True asks for reads without mapping the files, but"
                + " reader.io_engine is mmap"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown engine   | reader: {io_engine: spdk}                 | reader.io_engine: 'spdk' is not an I/O engine; valid: auto, mmap, pread, direct, io_uring
            number engine    | reader: {io_engine: 3}                    | reader.io_engine: '3' is not an I/O engine; valid: auto, mmap, pread, direct, io_uring
            odirect and mmap | reader: {odirect: true, io_engine: mmap}  | reader.odirect: true asks for O_DIRECT reads, but reader.io_engine is mmap
            odirect as text  | reader: {odirect: perhaps}                | reader.odirect: expected true or false, got 'perhaps' (text)
            zero depth       | reader: {io_depth: 0}                     | reader.io_depth: 0 must be at least 1
            huge depth       | reader: {io_depth: 5000}                  | reader.io_depth: 5000 reads in flight is more than the 1024 allowed
            tiny transfer    | reader: {transfer_size: 512}              | reader.transfer_size: 512 bytes per read: must be 4096 (4 KiB) to 67108864 (64 MiB)
            text transfer    | reader: {transfer_size: big}              | reader.transfer_size: expected an integer, got 'big' (text)
            """)
    void badValues_oneLineNamingTheKey(String what, String reader, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> options("dataset: {}\n" + reader + "\n"));
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), what + ": one line");
    }
}
