package io.inlay.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.read.ReadMode;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics arithmetic with an injected clock: DLIO's window (first step excluded, its proc
 * subtracted from the wall time), AU, throughput and storage rate over that one window,
 * percentiles, means and population stdevs over epochs, nulls where a figure is undefined.
 */
class RunReportTest {
    static final long MS = 1_000_000L;

    static ReadPlan plan(int batch, int excludeStart, int excludeEnd, double au) {
        return new ReadPlan(List.of(Path.of("a.parquet")), List.of(new ColumnSpec("x", DType.FLOAT32, 1, true)), ReadMode.DEFAULT,
                1, batch, 2, 2, ComputeTime.constant(0.01), 4, Shuffle.OFF, Shuffle.OFF, 1, true, false, au, 0, 1, 1024,
                excludeStart, excludeEnd, null, Map.of(), null);
    }

    @Test
    void window_excludesTheFirstStepsProc_andEveryRateUsesIt() {
        PhaseStats p = new PhaseStats("block1", 1000 * MS);
        // step 1: load 300 ms (pipeline filling), compute 10 ms; steps 2-4: load 5 ms, compute 10 ms; 2 ms barrier after each
        p.step(300 * MS, 10 * MS, 310 * MS, 8, 8000, 800);
        for (int i = 0; i < 3; i++) {
            p.step(5 * MS, 10 * MS, 15 * MS, 8, 4000, 800);
        }
        p.finish(1000 * MS + 310 * MS + 3 * 15 * MS + 4 * 2 * MS);
        PhaseStats.Window w = p.window(1, 0, 0);
        assertEquals(3, w.steps());
        assertEquals(0.045 + 0.008, w.seconds(), 1e-12, "wall time less the first step's proc");
        assertEquals(0.030, w.computeSeconds(), 1e-12);
        assertEquals(100 * 0.030 / 0.053, w.auPercent(), 1e-9, "AU = compute in the window / window time");
        assertEquals(24 / 0.053, w.samplesPerSecond(), 1e-9, "samples/s over the same window");
        assertEquals(12000 / 1e6 / 0.053, w.storageMbPerSecond(), 1e-12, "storage rate over the same window");
        assertEquals(2400 / 1e6 / 0.053, w.decodedMbPerSecond(), 1e-12);

        PhaseStats.Window end = p.window(1, 1, 0);
        assertEquals(2, end.steps(), "exclude_end_steps drops the last");
        assertEquals(0.053 - 0.015, end.seconds(), 1e-12);
        PhaseStats.Window none = p.window(0, 0, 0);
        assertEquals(4, none.steps());
        assertEquals(0.363, none.seconds(), 1e-12);
    }

    @Test
    void emptyWindow_isNullNotZero_andNoComputeIsZeroAu() {
        PhaseStats one = new PhaseStats("block1", 0);
        one.step(5 * MS, 1 * MS, 6 * MS, 4, 0, 0);
        one.finish(10 * MS);
        PhaseStats.Window w = one.window(1, 0, 0);
        assertFalse(w.defined());
        assertNull(w.auPercent());
        assertNull(w.samplesPerSecond());
        PhaseStats idle = new PhaseStats("block1", 0);
        idle.step(5 * MS, 0, 5 * MS, 4, 0, 0);
        idle.step(5 * MS, 0, 5 * MS, 4, 0, 0);
        idle.finish(10 * MS);
        assertEquals(0.0, idle.window(1, 0, 0).auPercent(), "DLIO: AU 0 when nothing was computed");
    }

    @Test
    void runningPhase_usesNowAsItsEnd() {
        PhaseStats p = new PhaseStats("block1", 0);
        p.step(10 * MS, 10 * MS, 20 * MS, 2, 0, 0);
        p.step(10 * MS, 10 * MS, 20 * MS, 2, 0, 0);
        assertFalse(p.finished());
        assertEquals(0.080, p.window(1, 0, 100 * MS).seconds(), 1e-12);
        assertEquals(0.1, p.seconds(100 * MS), 1e-12);
    }

    @Test
    void percentiles_nearestRank_inMilliseconds() {
        long[] waits = new long[100];
        for (int i = 0; i < 100; i++) {
            waits[i] = (100 - i) * MS;
        }
        Map<String, Object> m = PhaseStats.percentiles(waits);
        assertEquals(50.0, m.get("p50"));
        assertEquals(90.0, m.get("p90"));
        assertEquals(99.0, m.get("p99"));
        assertEquals(100.0, m.get("max"));
        Map<String, Object> empty = PhaseStats.percentiles(new long[0]);
        assertEquals(List.of("p50", "p90", "p99", "max"), List.copyOf(empty.keySet()), "every key, null values");
        assertTrue(empty.values().stream().allMatch(v -> v == null));
    }

    @Test
    void meansAndStdevs_overEpochs_asNumpy() {
        assertEquals(2.0, Stats.mean(Arrays.asList(1.0, 3.0, null)));
        assertEquals(1.0, Stats.stdev(Arrays.asList(1.0, 3.0)), 1e-12, "population stdev, as numpy.std");
        assertNull(Stats.mean(Arrays.asList((Double) null)));
    }

    @Test
    void report_epochsOnTheInjectedClock_timestampsInDliosFormat() {
        ManualClock clock = new ManualClock(Instant.parse("2026-07-04T05:21:10.959754Z"));
        ReadPlan plan = plan(8, 1, 0, 0.5);
        RunReport r = new RunReport(plan, clock);
        r.start(0);
        for (int e = 1; e <= 2; e++) {
            long t = clock.nanoTime();
            EpochStats ep = r.startEpoch(e, t);
            PhaseStats p = ep.startTrain(t);
            long slow = e == 1 ? 40 : 20; // epoch 2 waits less
            for (int s = 0; s < 4; s++) {
                p.step(slow * MS, 10 * MS, (slow + 10) * MS, 8, 1000, 100);
                p.file(1000, 100, null);
            }
            clock.set(t + 4 * (slow + 10) * MS);
            p.finish(clock.nanoTime());
            ep.endTrain(clock.nanoTime());
            ep.finish(clock.nanoTime());
        }
        r.finish(clock.nanoTime(), true, 1, 2, 3, 0.5, List.of());
        List<Double> au = r.trainAu();
        assertEquals(100 * 0.030 / 0.150, au.get(0), 1e-9);
        assertEquals(100 * 0.030 / 0.090, au.get(1), 1e-9);
        assertEquals((au.get(0) + au.get(1)) / 200, r.au(), 1e-12, "run AU is the mean over epochs");
        assertFalse(r.auPass(), "mean AU 26.7% is below metric.au 50%");
        Map<String, Object> j = r.json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> per = (List<Map<String, Object>>) j.get("per_epoch");
        String expected = Clock.TIMESTAMP.format(java.time.LocalDateTime.ofInstant(Instant.parse("2026-07-04T05:21:10.959754Z"),
                java.time.ZoneId.systemDefault()));
        assertEquals(expected, per.get(0).get("start"), "local time, no zone, microseconds");
        assertEquals(0.2, (double) per.get(0).get("seconds"), 1e-12);
        assertEquals(24 / 0.150, (double) per.get(0).get("samples_per_second"), 1e-9);
        assertEquals(3000 / 1e6 / 0.150, (double) per.get(0).get("storage_read_mb_per_second"), 1e-12);
        assertEquals(24 / 0.150 * 1024 / (1024.0 * 1024), (double) per.get(0).get("dlio_io_mb_per_second"), 1e-12,
                "DLIO's I/O: samples/s x record_length / 2^20");
        assertEquals(Stats.mean(r.trainThroughput()), (double) j.get("samples_per_second"), 1e-9);
        assertEquals(true, j.get("complete"));
        assertEquals(50.0, (double) j.get("au_expected_percent"), 1e-12);
        assertNull(j.get("file_list"), "no file list unless asked");
        assertEquals(64, ((String) j.get("files_digest")).length());
        assertTrue(j.containsKey("eval") && j.get("eval") == null, "null, not absent");
    }
}
