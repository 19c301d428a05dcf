package io.inlay.cli.mpi;

/** The reductions {@link Comm#allreduce} offers (MPI_SUM, MPI_MAX, MPI_MIN). */
public enum ReduceOp {
    SUM,
    MAX,
    MIN;

    double apply(double a, double b) {
        return switch (this) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    long apply(long a, long b) {
        return switch (this) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }
}
