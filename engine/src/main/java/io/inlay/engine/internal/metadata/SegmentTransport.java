package io.inlay.engine.internal.metadata;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import shaded.parquet.org.apache.thrift.TConfiguration;
import shaded.parquet.org.apache.thrift.transport.TEndpointTransport;
import shaded.parquet.org.apache.thrift.transport.TTransportException;

/**
 * A read-only Thrift transport over a region of a memory segment (usually the file mapping).
 * Before each message it is {@linkplain #reset reset} to a region, and the region's length
 * becomes the message's byte budget: Thrift checks every string and container length against
 * what remains of it before allocating, so a hostile length cannot make it allocate more than the
 * region holds. Reused across messages; confined to one thread.
 */
final class SegmentTransport extends TEndpointTransport {
    private static final TConfiguration CONFIG = new TConfiguration(Integer.MAX_VALUE, Integer.MAX_VALUE, 64);

    private MemorySegment segment;
    private long position;
    private long limit;

    SegmentTransport() throws TTransportException {
        super(CONFIG);
    }

    /** Reads from {@code segment[offset, offset + length)} from now on. */
    void reset(MemorySegment newSegment, long offset, long length) throws TTransportException {
        this.segment = newSegment;
        this.position = offset;
        this.limit = offset + length;
        resetConsumedMessageSize(-1);
        resetConsumedMessageSize(Math.min(length, Integer.MAX_VALUE));
    }

    /** The position of the next byte to read. */
    long position() {
        return position;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws TTransportException {
        long available = limit - position;
        if (available <= 0) {
            throw new TTransportException(TTransportException.END_OF_FILE, "the Thrift structure runs past the end of its region");
        }
        int n = (int) Math.min(len, available);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, buf, off, n);
        position += n;
        countConsumedMessageBytes(n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void open() {}

    @Override
    public void close() {}

    @Override
    public void write(byte[] buf, int off, int len) throws TTransportException {
        throw new TTransportException("read-only transport");
    }
}
