package io.inlay.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --rank} and {@code --world-size}, for the commands that share work between the processes
 * of a multi-node run ({@code generate}, {@code read}, {@code run}); when absent, the launcher's
 * variables decide (see {@link Ranks}).
 */
final class RankOptions {
    @Option(names = "--rank", paramLabel = "R", description = "This process's rank (default: from OMPI_COMM_WORLD_RANK,"
            + " PMI_RANK or SLURM_PROCID, else 0); rank r takes files r, r+W, r+2W, ...")
    Integer rank;

    @Option(names = "--world-size", paramLabel = "W", description = "Processes sharing the work (default: from"
            + " OMPI_COMM_WORLD_SIZE, PMI_SIZE or SLURM_NTASKS, else 1).")
    Integer worldSize;

    /** This process's rank and world size: the options over what {@code env} says. */
    Ranks resolve(Map<String, String> env) {
        return Ranks.resolve(rank, worldSize, env);
    }

    /** The options as arguments, for passing them on to another command. */
    java.util.List<String> asArguments() {
        java.util.List<String> args = new java.util.ArrayList<>();
        if (rank != null) {
            args.add("--rank=" + rank);
        }
        if (worldSize != null) {
            args.add("--world-size=" + worldSize);
        }
        return args;
    }
}
