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

    /** Opening a Parquet file: the file opened, its footer read and parsed, its I/O engine chosen. */
    public static final TraceKind OPEN = TraceKind.of("open", "io", List.of("file", "engine"), List.of("file_bytes"));
    /**
     * The reading thread waiting for bytes from storage: for a range the decoder asked for whose
     * reads had not completed, a footer read, or (mmap) the pages of a range faulted in. Offset and
     * bytes are the range waited for.
     */
    public static final TraceKind READ = TraceKind.of("read", "storage", List.of("file", "engine"), List.of("offset", "bytes"));
    /**
     * One read submitted to storage, from its submission to the moment the session saw it complete:
     * a read into the session's ring (pread, direct or io_uring), a footer read ahead, a part of a
     * range too large for the ring, or (mmap) a range advised with {@code MADV_WILLNEED}. Asynchronous
     * (a begin/end pair): reads in flight overlap each other and the thread's other events.
     */
    public static final TraceKind PREFETCH = TraceKind.ofAsync("prefetch", "storage", List.of("file", "engine"),
            List.of("offset", "bytes"));
    /** Decompressing one page of a column chunk (v1: the whole page; v2: its values), inside the chunk's {@link #DECODE}. */
    public static final TraceKind DECOMPRESS = TraceKind.of("decompress", "decode", List.of("column", "codec"),
            List.of("bytes_in", "bytes_out"));
    /**
     * Decoding one column chunk into its vector, the waits for its bytes ({@link #READ}) and its
     * pages' decompression ({@link #DECOMPRESS}) nested in it. bytes_in: the chunk's stored bytes;
     * bytes_out: the vector's (values, offsets and validity).
     */
    public static final TraceKind DECODE = TraceKind.of("decode", "decode", List.of("column", "codec"),
            List.of("values", "bytes_in", "bytes_out"));
    /** Writing one file: every row group, the footer, the rename into place. */
    public static final TraceKind WRITE_FILE = TraceKind.of("write_file", "write", List.of("file"), List.of("rows", "bytes"));
    /** Writing one column chunk: values made, encoded, compressed and written. */
    public static final TraceKind WRITE_CHUNK = TraceKind.of("write_chunk", "write", List.of("column", "codec"),
            List.of("values", "bytes_in", "bytes_out"));
}
