package io.inlay.cli.mpi;

/**
 * Where a process sits among the nodes of a run: nodes are the groups of processes that share
 * memory (MPI_Comm_split_type with MPI_COMM_TYPE_SHARED), numbered in the order of their lowest
 * rank.
 *
 * @param node this process's node, 0-based
 * @param nodes the number of nodes
 * @param localRank this process's rank among the processes of its node (0 is the node's leader)
 * @param localSize processes on this node
 */
public record NodeLayout(int node, int nodes, int localRank, int localSize) {

    public NodeLayout {
        if (nodes < 1 || node < 0 || node >= nodes || localSize < 1 || localRank < 0 || localRank >= localSize) {
            throw new IllegalArgumentException("node " + node + " of " + nodes + ", local rank " + localRank + " of " + localSize);
        }
    }

    /** The layout of a single process. */
    public static NodeLayout single() {
        return new NodeLayout(0, 1, 0, 1);
    }

    /** Whether this process speaks for its node (its local rank is 0). */
    public boolean leader() {
        return localRank == 0;
    }
}
