/**
 * The Parquet writer: {@link io.inlay.engine.write.ParquetWriter} writes a file column-major and
 * streaming from caller-held {@link io.inlay.engine.vector.ColumnVector}s or from
 * {@link io.inlay.engine.write.ColumnSource} callbacks, crash-safe (temporary name, rename when
 * complete). {@link io.inlay.engine.write.WriterOptions} chooses pages, codec and encodings.
 */
package io.inlay.engine.write;
