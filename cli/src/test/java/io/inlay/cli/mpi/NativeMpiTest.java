package io.inlay.cli.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The FFM binding against the real libraries: two ranks under Open MPI's and MPICH's mpirun run
 * every collective ({@link MpiProbe}) and agree on the results; without a launcher no MPI is
 * touched; under a launcher without a usable libmpi, one clear error.
 */
class NativeMpiTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(MpiRunner.Flavour.class)
    void twoRanks_everyCollective(MpiRunner.Flavour flavour) throws Exception {
        assumeTrue(flavour.find().isPresent(), flavour.missing());
        MpiRunner.Result r = MpiRunner.run(flavour, 2, MpiRunner.java(MpiProbe.class.getName(), List.of()), Map.of(),
                dir.resolve("probe.log"), 120);
        assertEquals(0, r.exit(), r.output());
        List<String> lines = r.output().lines().filter(l -> l.startsWith("PROBE ")).sorted().toList();
        assertEquals(2, lines.size(), r.output());
        for (int rank = 0; rank < 2; rank++) {
            String l = lines.get(rank);
            assertTrue(l.contains("rank=" + rank + " size=2 connected=true"), l);
            assertTrue(l.contains("sum=[2.0, 2.0] max=[1.0] min=[10.0]"), l);
            assertTrue(l.contains("lsum=" + (2 * (1L << 40) + 1) + " lmax=0 lmin=-1"), l);
            assertTrue(l.contains("bcast=from-root"), l);
            assertTrue(l.contains("node=0/1 local=" + rank + "/2"), "one node, two ranks on it: " + l);
            assertTrue(l.contains(flavour == MpiRunner.Flavour.OPEN_MPI ? "lib=Open_MPI" : "lib=MPICH"), l);
        }
        assertTrue(lines.get(0).contains("gather=rank0,rank1x,"), "root gathers every rank's bytes: " + lines.get(0));
        assertTrue(lines.get(1).contains("gather= "), "only the root receives: " + lines.get(1));
    }

    @Test
    void libraryOfTheOtherLauncher_oneClearError() throws Exception {
        assumeTrue(MpiRunner.Flavour.OPEN_MPI.find().isPresent(), MpiRunner.Flavour.OPEN_MPI.missing());
        assumeTrue(MpiRunner.Flavour.MPICH.find().isPresent(), MpiRunner.Flavour.MPICH.missing());
        MpiRunner.Result r = MpiRunner.run(MpiRunner.Flavour.OPEN_MPI, 2, MpiRunner.java(MpiProbe.class.getName(), List.of()),
                Map.of(Mpi.LIB_VARIABLE, "libmpich.so.12"), dir.resolve("mismatch.log"), 120);
        assertTrue(r.exit() != 0, r.output());
        assertTrue(r.output().contains("PROBE-ERROR Open MPI's mpirun announced rank"), r.output());
        assertTrue(r.output().contains("the library does not belong to the launcher"), r.output());
    }

    @Test
    void noLauncher_noMpiAtAll() {
        try (Comm c = Mpi.connect(Map.of(Mpi.LIB_VARIABLE, "/nonexistent/libmpi.so"))) {
            assertEquals(0, c.rank());
            assertEquals(1, c.size());
            assertFalse(c.connected());
            assertEquals(NodeLayout.single(), c.nodes());
            assertEquals(7.0, c.allreduce(new double[] {7}, ReduceOp.SUM)[0]);
            c.barrier();
        }
        try (Comm c = Mpi.connect(Map.of("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "2", Mpi.MODE_VARIABLE, "off"))) {
            assertFalse(c.connected(), "INLAY_MPI=off wins over the launcher's variables");
        }
    }

    @Test
    void launcherWithoutLibmpi_oneClearError() {
        MpiException e = assertThrows(MpiException.class, () -> Mpi.connect(Map.of("OMPI_COMM_WORLD_RANK", "1",
                "OMPI_COMM_WORLD_SIZE", "2", Mpi.LIB_VARIABLE, "/nonexistent/libmpi.so.40")));
        assertEquals("Open MPI's mpirun started this process as rank 1 of 2 (OMPI_COMM_WORLD_RANK), but no libmpi could be"
                + " loaded (tried /nonexistent/libmpi.so.40): install the MPI library of the launcher (Debian: openmpi-bin"
                + " libopenmpi-dev, or mpich) or name it with INLAY_MPI_LIB=/path/to/libmpi.so", e.getMessage());
        MpiException notMpi = assertThrows(MpiException.class, () -> Mpi.connect(Map.of("PMI_RANK", "0", "PMI_SIZE", "2",
                Mpi.LIB_VARIABLE, "libc.so.6")));
        assertTrue(notMpi.getMessage().startsWith("MPICH's Hydra (mpiexec) started this process as rank 0 of 2 (PMI_RANK), but"
                + " libc.so.6 has no MPI_Init_thread"), notMpi.getMessage());
    }

    @Test
    void launcherVariables_inOrder_andCheckedInWords() {
        assertEquals(Launcher.Kind.OPEN_MPI, Launcher.detect(Map.of("OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "4",
                "PMI_RANK", "0", "PMI_SIZE", "4")).orElseThrow().kind());
        assertEquals(new Launcher(Launcher.Kind.HYDRA, 2, 3, "PMI_RANK"),
                Launcher.detect(Map.of("PMI_RANK", "2", "PMI_SIZE", "3")).orElseThrow());
        assertEquals(new Launcher(Launcher.Kind.SLURM, 5, 8, "SLURM_PROCID"),
                Launcher.detect(Map.of("SLURM_PROCID", "5", "SLURM_NTASKS", "16", "SLURM_STEP_NUM_TASKS", "8")).orElseThrow());
        assertTrue(Launcher.detect(Map.of("SLURM_PROCID", "0")).isEmpty(), "a Slurm allocation without a task count is no launch");
        MpiException bad = assertThrows(MpiException.class, () -> Launcher.detect(Map.of("PMI_RANK", "x", "PMI_SIZE", "2")));
        assertEquals("environment variable PMI_RANK='x' is not a number", bad.getMessage());
        MpiException range = assertThrows(MpiException.class, () -> Launcher.detect(Map.of("PMI_RANK", "2", "PMI_SIZE", "2")));
        assertEquals("environment variables PMI_RANK=2 and PMI_SIZE=2 do not make a rank of a run", range.getMessage());
    }
}
