package io.inlay.cli;

import java.util.Map;
import java.util.Objects;

/**
 * This process's place among the processes of a multi-node run, as launchers announce it:
 * {@code mpirun} (Open MPI: {@code OMPI_COMM_WORLD_RANK}/{@code OMPI_COMM_WORLD_SIZE}; MPICH and
 * Intel MPI: {@code PMI_RANK}/{@code PMI_SIZE}) or {@code srun} ({@code SLURM_PROCID}/{@code SLURM_NTASKS}),
 * checked in that order; rank 0 of 1 when none is set. Rank {@code r} of {@code n} takes work items
 * {@code r, r + n, r + 2n, ...}. Immutable.
 *
 * @param rank 0-based
 * @param worldSize processes in the run
 * @param source where the values came from ({@code OMPI_COMM_WORLD_RANK}, {@code --rank}, {@code default})
 */
public record Ranks(int rank, int worldSize, String source) {

    private static final String[][] LAUNCHERS = {
        {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
        {"PMI_RANK", "PMI_SIZE"},
        {"SLURM_PROCID", "SLURM_NTASKS"},
    };

    public Ranks {
        Objects.requireNonNull(source, "source");
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " of " + worldSize + " (from " + source
                    + "): the rank must be in 0.." + (worldSize - 1) + " and the world size at least 1");
        }
    }

    /** The single process of a run without a launcher. */
    public static Ranks single() {
        return new Ranks(0, 1, "default");
    }

    /**
     * Reads the launcher's variables from {@code env} (normally {@link System#getenv()}).
     *
     * @throws IllegalArgumentException naming the variable when a value is not a valid number
     */
    public static Ranks detect(Map<String, String> env) {
        for (String[] vars : LAUNCHERS) {
            String rank = env.get(vars[0]);
            String size = env.get(vars[1]);
            if (rank != null && size != null) {
                return new Ranks(parse(vars[0], rank), parse(vars[1], size), vars[0]);
            }
        }
        return single();
    }

    /** Explicit {@code --rank}/{@code --world-size} (either may be null) over what the environment says. */
    public static Ranks resolve(Integer rank, Integer worldSize, Map<String, String> env) {
        Ranks detected = detect(env);
        if (rank == null && worldSize == null) {
            return detected;
        }
        int r = rank != null ? rank : detected.rank();
        int n = worldSize != null ? worldSize : detected.worldSize();
        return new Ranks(r, n, rank != null ? "--rank" : "--world-size");
    }

    /**
     * This process's place: MPI's rank and size when {@code comm} reaches other processes (explicit
     * options must then agree), else the options or the environment (independent processes that
     * never talk to each other).
     *
     * @throws IllegalArgumentException when an option disagrees with MPI or a value is not valid
     */
    public static Ranks of(io.inlay.cli.mpi.Comm comm, Integer rank, Integer worldSize, Map<String, String> env) {
        if (comm.connected()) {
            if ((rank != null && rank != comm.rank()) || (worldSize != null && worldSize != comm.size())) {
                throw new IllegalArgumentException("--rank/--world-size " + (rank == null ? "" : rank) + "/"
                        + (worldSize == null ? "" : worldSize) + " disagree with MPI's rank " + comm.rank() + " of " + comm.size()
                        + ": under mpirun or srun leave them out");
            }
            return new Ranks(comm.rank(), comm.size(), "MPI");
        }
        return resolve(rank, worldSize, env);
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + "='" + value + "' is not a number");
        }
    }

    /** Whether item {@code i} (a file index) belongs to this rank. */
    public boolean owns(long i) {
        return i % worldSize == rank;
    }
}
