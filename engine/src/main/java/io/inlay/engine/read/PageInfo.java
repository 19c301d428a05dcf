package io.inlay.engine.read;

/**
 * One page header, as {@code inlay inspect --pages} shows it.
 *
 * @param index the page's position in its chunk
 * @param type DICTIONARY_PAGE, DATA_PAGE, DATA_PAGE_V2 or INDEX_PAGE
 * @param offset the header's offset in the file
 * @param headerSize the encoded header's size
 * @param compressedSize the stored body size
 * @param uncompressedSize the body size after decompression
 * @param numValues values (levels) in a data page, entries in a dictionary page
 * @param numNulls nulls (v2 pages), or -1
 * @param numRows rows (v2 pages), or -1
 * @param encoding the value encoding
 * @param levelEncodings the definition / repetition level encodings (v1), or "RLE" (v2)
 * @param crc the stored CRC-32, or null when the page has none
 * @param crcValid whether the CRC matched the stored bytes (null when not checked)
 * @param statistics the page statistics, or null
 */
public record PageInfo(int index, String type, long offset, int headerSize, int compressedSize, int uncompressedSize,
        int numValues, int numNulls, int numRows, String encoding, String levelEncodings, Integer crc, Boolean crcValid,
        ChunkStatistics statistics) {}
