package io.inlay.cli.mpi;

/** A run of one process without MPI: every collective is the identity. Thread-safe. */
final class SingleProcess implements Comm {

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public NodeLayout nodes() {
        return NodeLayout.single();
    }

    @Override
    public boolean connected() {
        return false;
    }

    @Override
    public String description() {
        return "single process (no MPI launcher)";
    }

    @Override
    public void barrier() {}

    @Override
    public double[] allreduce(double[] values, ReduceOp op) {
        return values.clone();
    }

    @Override
    public long[] allreduce(long[] values, ReduceOp op) {
        return values.clone();
    }

    @Override
    public byte[][] gather(byte[] mine, int root) {
        check(root);
        return new byte[][] {mine.clone()};
    }

    @Override
    public byte[] bcast(byte[] data, int root) {
        check(root);
        return data.clone();
    }

    private static void check(int root) {
        if (root != 0) {
            throw new IllegalArgumentException("root " + root + " is not a rank of a single process");
        }
    }

    @Override
    public void abort(int code) {}

    @Override
    public void close() {}
}
