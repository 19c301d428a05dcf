package io.inlay.engine.internal.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Ring}'s mechanics below the read queue: the ring's sizes, and CQ overflow kept and flushed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingTest {
    private static Ring openOrSkip(int entries, int cqEntries) {
        try {
            return Ring.open(entries, RingSetup.DEFAULT.withCqEntries(cqEntries));
        } catch (IOException e) {
            Assumptions.abort("io_uring refused on this machine: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    @Test
    void sizes_roundUpToPowersOfTwo_cqTwiceTheSq() {
        try (Ring ring = openOrSkip(5, 0)) {
            assertEquals(8, ring.sqEntries());
            assertEquals(16, ring.cqEntries());
            assertEquals(0, ring.unsubmitted());
            assertFalse(ring.cqReady());
        }
    }

    @Test
    void optionalFlag_theKernelRefuses_isDropped() throws IOException {
        try (Ring ring = openOrSkip(4, 0)) {
            // the default asks for COOP_TASKRUN only, which kernels before 5.19 refuse and so drop
            assertEquals(0, ring.setupFlags() & ~Abi.IORING_SETUP_COOP_TASKRUN);
        }
        try (Ring ring = Ring.open(4, RingSetup.DEFAULT.withFlags(0, 1 << 31))) {
            assertEquals(0, ring.setupFlags() & (1 << 31), "the flag no kernel knows was dropped, the ring made");
        }
    }

    @Test
    void cqOverflow_completionsAreKept_andFlushedByTheNextWait() {
        try (Ring ring = openOrSkip(4, 4)) {
            assertEquals(4, ring.cqEntries());
            // eight no-ops complete at once into a CQ of four: the kernel keeps four aside (NODROP)
            for (int batch = 0; batch < 2; batch++) {
                for (int i = 0; i < 4; i++) {
                    ring.push(Abi.IORING_OP_NOP, -1, 0, 0, 0, batch * 4 + i);
                }
                assertEquals(4, ring.enter(4, 0, false));
                assertEquals(0, ring.unsubmitted(), "the kernel took every SQE (SQ head load-acquired)");
            }
            assertTrue(ring.cqOverflowed(), "IORING_SQ_CQ_OVERFLOW is set");
            boolean[] seen = new boolean[8];
            int reaped = 0;
            int waits = 0;
            while (reaped < 8) {
                if (ring.cqReady()) {
                    int id = (int) ring.cqeUserData();
                    assertEquals(0, ring.cqeRes());
                    assertFalse(seen[id], "completion " + id + " twice");
                    seen[id] = true;
                    ring.cqAdvance();
                    reaped++;
                } else {
                    int r = ring.enter(0, 1, true);
                    assertTrue(r >= 0 || r == -Linux.ETIME || r == -Linux.EINTR, "io_uring_enter gave " + r);
                    assertTrue(++waits < 100, "overflowed completions never came back");
                }
            }
            assertFalse(ring.cqOverflowed());
            assertFalse(ring.cqReady());
        }
    }
}
