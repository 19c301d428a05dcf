package io.inlay.engine.internal.write;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable in-memory {@link OutputStream} for Thrift-serialised page headers and the footer:
 * the array grows to the largest header seen and is then reused, so writing a page header
 * allocates no byte[] of its own. Confined to the writer's thread.
 */
final class ThriftOut extends OutputStream {
    private byte[] buf = new byte[256];
    private int size;

    void reset() {
        size = 0;
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    @Override
    public void write(int b) {
        ensure(size + 1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(size + len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
        }
    }
}
