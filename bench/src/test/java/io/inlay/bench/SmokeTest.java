package io.inlay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.bench.codec.CompressBenchmark;
import io.inlay.bench.codec.DecompressBenchmark;
import io.inlay.bench.data.DatasetSpec;
import io.inlay.bench.data.Datasets;
import io.inlay.bench.data.Shape;
import io.inlay.bench.data.Sizes;
import io.inlay.bench.read.ChecksumGate;
import io.inlay.bench.read.ChecksumMismatchException;
import io.inlay.bench.read.Contender;
import io.inlay.bench.read.ContenderFactory;
import io.inlay.bench.read.Contenders;
import io.inlay.bench.read.ReadBenchmark;
import io.inlay.bench.read.ReadTarget;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks' smoke mode, part of {@code ./mvnw verify} so they never rot: tiny files of
 * every shape and codec through every contender with 1 and 2 threads against the checksum
 * gate, then one short JMH iteration of every benchmark, in this JVM (no fork).
 */
class SmokeTest {
    static final String SIZE = "256KiB";
    static final int VECTOR_ROW_GROUP = 16;
    static final int FLAT_ROW_GROUP = 16_384;

    @TempDir
    static Path data;

    @BeforeAll
    static void useTempDataDirectory() {
        System.setProperty(Datasets.DIR_PROPERTY, data.toString());
    }

    private static DatasetSpec spec(Shape shape, String codec) {
        return new DatasetSpec(shape, Sizes.parse(SIZE), codec,
                shape == Shape.VECTOR ? VECTOR_ROW_GROUP : FLAT_ROW_GROUP, DatasetSpec.DEFAULT_SEED);
    }

    @Test
    void everyContender_agreesWithTheFloor_onEveryShapeCodecAndThreadCount() throws Exception {
        int checked = 0;
        int expected = 0;
        for (Shape shape : Shape.values()) {
            for (String codec : new String[] {"none", "zstd", "snappy", "lz4", "gzip"}) {
                DatasetSpec spec = spec(shape, codec);
                Path file = Datasets.ensure(spec);
                double reference = ChecksumGate.reference(file, shape);
                assertTrue(reference > 0, "reference sum of " + spec);
                for (ContenderFactory factory : Contenders.all().values()) {
                    if (!factory.supportsCodec(codec)) {
                        continue;
                    }
                    expected += 2;
                    for (int threads = 1; threads <= 2; threads++) {
                        try (Contender c = factory.open(new ReadTarget(file, shape, threads))) {
                            ChecksumGate.check(factory.name(), threads, c.sum(), file, reference);
                            ChecksumGate.check(factory.name(), threads, c.sum(), file, reference);
                            double probe = c.decode();
                            assertTrue(Double.isFinite(probe), factory.name() + " decode() of " + spec);
                            assertEquals(probe, c.decode(), factory.name() + " decode() twice of " + spec);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(expected, checked);
        // every contender but the two zero-copy ones and floor-decompress reads every codec; zero-copy
        // reads the uncompressed files, floor-decompress the compressed ones
        assertEquals(2 * (5 * (Contenders.all().size() - 3) + 2 + 4) * 2, checked);
    }

    @Test
    void gate_rejectsAnyDifference_namingContendersAndSums() throws Exception {
        Path file = Datasets.ensure(spec(Shape.VECTOR, "none"));
        double reference = ChecksumGate.reference(file, Shape.VECTOR);
        double off = Math.nextUp(reference);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> ChecksumGate.check("arrow", 2, off, file, reference));
        assertTrue(e.getMessage().contains("arrow (2 threads)") && e.getMessage().contains(ChecksumGate.REFERENCE)
                && e.getMessage().contains(Double.toHexString(off)) && e.getMessage().contains(Double.toHexString(reference)),
                e.getMessage());
    }

    @Test
    void jmh_runsEveryBenchmarkOnce() throws Exception {
        Options read = onTinyVectors(ReadBenchmark.class)
                .param("codec", "zstd")
                .param("threads", "1", "2")
                .build();
        Collection<RunResult> results = new Runner(read).run();
        // every contender but the two zero-copy ones (a benchmark of their own) and DecodeBenchmark's three floors
        assertEquals((Contenders.all().size() - 5) * 2, results.size());
        results.forEach(r -> assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString()));

        Options zeroCopy = onTinyVectors(io.inlay.bench.read.ZeroCopyBenchmark.class)
                .param("threads", "1", "2")
                .build();
        Collection<RunResult> zc = new Runner(zeroCopy).run();
        assertEquals(4 * 2, zc.size()); // inlay-zero-copy(-mapped), floor-scan, floor-scan-open; 1 and 2 threads
        zc.forEach(r -> assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString()));

        Options decode = onTinyVectors(io.inlay.bench.read.DecodeBenchmark.class)
                .param("codec", "zstd")
                .param("contender", "floor-scan", "floor-decompress", "floor-place", "floor-place-fresh", "inlay-row_group-mapped",
                        "inlay-default-reuse-mapped", "inlay-default-mapped")
                .build();
        Collection<RunResult> dec = new Runner(decode).run();
        assertEquals(7, dec.size());
        dec.forEach(r -> assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString()));

        Options codecs = new OptionsBuilder()
                .include(DecompressBenchmark.class.getName())
                .include(CompressBenchmark.class.getName())
                .param("pageBytes", "65536")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build();
        assertEquals(6 * 2 + 5 * 2, new Runner(codecs).run().size());
    }

    /** One 50 ms iteration, in process, of a read benchmark on the tiny vector files. */
    private static ChainedOptionsBuilder onTinyVectors(Class<?> benchmark) {
        return new OptionsBuilder()
                .include(benchmark.getName())
                .param("shape", "vector")
                .param("size", SIZE)
                .param("rowGroupRows", Integer.toString(VECTOR_ROW_GROUP))
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .shouldFailOnError(true);
    }
}
