package io.inlay.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecRegistryTest {

    @Test
    void standard_hasTheBuiltInCodecs() {
        assertTrue(CodecRegistry.standard().available().containsAll(EnumSet.of(
                CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY, CompressionCodec.GZIP,
                CompressionCodec.LZ4, CompressionCodec.ZSTD, CompressionCodec.LZ4_RAW)));
        assertSame(CodecRegistry.standard(), CodecRegistry.standard(), "loaded once");
    }

    @Test
    void missingCodec_errorListsAvailableAndNamesProviderJars() {
        CodecException e = assertThrows(CodecException.class,
                () -> CodecRegistry.standard().provider(CompressionCodec.BROTLI));
        String m = e.getMessage();
        assertTrue(m.contains("BROTLI") && m.contains("not supported"), m);
        assertTrue(m.contains("available: UNCOMPRESSED, SNAPPY, GZIP"), m);
        assertTrue(m.contains("provider jar"), m);
    }

    @Test
    void thirdPartyProvider_registeredThroughMetaInfServices_isFound() throws CodecException {
        // src/test/resources/META-INF/services registers TestOnlyLzoProvider
        assertInstanceOf(TestOnlyLzoProvider.class, CodecRegistry.standard().provider(CompressionCodec.LZO));
    }

    @Test
    void of_firstProviderForACodecWins() throws CodecException {
        CodecProvider first = new TestOnlyLzoProvider();
        CodecProvider second = new TestOnlyLzoProvider();
        CodecRegistry registry = CodecRegistry.of(List.of(first, second));
        assertSame(first, registry.provider(CompressionCodec.LZO));
        assertEquals(EnumSet.of(CompressionCodec.LZO), registry.available());
        CodecException e = assertThrows(CodecException.class, () -> registry.provider(CompressionCodec.ZSTD));
        assertTrue(e.getMessage().contains("available: LZO"), e.getMessage());
    }

    @Test
    void configNames_mapCaseInsensitively() {
        assertEquals(CompressionCodec.UNCOMPRESSED, CompressionCodec.fromConfigName("none"));
        assertEquals(CompressionCodec.UNCOMPRESSED, CompressionCodec.fromConfigName("NONE"));
        assertEquals(CompressionCodec.SNAPPY, CompressionCodec.fromConfigName("Snappy"));
        assertEquals(CompressionCodec.GZIP, CompressionCodec.fromConfigName("gzip"));
        assertEquals(CompressionCodec.ZSTD, CompressionCodec.fromConfigName("ZSTD"));
        assertEquals(CompressionCodec.LZ4_RAW, CompressionCodec.fromConfigName("lz4"));
        for (CompressionCodec c : List.of(CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY,
                CompressionCodec.GZIP, CompressionCodec.ZSTD, CompressionCodec.LZ4_RAW)) {
            assertEquals(c, CompressionCodec.fromConfigName(c.configName()));
        }
    }

    @Test
    void configNames_unknownOrUnsupported_listValidNames() {
        for (String bad : new String[] {"brotli", "lzo", "xz", "", "lz4_hadoop"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CompressionCodec.fromConfigName(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("none, snappy, gzip, zstd, lz4"), e.getMessage());
        }
    }

    @Test
    void thriftIds_matchParquetFormat() {
        // the ids of parquet-format's CompressionCodec enum
        for (org.apache.parquet.format.CompressionCodec c : org.apache.parquet.format.CompressionCodec.values()) {
            assertEquals(c.name(), CompressionCodec.fromThriftId(c.getValue()).name());
        }
        assertThrows(IllegalArgumentException.class, () -> CompressionCodec.fromThriftId(8));
        assertThrows(IllegalArgumentException.class, () -> CompressionCodec.fromThriftId(-1));
    }
}
