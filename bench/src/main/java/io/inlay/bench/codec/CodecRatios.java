package io.inlay.bench.codec;

import io.inlay.codec.CodecException;
import io.inlay.codec.CompressionCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Prints, as JSON, the compressed size of the benchmark pages for every codec and data kind,
 * so the throughput table can show what each codec achieved on the same bytes the JMH runs use.
 */
public final class CodecRatios {
    private CodecRatios() {}

    /** Usage: {@code CodecRatios [pageBytes]}; prints a JSON array on stdout. */
    public static void main(String[] args) throws CodecException {
        int pageBytes = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        StringBuilder json = new StringBuilder("[\n");
        try (Arena arena = Arena.ofConfined()) {
            String sep = "";
            for (FloatPages.Kind kind : FloatPages.Kind.values()) {
                MemorySegment page = FloatPages.page(arena, kind, pageBytes, 42);
                for (CompressionCodec codec : new CompressionCodec[] {CompressionCodec.UNCOMPRESSED,
                        CompressionCodec.SNAPPY, CompressionCodec.GZIP, CompressionCodec.ZSTD,
                        CompressionCodec.LZ4_RAW, CompressionCodec.LZ4}) {
                    long compressed = CodecPages.compress(arena, codec, page).byteSize();
                    json.append(sep).append(String.format(Locale.ROOT,
                            "  {\"codec\": \"%s\", \"data\": \"%s\", \"pageBytes\": %d, \"compressedBytes\": %d, \"ratio\": %.3f}",
                            codec, kind, pageBytes, compressed, (double) pageBytes / compressed));
                    sep = ",\n";
                }
            }
        }
        System.out.println(json.append("\n]"));
    }
}
