package io.inlay.engine.internal.write;

import io.inlay.codec.CompressionCodec;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How column chunks are written: the part of the caller's writer options that the chunk writer
 * needs, handed down by the public writer so that internal code never depends on the public API.
 *
 * @param v1Pages DATA_PAGE (v1) rather than DATA_PAGE_V2
 * @param targetPageBytes the page size aimed at
 * @param codec the compression codec
 * @param compressionLevel the codec's level, or empty for its default
 * @param dictionary dictionary-encode string columns while the dictionary stays small
 * @param byteStreamSplit BYTE_STREAM_SPLIT for floating-point columns
 * @param pageCrc a CRC-32 in each page header
 * @param statistics min/max and null counts per chunk
 * @param checksums value checksums per column
 */
public record ChunkSettings(boolean v1Pages, int targetPageBytes, CompressionCodec codec, OptionalInt compressionLevel,
        boolean dictionary, boolean byteStreamSplit, boolean pageCrc, boolean statistics, boolean checksums) {

    public ChunkSettings {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(compressionLevel, "compressionLevel");
    }
}
