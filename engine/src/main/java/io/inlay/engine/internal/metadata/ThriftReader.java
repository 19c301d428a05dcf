package io.inlay.engine.internal.metadata;

import java.lang.foreign.MemorySegment;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import shaded.parquet.org.apache.thrift.TBase;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;

/**
 * Reads Parquet's Thrift structures (compact protocol) straight from mapped memory, each within
 * a bounded region. Reusable: one per decoding cursor; confined to one thread.
 */
public final class ThriftReader {
    private final SegmentTransport transport;
    private final TCompactProtocol protocol;

    public ThriftReader() {
        try {
            transport = new SegmentTransport();
        } catch (TException e) {
            throw new IllegalStateException(e);
        }
        protocol = new TCompactProtocol(transport);
    }

    /**
     * Reads the file metadata stored in {@code segment[offset, offset + length)}.
     *
     * @throws TException if it does not parse or does not fit the region
     */
    public FileMetaData readFileMetaData(MemorySegment segment, long offset, long length) throws TException {
        FileMetaData meta = new FileMetaData();
        read(meta, segment, offset, length);
        return meta;
    }

    /**
     * Reads a page header starting at {@code offset}, which must end before {@code offset + maxLength}.
     *
     * @return the header; {@link #lastLength()} then gives its encoded size
     */
    public PageHeader readPageHeader(MemorySegment segment, long offset, long maxLength) throws TException {
        PageHeader header = new PageHeader();
        read(header, segment, offset, maxLength);
        return header;
    }

    private long lastStart;
    private long lastEnd;

    private void read(TBase<?, ?> target, MemorySegment segment, long offset, long length) throws TException {
        transport.reset(segment, offset, length);
        protocol.reset();
        lastStart = offset;
        try {
            target.read(protocol);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && !segment.scope().isAlive()) {
                throw e; // the memory was closed: not a malformed structure
            }
            // generated code reports some malformed input as runtime exceptions (e.g. a bad enum)
            throw new TException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        lastEnd = transport.position();
    }

    /** The encoded size of the structure read last. */
    public long lastLength() {
        return lastEnd - lastStart;
    }
}
