package io.inlay.engine.internal.io.uring;

import static io.inlay.engine.internal.io.uring.Abi.*;

/**
 * The kernel-facing choices of a ring: {@link #DEFAULT} for {@link UringReadQueue#open(int)};
 * tests vary them to make the kernel refuse, to shrink the CQ, or to take the READV path.
 *
 * @param cqEntries CQ entries ({@code IORING_SETUP_CQSIZE}), or 0 for the kernel's twice the SQ
 * @param flags {@code IORING_SETUP_*} flags the ring must have
 * @param optionalFlags flags asked for with {@code flags} and dropped if the kernel refuses them
 *     ({@code EINVAL}: a kernel older than the flag)
 * @param requiredFeatures {@code IORING_FEAT_*} bits without which the ring is refused
 * @param forceReadv READV even where the kernel's probe lists READ
 */
record RingSetup(int cqEntries, int flags, int optionalFlags, int requiredFeatures, boolean forceReadv) {
    /**
     * The features relied on: NODROP (no completion lost), EXT_ARG (waits with a timeout, so an
     * interrupt is seen). COOP_TASKRUN (Linux 5.19) when the kernel has it: completions are run when
     * the thread enters the kernel to wait rather than by interrupting it, which measured a little
     * less CPU per read here (A/B with none and with SINGLE_ISSUER|DEFER_TASKRUN, 1 MiB O_DIRECT
     * reads at depth 16); DEFER_TASKRUN, no better, would also tie the ring to one kernel task,
     * which a virtual thread is not.
     */
    static final RingSetup DEFAULT =
            new RingSetup(0, 0, IORING_SETUP_COOP_TASKRUN, IORING_FEAT_NODROP | IORING_FEAT_EXT_ARG, false);

    RingSetup withCqEntries(int n) {
        return new RingSetup(n, flags, optionalFlags, requiredFeatures, forceReadv);
    }

    RingSetup withFlags(int f, int optional) {
        return new RingSetup(cqEntries, f, optional, requiredFeatures, forceReadv);
    }

    RingSetup withRequiredFeatures(int features) {
        return new RingSetup(cqEntries, flags, optionalFlags, features, forceReadv);
    }

    RingSetup withReadv() {
        return new RingSetup(cqEntries, flags, optionalFlags, requiredFeatures, true);
    }
}
