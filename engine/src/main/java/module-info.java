/**
 * Inlay's Parquet engine: the reader ({@link io.inlay.engine.read}, its storage engines in
 * {@link io.inlay.engine.io}), the writer
 * ({@link io.inlay.engine.write}), the schema model shared by both ({@link io.inlay.engine.schema})
 * and the DLIO dataset generator ({@link io.inlay.engine.dataset}). Everything under
 * {@code io.inlay.engine.internal} is private to the engine.
 */
module io.inlay.engine {
    requires transitive io.inlay.codec;
    requires parquet.format.structures;
    requires org.slf4j;
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT: O_DIRECT writes (WriterOptions.direct)

    exports io.inlay.engine.error;
    exports io.inlay.engine.io;
    exports io.inlay.engine.schema;
    exports io.inlay.engine.read;
    exports io.inlay.engine.vector;
    exports io.inlay.engine.write;
    exports io.inlay.engine.dataset;
    exports io.inlay.engine.trace;
}
