package io.inlay.engine.trace;

import java.util.List;

/**
 * Every event the engine itself puts on a timeline, in one place (the code that records them
 * calls {@link Trace#start()} and {@code Trace.end} with these kinds; nothing else of the engine
 * knows about tracing). Categories: {@code io} (opening files), {@code storage} (bytes coming from
 * the file system), {@code decode} (CPU work on what was read), {@code write} (the writer).
 */
public final class EngineEvents {
    private EngineEvents() {}

    /** Opening a Parquet file: its footer read and parsed. */
    public static final TraceKind OPEN = TraceKind.of("open", "io", List.of("file"), List.of("file_bytes"));
    /** One read from storage the reading thread waited for (or, for mmap, the pages it faulted in). */
    public static final TraceKind READ = TraceKind.of("read", "storage", List.of("file", "engine"), List.of("offset", "bytes"));
    /** Read-ahead issued for ranges needed later (the thread does not wait for it here). */
    public static final TraceKind PREFETCH = TraceKind.of("prefetch", "storage", List.of("file", "engine"),
            List.of("offset", "bytes"));
    /** Decompressing the pages of one column chunk. */
    public static final TraceKind DECOMPRESS = TraceKind.of("decompress", "decode", List.of("column", "codec"),
            List.of("bytes_in", "bytes_out"));
    /** Decoding one column chunk into its vector (decompression included, as its child events). */
    public static final TraceKind DECODE = TraceKind.of("decode", "decode", List.of("column", "codec"),
            List.of("values", "bytes_in", "bytes_out"));
    /** Writing one file: every row group, the footer, the rename into place. */
    public static final TraceKind WRITE_FILE = TraceKind.of("write_file", "write", List.of("file"), List.of("rows", "bytes"));
    /** Writing one column chunk: values made, encoded, compressed and written. */
    public static final TraceKind WRITE_CHUNK = TraceKind.of("write_chunk", "write", List.of("column", "codec"),
            List.of("values", "bytes_in", "bytes_out"));
}
