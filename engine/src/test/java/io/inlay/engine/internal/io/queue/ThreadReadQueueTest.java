package io.inlay.engine.internal.io.queue;

/** The pread(2)-on-I/O-threads queue against the {@link ReadQueue} contract. */
class ThreadReadQueueTest extends ReadQueueContract {
    @Override
    ReadQueue open(int depth) {
        return ThreadReadQueue.open(depth);
    }
}
