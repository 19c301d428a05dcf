/**
 * Parquet page codecs behind a small service interface, over off-heap memory.
 *
 * <p>{@link io.inlay.codec.CodecRegistry#standard()} finds every {@link io.inlay.codec.CodecProvider}
 * once through {@link java.util.ServiceLoader}; a jar that provides another one adds a codec.
 */
module io.inlay.codec {
    requires com.github.luben.zstd_jni;
    requires org.lz4.java;
    requires org.xerial.snappy;

    exports io.inlay.codec;

    uses io.inlay.codec.CodecProvider;

    provides io.inlay.codec.CodecProvider with
            io.inlay.codec.internal.UncompressedCodec,
            io.inlay.codec.internal.SnappyCodec,
            io.inlay.codec.internal.GzipCodec,
            io.inlay.codec.internal.HadoopLz4Codec,
            io.inlay.codec.internal.ZstdCodec,
            io.inlay.codec.internal.Lz4RawCodec;
}
