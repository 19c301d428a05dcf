package io.inlay.cli;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code inlay codecs}: lists the codec providers found and round-trips a float page through each. */
@Command(name = "codecs", description = "List the page codecs this installation has and round-trip a page through each.")
final class CodecsCommand implements Callable<Integer> {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Option(names = "--page-bytes", defaultValue = "1048576", description = "Size of the test page (default ${DEFAULT-VALUE}).")
    int pageBytes;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (pageBytes < 4 || pageBytes > (1 << 30)) {
            spec.commandLine().getErr().println("inlay codecs: --page-bytes must be 4..1073741824");
            return Main.EXIT_USAGE;
        }
        int failures = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(pageBytes);
            SplittableRandom random = new SplittableRandom(1);
            for (long i = 0; i + 4 <= pageBytes; i += 4) {
                page.set(LE_FLOAT, i, random.nextInt(256) / 256f);
            }
            out.printf("%-13s %-9s %12s %8s  %s%n", "codec", "mode", "compressed", "ratio", "round trip");
            for (CompressionCodec codec : CodecRegistry.standard().available()) {
                CodecProvider p;
                try {
                    p = CodecRegistry.standard().provider(codec);
                } catch (CodecException e) {
                    continue;
                }
                if (!p.canCompress()) {
                    out.printf("%-13s %-9s %12s %8s  %s%n", codec, "read-only", "-", "-", "-");
                    continue;
                }
                try (Compressor c = p.newCompressor(); Decompressor d = p.newDecompressor()) {
                    MemorySegment compressed = arena.allocate(c.maxCompressedLength(pageBytes));
                    long n = c.compress(page, compressed);
                    MemorySegment back = arena.allocate(pageBytes);
                    d.decompress(compressed.asSlice(0, n), back);
                    boolean ok = page.mismatch(back) == -1;
                    failures += ok ? 0 : 1;
                    out.printf("%-13s %-9s %12d %7.2fx  %s%n", codec, "rw", n, (double) pageBytes / n, ok ? "OK" : "MISMATCH");
                } catch (CodecException e) {
                    failures++;
                    out.printf("%-13s %-9s %12s %8s  ERROR %s%n", codec, "rw", "-", "-", e.getMessage());
                }
            }
        }
        out.flush();
        return failures == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
}
