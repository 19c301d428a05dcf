package io.inlay.engine.read;

import io.inlay.codec.CompressionCodec;
import java.util.List;

/**
 * One column chunk: where its pages are and what its writer recorded about them.
 *
 * @param path the dotted path of the leaf column
 * @param leafIndex the chunk's index within its row group
 * @param physicalType the Parquet physical type
 * @param codec the compression codec
 * @param encodings the encodings the writer listed
 * @param numValues values including nulls (levels)
 * @param compressedSize bytes of the chunk as stored, page headers included
 * @param uncompressedSize bytes after decompression, page headers included
 * @param startOffset the first page's offset
 * @param dataPageOffset the first data page's offset
 * @param dictionaryPageOffset the dictionary page's offset, or -1
 * @param statistics the chunk statistics, or null when the writer recorded none
 */
public record ColumnChunkMetadata(String path, int leafIndex, String physicalType, CompressionCodec codec,
        List<String> encodings, long numValues, long compressedSize, long uncompressedSize, long startOffset,
        long dataPageOffset, long dictionaryPageOffset, ChunkStatistics statistics) {}
