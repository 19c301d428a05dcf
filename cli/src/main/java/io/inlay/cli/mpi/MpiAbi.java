package io.inlay.cli.mpi;

/**
 * The two C ABIs of libmpi in use, and the values of the handles Inlay passes. Open MPI's handles
 * are pointers to objects the library exports ({@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world});
 * MPICH's and its derivatives' (Intel MPI, Cray MPICH, MVAPICH) are 32-bit integers from its
 * {@code mpi.h}. Constants were read from Open MPI 4.1's and MPICH 4.0's {@code mpi.h}.
 */
enum MpiAbi {
    OPEN_MPI,
    MPICH;

    /** MPI_THREAD_FUNNELED: 1 in both. */
    static final int THREAD_FUNNELED = 1;
    /** MPI_UNDEFINED: -32766 in both. */
    static final int UNDEFINED = -32766;

    /** MPI_COMM_TYPE_SHARED: the first enumerator (0) in Open MPI, 1 in MPICH. */
    int commTypeShared() {
        return this == OPEN_MPI ? 0 : 1;
    }

    /** Open MPI: the exported symbol a handle points to. */
    static String openMpiSymbol(Handle h) {
        return switch (h) {
            case COMM_WORLD -> "ompi_mpi_comm_world";
            case COMM_NULL -> "ompi_mpi_comm_null";
            case INFO_NULL -> "ompi_mpi_info_null";
            case DOUBLE -> "ompi_mpi_double";
            case INT64 -> "ompi_mpi_int64_t";
            case INT -> "ompi_mpi_int";
            case BYTE -> "ompi_mpi_byte";
            case SUM -> "ompi_mpi_op_sum";
            case MAX -> "ompi_mpi_op_max";
            case MIN -> "ompi_mpi_op_min";
        };
    }

    /** MPICH: the handle's integer value. */
    static int mpichValue(Handle h) {
        return switch (h) {
            case COMM_WORLD -> 0x44000000;
            case COMM_NULL -> 0x04000000;
            case INFO_NULL -> 0x1c000000;
            case DOUBLE -> 0x4c00080b;
            case INT64 -> 0x4c00083a;
            case INT -> 0x4c000405;
            case BYTE -> 0x4c00010d;
            case SUM -> 0x58000003;
            case MAX -> 0x58000001;
            case MIN -> 0x58000002;
        };
    }

    /** The predefined handles Inlay uses. */
    enum Handle {
        COMM_WORLD, COMM_NULL, INFO_NULL, DOUBLE, INT64, INT, BYTE, SUM, MAX, MIN;

        static Handle of(ReduceOp op) {
            return switch (op) {
                case SUM -> SUM;
                case MAX -> MAX;
                case MIN -> MIN;
            };
        }
    }
}
