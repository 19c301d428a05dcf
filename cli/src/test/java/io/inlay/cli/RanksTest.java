package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RanksTest {
    @Test
    void launchersInOrder_openMpiThenPmiThenSlurm() {
        assertEquals(new Ranks(0, 1, "default"), Ranks.detect(Map.of()));
        assertEquals(new Ranks(3, 8, "OMPI_COMM_WORLD_RANK"), Ranks.detect(Map.of("OMPI_COMM_WORLD_RANK", "3",
                "OMPI_COMM_WORLD_SIZE", "8", "PMI_RANK", "1", "PMI_SIZE", "2", "SLURM_PROCID", "0", "SLURM_NTASKS", "4")));
        assertEquals(new Ranks(1, 2, "PMI_RANK"), Ranks.detect(Map.of("PMI_RANK", "1", "PMI_SIZE", "2",
                "SLURM_PROCID", "0", "SLURM_NTASKS", "4")));
        assertEquals(new Ranks(2, 4, "SLURM_PROCID"), Ranks.detect(Map.of("SLURM_PROCID", "2", "SLURM_NTASKS", "4")));
        assertEquals(new Ranks(0, 1, "default"), Ranks.detect(Map.of("SLURM_PROCID", "2")), "a rank without a size is ignored");
    }

    @Test
    void explicitOptionsWin() {
        Map<String, String> env = Map.of("SLURM_PROCID", "2", "SLURM_NTASKS", "4");
        assertEquals(new Ranks(1, 4, "--rank"), Ranks.resolve(1, null, env));
        assertEquals(new Ranks(2, 3, "--world-size"), Ranks.resolve(null, 3, env));
        assertEquals(new Ranks(2, 4, "SLURM_PROCID"), Ranks.resolve(null, null, env));
    }

    @Test
    void ownership_roundRobin() {
        Ranks r = new Ranks(1, 3, "test");
        assertEquals(java.util.List.of(1L, 4L, 7L), java.util.stream.LongStream.range(0, 9).filter(r::owns).boxed().toList());
    }

    @Test
    void badValues_nameTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ranks.detect(Map.of("PMI_RANK", "x", "PMI_SIZE", "2")));
        assertTrue(e.getMessage().contains("PMI_RANK='x' is not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ranks.resolve(4, 4, Map.of()));
        assertTrue(e.getMessage().contains("rank 4 of 4"), e.getMessage());
    }
}
