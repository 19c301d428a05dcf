package io.inlay.bench.write;

import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.dataset.GenerateResult;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code inlay generate --config seed_example.yaml --threads 1} does (a float32 vector of
 * 1024, a string and a bool column; 10,000 rows per file, uncompressed), repeated in one JVM,
 * the folder deleted after each pass: the first pass pays for the JIT's warm-up as a fresh
 * {@code ./inlay generate} does; the later ones show the steady state, and write into page-cache
 * memory the previous pass just freed.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.inlay.bench.write.WarmGenerateRun DIR [FILES=24] [PASSES=4]
 * </pre>
 *
 * Prints one line per pass: GB written, seconds, GB/s.
 */
public final class WarmGenerateRun {
    private WarmGenerateRun() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: WarmGenerateRun DIR [FILES] [PASSES]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        DatasetSpec spec = DatasetSpec.builder(dir).numFilesTrain(files).numSamplesPerFile(10_000).rowGroupSize(1_000_000)
                .columns(List.of(new ColumnSpec("features", DType.FLOAT32, 1024), new ColumnSpec("text", DType.STRING, 1),
                        new ColumnSpec("flag", DType.BOOL, 1)))
                .build();
        for (int pass = 1; pass <= passes; pass++) {
            GenerateResult r = DatasetGenerator.generate(spec, GenerateOptions.defaults());
            System.out.printf(Locale.ROOT, "pass %d | %.3f GB in %.2f s: %.2f GB/s%n", pass, r.bytesWritten() / 1e9, r.seconds(),
                    r.gigabytesPerSecond());
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
