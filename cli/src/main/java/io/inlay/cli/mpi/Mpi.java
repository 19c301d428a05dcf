package io.inlay.cli.mpi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Connects this process to the other processes of its run. Under a launcher (Open MPI's
 * {@code mpirun}, MPICH's Hydra, Slurm's {@code srun}: see {@link Launcher}) it loads libmpi
 * ({@code INLAY_MPI_LIB} when set, else the launcher's usual sonames), detects its ABI and
 * initialises it; without a launcher it returns a single process and never touches MPI. Under a
 * launcher without a loadable libmpi it fails with one line rather than run as a lone rank.
 * {@code INLAY_MPI=off} runs without MPI whatever the environment says.
 */
public final class Mpi {
    /** Names the library to load (a path or a soname). */
    public static final String LIB_VARIABLE = "INLAY_MPI_LIB";
    /** {@code off} disables MPI. */
    public static final String MODE_VARIABLE = "INLAY_MPI";

    private Mpi() {}

    /**
     * The run this process belongs to. Call once, from the thread that will make every MPI call.
     *
     * @throws MpiException one line: the launcher seen, and why MPI could not be used
     */
    public static Comm connect(Map<String, String> env) {
        String mode = env.getOrDefault(MODE_VARIABLE, "auto").strip().toLowerCase(Locale.ROOT);
        if (mode.equals("off") || mode.equals("0") || mode.equals("false")) {
            return Comm.single();
        }
        Optional<Launcher> launcher = Launcher.detect(env);
        if (launcher.isEmpty()) {
            return Comm.single();
        }
        Launcher l = launcher.get();
        String lib = env.get(LIB_VARIABLE);
        List<String> candidates = lib != null && !lib.isBlank() ? List.of(lib.strip()) : l.kind().sonames();
        NativeMpi mpi;
        try {
            mpi = NativeMpi.init(candidates);
        } catch (MpiException e) {
            throw new MpiException(l.kind().label() + " started this process as rank " + l.rank() + " of " + l.size() + " ("
                    + l.rankVariable() + "), but " + e.getMessage(), e);
        }
        if (mpi.size() != l.size() || mpi.rank() != l.rank()) {
            throw new MpiException(l.kind().label() + " announced rank " + l.rank() + " of " + l.size() + " ("
                    + l.rankVariable() + ") but " + mpi.library() + " (" + mpi.description() + ") sees rank " + mpi.rank()
                    + " of " + mpi.size() + ": the library does not belong to the launcher; set " + LIB_VARIABLE
                    + " to the launcher's libmpi");
        }
        return mpi;
    }
}
