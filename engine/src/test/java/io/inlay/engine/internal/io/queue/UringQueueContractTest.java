package io.inlay.engine.internal.io.queue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inlay.engine.internal.io.uring.UringReadQueue;
import java.io.IOException;

/** The io_uring queue against the same {@link ReadQueue} contract the I/O layer relies on (skipped where io_uring is refused). */
class UringQueueContractTest extends ReadQueueContract {
    @Override
    ReadQueue open(int depth) {
        try {
            return UringReadQueue.open(depth);
        } catch (IOException e) {
            assumeTrue(false, e.getMessage());
            throw new AssertionError();
        }
    }
}
