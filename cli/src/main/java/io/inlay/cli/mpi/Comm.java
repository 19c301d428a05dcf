package io.inlay.cli.mpi;

/**
 * The processes of a run and the collective operations Inlay needs between them: barriers,
 * reductions of small arrays, gather and broadcast of small byte buffers, and the node layout.
 * Every process of the run must make the same collective calls in the same order.
 *
 * <p>Threads: an implementation backed by libmpi is initialised with {@code MPI_THREAD_FUNNELED}
 * and may be used only from the thread that opened it (calls from another thread fail with
 * {@link IllegalStateException}); {@link #close()} finalises MPI and must come from that thread too.
 */
public interface Comm extends AutoCloseable {

    /** This process's rank, 0-based. */
    int rank();

    /** The number of processes. */
    int size();

    /** Which node this process runs on, and its place there. */
    NodeLayout nodes();

    /** Whether collectives reach other processes (false for a single process). */
    boolean connected();

    /** What carries the collectives, for logs: "Open MPI v4.1.4 ..." or "single process". */
    String description();

    /** Returns when every process has called it. */
    void barrier();

    /** Element-wise reduction over every process; every process gets the result. */
    double[] allreduce(double[] values, ReduceOp op);

    /** Element-wise reduction over every process; every process gets the result. */
    long[] allreduce(long[] values, ReduceOp op);

    /**
     * Collects one buffer from every process at {@code root}.
     *
     * @return at root, the buffers by rank; elsewhere null
     */
    byte[][] gather(byte[] mine, int root);

    /**
     * Sends {@code root}'s buffer to every process.
     *
     * @param data the buffer at root; ignored (may be null) elsewhere
     * @return root's buffer
     */
    byte[] bcast(byte[] data, int root);

    /** Ends every process of the run with {@code code} (MPI_Abort); does not return when connected. */
    void abort(int code);

    /** Finalises MPI; later calls fail. Idempotent. */
    @Override
    void close();

    /** One process alone: collectives are local and return at once. */
    static Comm single() {
        return new SingleProcess();
    }
}
