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

    /**
     * Late in the engine suite this JVM's type profiles are polluted by other tests' segment and
     * queue types, and C2 then sometimes keeps a 40-byte temporary per read that it scalar-replaces
     * in a fresh JVM (800,000 bytes per 20,000 reads in one CI run, 0 alone): the same property, with
     * the same kind of bound, is asserted in a JVM that holds only this path's profiles.
     */
    @Override
    String allocationMeasuredElsewhere() {
        return "UringReadQueueTest.submitAndAwait_allocateNothing (UringAllocationProbe: under 4 KiB per 100,000 pairs)";
    }
}
