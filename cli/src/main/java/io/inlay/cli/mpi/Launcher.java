package io.inlay.cli.mpi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process launcher that started this process, as its environment variables tell: Open MPI's
 * {@code mpirun}/{@code prterun} ({@code OMPI_COMM_WORLD_RANK}/{@code _SIZE}), MPICH's Hydra and
 * its derivatives such as Intel MPI ({@code PMI_RANK}/{@code PMI_SIZE}), or Slurm's {@code srun}
 * ({@code SLURM_PROCID} with {@code SLURM_STEP_NUM_TASKS} or {@code SLURM_NTASKS}), checked in that
 * order. Each kind names the libmpi sonames to try first. Immutable.
 *
 * @param kind which launcher
 * @param rank the rank it announced
 * @param size the number of processes it announced
 * @param rankVariable the variable the rank came from, for messages
 */
public record Launcher(Kind kind, int rank, int size, String rankVariable) {

    /** Launchers Inlay recognises. */
    public enum Kind {
        OPEN_MPI("Open MPI's mpirun", List.of("libmpi.so.40", "libmpi.so")),
        HYDRA("MPICH's Hydra (mpiexec)", List.of("libmpich.so.12", "libmpi.so.12", "libmpi.so")),
        SLURM("Slurm's srun", List.of("libmpi.so.40", "libmpich.so.12", "libmpi.so.12", "libmpi.so"));

        private final String label;
        private final List<String> sonames;

        Kind(String label, List<String> sonames) {
            this.label = label;
            this.sonames = sonames;
        }

        /** A readable name for messages. */
        public String label() {
            return label;
        }

        /** The libmpi sonames to try, most likely first. */
        public List<String> sonames() {
            return sonames;
        }
    }

    /**
     * Reads the launcher's variables.
     *
     * @throws MpiException naming the variable when a value is not a number or out of range
     */
    public static Optional<Launcher> detect(Map<String, String> env) {
        if (has(env, "OMPI_COMM_WORLD_RANK") && has(env, "OMPI_COMM_WORLD_SIZE")) {
            return Optional.of(of(Kind.OPEN_MPI, env, "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"));
        }
        if (has(env, "PMI_RANK") && has(env, "PMI_SIZE")) {
            return Optional.of(of(Kind.HYDRA, env, "PMI_RANK", "PMI_SIZE"));
        }
        if (has(env, "SLURM_PROCID") && (has(env, "SLURM_STEP_NUM_TASKS") || has(env, "SLURM_NTASKS"))) {
            String size = has(env, "SLURM_STEP_NUM_TASKS") ? "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS";
            return Optional.of(of(Kind.SLURM, env, "SLURM_PROCID", size));
        }
        return Optional.empty();
    }

    private static boolean has(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static Launcher of(Kind kind, Map<String, String> env, String rankVar, String sizeVar) {
        int rank = parse(env, rankVar);
        int size = parse(env, sizeVar);
        if (size < 1 || rank < 0 || rank >= size) {
            throw new MpiException("environment variables " + rankVar + "=" + rank + " and " + sizeVar + "=" + size
                    + " do not make a rank of a run");
        }
        return new Launcher(kind, rank, size, rankVar);
    }

    private static int parse(Map<String, String> env, String name) {
        String v = env.get(name);
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new MpiException("environment variable " + name + "='" + v + "' is not a number");
        }
    }
}
