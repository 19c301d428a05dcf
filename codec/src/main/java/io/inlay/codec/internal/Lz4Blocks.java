package io.inlay.codec.internal;

import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Raw LZ4 blocks through lz4-java (the maintained at.yawk fork): its bounds-checked "safe"
 * decompressor, never the "fast" one that trusts the input.
 */
final class Lz4Blocks {
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
    static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();

    private Lz4Blocks() {}

    /**
     * Decompresses one block into {@code dst[dstOff, dstOff + maxLen)}.
     *
     * @return the bytes produced, or -1 if the block is malformed
     */
    static int decompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxLen) {
        try {
            return DECOMPRESSOR.decompress(src, srcOff, srcLen, dst, dstOff, maxLen);
        } catch (LZ4Exception | IndexOutOfBoundsException e) {
            return -1;
        }
    }
}
