package io.inlay.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.cli.run.TimeBreakdown.Bound;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict's rules, one case each, and the JSON's shares. */
class TimeBreakdownTest {
    // seconds, compute, dataWait, startupWait, barrier, threads, storageWait, read, consumerWait, cores

    @Test
    void acceleratorBusy_isConsumerBound() {
        TimeBreakdown t = TimeBreakdown.of(10, 9, 0.5, 0, 0, 2, 1.0, 3, 15, 2);
        assertEquals(Bound.CONSUMER, t.bound());
        assertTrue(t.verdict().startsWith("bound by the consumer"), t.verdict());
        assertTrue(t.verdict().contains("90.0%"), t.verdict());
    }

    @Test
    void firstStepsWaitsDoNotMakeARunInputBound() {
        // 3 s of 10 waiting, but all of it in the epochs' first steps (the pipeline filling)
        TimeBreakdown t = TimeBreakdown.of(10, 6.8, 3, 2.9, 0, 2, 1.0, 3, 15, 2);
        assertEquals(Bound.CONSUMER, t.bound());
        assertEquals(0.1, t.steadyWaitSeconds(), 1e-9);
    }

    @Test
    void epochsOfOneStep_theirFirstStepsWaitsAreJudged() {
        // dlrm-like: one step per epoch, no compute; 99.4% of the run is the first steps' wait, the
        // readers decoding all the time: not the consumer
        TimeBreakdown t = TimeBreakdown.of(6.84, 0, 6.80, 6.80, 0, 2, null, 13.5, 0, 2);
        assertTrue(t.firstStepsAreTheRun());
        assertEquals(Bound.READING, t.bound());
        assertTrue(t.verdict().contains("99.4%"), t.verdict());
        assertTrue(t.verdict().contains("too few steps per epoch"), t.verdict());
    }

    @Test
    void barriersLongerThanCompute_boundByTheOtherRanks() {
        TimeBreakdown t = TimeBreakdown.of(10, 2, 0.5, 0, 7, 2, 1.0, 3, 15, 2);
        assertEquals(Bound.BARRIER, t.bound());
        assertTrue(t.verdict().contains("70.0%"), t.verdict());
        // a little bookkeeping with no compute at all is not a barrier problem
        assertEquals(Bound.CONSUMER, TimeBreakdown.of(10, 0, 0.5, 0, 0.2, 2, 1.0, 3, 15, 2).bound());
    }

    @Test
    void readersWaitingOnStorage_storageBound() {
        TimeBreakdown t = TimeBreakdown.of(10, 2, 7, 0.1, 0, 2, 14.0, 18, 0.5, 2);
        assertEquals(Bound.STORAGE, t.bound());
        assertTrue(t.verdict().contains("70.0%") && t.verdict().contains("waiting on storage"), t.verdict());
    }

    @Test
    void readersDecoding_cpuBound_andTheAdviceDependsOnCores() {
        TimeBreakdown onAll = TimeBreakdown.of(10, 2, 7, 0.1, 0, 2, 2.0, 18, 0.5, 2);
        assertEquals(Bound.CPU_DECODE, onAll.bound());
        assertTrue(onAll.verdict().contains("more cores would help"), onAll.verdict());
        TimeBreakdown fewThreads = TimeBreakdown.of(10, 2, 7, 0.1, 0, 2, 2.0, 18, 0.5, 8);
        assertTrue(fewThreads.verdict().contains("more reader.read_threads may help"), fewThreads.verdict());
    }

    @Test
    void readersIdleWhileTheAcceleratorWaits_tooLittleParallelReading() {
        TimeBreakdown t = TimeBreakdown.of(10, 2, 7, 0.1, 0, 4, 1.0, 8, 1, 8);
        assertEquals(Bound.READERS_IDLE, t.bound());
        assertEquals(31, t.idleSeconds(), 1e-9);
    }

    @Test
    void readersWaitingForTheAcceleratorWhileItWaits_prefetchDepth() {
        TimeBreakdown t = TimeBreakdown.of(10, 7, 2.5, 0.1, 0, 2, 0.5, 5, 12, 2);
        assertEquals(Bound.PREFETCH, t.bound());
        assertTrue(t.verdict().contains("reader.prefetch_size"), t.verdict());
    }

    @Test
    void storageWaitNotCounted_readingAsAWhole() {
        TimeBreakdown t = TimeBreakdown.of(10, 2, 7, 0.1, 0, 2, null, 18, 0.5, 2);
        assertEquals(Bound.READING, t.bound());
        assertEquals(18, t.decodeSeconds(), 1e-9);
    }

    @Test
    void nothingRan() {
        TimeBreakdown t = TimeBreakdown.of(0, 0, 0, 0, 0, 2, null, 0, 0, 2);
        assertNull(t.bound());
        assertNull(t.json().get("bound"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_sharesAreFractionsOfEachSide() {
        TimeBreakdown t = TimeBreakdown.of(10, 2, 7, 0.1, 0.5, 2, 14.0, 18, 0.5, 2);
        Map<String, Object> share = (Map<String, Object>) t.json().get("share");
        assertEquals(0.7, (Double) share.get("storage_wait"), 1e-9, "14 s of 2 x 10 s");
        assertEquals(0.2, (Double) share.get("decode"), 1e-9);
        assertEquals(0.025, (Double) share.get("consumer_wait"), 1e-9);
        assertEquals(0.2, (Double) share.get("compute"), 1e-9, "2 s of 10 s");
        Map<String, Object> acc = (Map<String, Object>) t.json().get("accelerator");
        assertEquals(0.5, (Double) acc.get("other_seconds"), 1e-9, "10 - 2 - 7 - 0.5");
        assertEquals("storage", t.json().get("bound"));
        assertEquals(4, t.lines().size(), "one screen: a heading, two sides, the verdict");
    }
}
