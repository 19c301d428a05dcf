package io.inlay.engine.internal.io.uring;

import static io.inlay.engine.internal.io.uring.Abi.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: the ring file descriptor, its three shared mappings (SQ ring, CQ ring,
 * SQE array; the two rings share one mapping where the kernel offers
 * {@code IORING_FEAT_SINGLE_MMAP}) and the few operations {@link UringReadQueue} builds on: write
 * an SQE and publish it, enter the kernel, read and retire a CQE.
 *
 * <p><b>Memory ordering.</b> The rings are shared with the kernel, which runs concurrently. This
 * side owns the SQ tail and the CQ head; the kernel owns the SQ head and the CQ tail. An SQE is
 * written with plain stores and then published by a store-release of the SQ tail (the kernel
 * load-acquires it); the SQ head is load-acquired before its slots are counted free. The CQ tail
 * is load-acquired before a CQE is read, and the CQ head is store-released after it has been
 * read, so the kernel does not overwrite the entry early. Each pair matches the kernel's
 * {@code smp_load_acquire}/{@code smp_store_release} on the same word.
 *
 * <p><b>Threads and memory.</b> Confined to the thread that opened it: every mapping and the
 * scratch structures (call state, wait argument, probe) belong to a confined {@link Arena}, so
 * use from another thread fails with {@link WrongThreadException}. {@link #close()} unmaps and
 * closes the fd; the caller must first have waited for every request that writes user memory.
 */
@SuppressWarnings("restricted") // binding libc and mapping the kernel's rings is what this class is for
final class Ring implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    /** How long one wait in the kernel lasts before the caller looks at its interrupt status again. */
    static final long WAIT_SLICE_NANOS = 10_000_000L;

    private final Arena arena;
    private final MemorySegment state;
    private final MemorySegment waitArg;
    private final int fd;
    private final int features;
    private final int setupFlags;
    private final boolean readSupported;

    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqRingSize;
    private final long cqRingSize;
    private final long sqesSize;
    private final boolean singleMmap;

    private final long sqHead;
    private final long sqTail;
    private final long sqFlags;
    private final int sqMask;
    private final int sqEntries;
    private final long cqHead;
    private final long cqTail;
    private final long cqes;
    private final int cqMask;
    private final int cqEntries;

    /** Our copy of the SQ tail: SQEs written so far (wraps; compared by difference). */
    private int sqTailLocal;
    /** Our copy of the CQ head: CQEs retired so far. */
    private int cqHeadLocal;
    private boolean closed;

    private Ring(Arena arena, MemorySegment state, MemorySegment params, int fd, MemorySegment sqRing,
            MemorySegment cqRing, MemorySegment sqes, long sqRingSize, long cqRingSize, long sqesSize,
            boolean readSupported) {
        this.arena = arena;
        this.state = state;
        this.fd = fd;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sqRingSize = sqRingSize;
        this.cqRingSize = cqRingSize;
        this.sqesSize = sqesSize;
        this.readSupported = readSupported;
        this.features = params.get(ValueLayout.JAVA_INT, P_FEATURES);
        this.setupFlags = params.get(ValueLayout.JAVA_INT, P_FLAGS);
        this.singleMmap = sqRing == cqRing;
        this.sqEntries = params.get(ValueLayout.JAVA_INT, P_SQ_ENTRIES);
        this.cqEntries = params.get(ValueLayout.JAVA_INT, P_CQ_ENTRIES);
        this.sqHead = params.get(ValueLayout.JAVA_INT, P_SQ_OFF + SQ_HEAD);
        this.sqTail = params.get(ValueLayout.JAVA_INT, P_SQ_OFF + SQ_TAIL);
        this.sqFlags = params.get(ValueLayout.JAVA_INT, P_SQ_OFF + SQ_FLAGS);
        this.sqMask = sqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, P_SQ_OFF + SQ_RING_MASK));
        this.cqHead = params.get(ValueLayout.JAVA_INT, P_CQ_OFF + CQ_HEAD);
        this.cqTail = params.get(ValueLayout.JAVA_INT, P_CQ_OFF + CQ_TAIL);
        this.cqes = params.get(ValueLayout.JAVA_INT, P_CQ_OFF + CQ_CQES);
        this.cqMask = cqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, P_CQ_OFF + CQ_RING_MASK));
        this.sqTailLocal = (int) INT.getAcquire(sqRing, sqTail);
        this.cqHeadLocal = (int) INT.getAcquire(cqRing, cqHead);

        // SQ array slot i names SQE i for good: the SQE for tail t is always written at t & mask
        long array = params.get(ValueLayout.JAVA_INT, P_SQ_OFF + SQ_ARRAY);
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(ValueLayout.JAVA_INT, array + 4L * i, i);
        }

        // the wait argument of io_uring_enter(EXT_ARG): no signal mask, a timeout of one slice
        this.waitArg = arena.allocate(GETEVENTS_ARG_SIZE + TIMESPEC_SIZE, 8);
        MemorySegment ts = waitArg.asSlice(GETEVENTS_ARG_SIZE, TIMESPEC_SIZE);
        ts.set(ValueLayout.JAVA_LONG, 0, WAIT_SLICE_NANOS / 1_000_000_000L);
        ts.set(ValueLayout.JAVA_LONG, 8, WAIT_SLICE_NANOS % 1_000_000_000L);
        waitArg.set(ValueLayout.JAVA_LONG, ARG_TS, ts.address());
    }

    /**
     * Sets up a ring of at least {@code entries} SQEs (the kernel rounds up to a power of two) and
     * twice as many CQEs unless {@code setup} says how many, and maps it.
     *
     * @throws IOException one line naming why io_uring cannot be used; nothing is left open
     */
    static Ring open(int entries, RingSetup setup) throws IOException {
        if (Linux.UNAVAILABLE != null) {
            throw refused(Linux.UNAVAILABLE);
        }
        Arena arena = Arena.ofConfined();
        MemorySegment state = Linux.callState(arena);
        int fd = -1;
        long sqAddr = 0;
        long sqSize = 0;
        long cqAddr = 0;
        long cqSize = 0;
        long sqeAddr = 0;
        long sqeSize = 0;
        boolean ok = false;
        try {
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            int flags = setup.flags() | (setup.cqEntries() > 0 ? IORING_SETUP_CQSIZE : 0);
            long r = setup(state, params, entries, setup.cqEntries(), flags | setup.optionalFlags());
            if (r == -Linux.EINVAL && setup.optionalFlags() != 0) {
                r = setup(state, params, entries, setup.cqEntries(), flags);
            }
            if (r < 0) {
                throw refused("io_uring_setup failed with " + setupError((int) -r));
            }
            fd = (int) r;
            int features = params.get(ValueLayout.JAVA_INT, P_FEATURES);
            int missing = setup.requiredFeatures() & ~features;
            if (missing != 0) {
                throw refused("the kernel lacks " + featureNames(missing));
            }
            int sqEntries = params.get(ValueLayout.JAVA_INT, P_SQ_ENTRIES);
            int cqGiven = params.get(ValueLayout.JAVA_INT, P_CQ_ENTRIES);
            sqSize = params.get(ValueLayout.JAVA_INT, P_SQ_OFF + SQ_ARRAY) + 4L * sqEntries;
            cqSize = params.get(ValueLayout.JAVA_INT, P_CQ_OFF + CQ_CQES) + CQE_SIZE * cqGiven;
            boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
            if (single) {
                sqSize = Math.max(sqSize, cqSize);
                cqSize = 0;
            }
            sqAddr = map(state, sqSize, fd, IORING_OFF_SQ_RING, "SQ ring");
            cqAddr = single ? sqAddr : map(state, cqSize, fd, IORING_OFF_CQ_RING, "CQ ring");
            sqeSize = SQE_SIZE * sqEntries;
            sqeAddr = map(state, sqeSize, fd, IORING_OFF_SQES, "SQE array");
            MemorySegment sqRing = MemorySegment.ofAddress(sqAddr).reinterpret(sqSize, arena, null);
            MemorySegment cqRing = single ? sqRing
                    : MemorySegment.ofAddress(cqAddr).reinterpret(cqSize, arena, null);
            MemorySegment sqes = MemorySegment.ofAddress(sqeAddr).reinterpret(sqeSize, arena, null);
            Ring ring = new Ring(arena, state, params, fd, sqRing, cqRing, sqes, sqSize, cqSize, sqeSize,
                    probeRead(arena, state, fd));
            ok = true;
            return ring;
        } finally {
            if (!ok) {
                // a failure part way leaves nothing behind: mappings, then the fd, then the scratch
                unmapQuietly(state, sqeAddr, sqeSize);
                if (cqAddr != sqAddr) {
                    unmapQuietly(state, cqAddr, cqSize);
                }
                unmapQuietly(state, sqAddr, sqSize);
                if (fd >= 0) {
                    Linux.close(state, fd);
                }
                arena.close();
            }
        }
    }

    /** {@code io_uring_setup} with fresh parameters: the ring fd, or {@code -errno}. */
    private static long setup(MemorySegment state, MemorySegment params, int entries, int cqEntries, int flags) {
        params.fill((byte) 0);
        params.set(ValueLayout.JAVA_INT, P_CQ_ENTRIES, cqEntries);
        params.set(ValueLayout.JAVA_INT, P_FLAGS, flags);
        return Linux.syscall(state, SYS_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
    }

    private static long map(MemorySegment state, long size, int fd, long offset, String what) throws IOException {
        long addr = Linux.mmapShared(state, size, fd, offset);
        if (addr < 0) {
            int errno = (int) -addr;
            throw refused("mapping the " + what + " failed with " + Linux.describe(errno) + " (" + Linux.name(errno)
                    + (errno == Linux.ENOMEM ? ": out of memory or locked-memory limit (ulimit -l) too low" : "") + ")");
        }
        return addr;
    }

    private static void unmapQuietly(MemorySegment state, long addr, long size) {
        if (addr != 0 && size > 0) {
            Linux.munmap(state, addr, size);
        }
    }

    /** Whether the kernel's probe lists IORING_OP_READ; false where it has no probe (before 5.6). */
    private static boolean probeRead(Arena arena, MemorySegment state, int fd) {
        MemorySegment probe = arena.allocate(PROBE_SIZE, 8);
        long r = Linux.syscall(state, SYS_IO_URING_REGISTER, fd, IORING_REGISTER_PROBE, probe.address(), PROBE_OPS, 0, 0);
        if (r < 0) {
            return false;
        }
        int opsLen = Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, PROBE_OPS_LEN));
        if (IORING_OP_READ >= opsLen) {
            return false;
        }
        short flags = probe.get(ValueLayout.JAVA_SHORT, 16 + 8L * IORING_OP_READ + PROBE_OP_FLAGS);
        return (flags & IO_URING_OP_SUPPORTED) != 0;
    }

    static IOException refused(String why) {
        return new IOException("io_uring is not available: " + why);
    }

    private static String setupError(int errno) {
        String words = Linux.describe(errno) + " (" + Linux.name(errno);
        return words + switch (errno) {
            case Linux.EPERM -> ": blocked by seccomp or kernel.io_uring_disabled)";
            case Linux.ENOSYS -> ": the kernel has no io_uring, older than 5.1 or built without it, or seccomp hides it)";
            case Linux.ENOMEM -> ": out of memory or locked-memory limit (ulimit -l) too low)";
            case Linux.EINVAL -> ": the kernel rejected the ring's parameters)";
            case Linux.EMFILE, Linux.ENFILE -> ": out of file descriptors)";
            case Linux.EACCES -> ": denied by a security module)";
            default -> ")";
        };
    }

    private static String featureNames(int missing) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 32; bit++) {
            int feature = 1 << bit;
            if ((missing & feature) == 0) {
                continue;
            }
            if (!s.isEmpty()) {
                s.append(" and ");
            }
            s.append(switch (feature) {
                case IORING_FEAT_SINGLE_MMAP -> "IORING_FEAT_SINGLE_MMAP (Linux 5.4 or later)";
                case IORING_FEAT_NODROP -> "IORING_FEAT_NODROP (Linux 5.5 or later)";
                case IORING_FEAT_SUBMIT_STABLE -> "IORING_FEAT_SUBMIT_STABLE (Linux 5.5 or later)";
                case IORING_FEAT_EXT_ARG -> "IORING_FEAT_EXT_ARG (Linux 5.11 or later)";
                default -> "feature bit " + bit;
            });
        }
        return s.toString();
    }

    int sqEntries() {
        return sqEntries;
    }

    int cqEntries() {
        return cqEntries;
    }

    int features() {
        return features;
    }

    int setupFlags() {
        return setupFlags;
    }

    boolean readSupported() {
        return readSupported;
    }

    /** Zeroed memory that lives as long as the ring, confined like it (iovecs for READV). */
    MemorySegment scratch(long bytes) {
        return arena.allocate(bytes, 8);
    }

    /** SQEs written and not yet taken by the kernel (load-acquire of the SQ head). */
    int unsubmitted() {
        return sqTailLocal - (int) INT.getAcquire(sqRing, sqHead);
    }

    /**
     * Writes one SQE at the tail and publishes it (store-release of the SQ tail). The kernel sees
     * it at the next {@link #enter}. The caller has checked that the SQ has room.
     */
    void push(byte opcode, int fd, long offset, long addr, int len, long userData) {
        long sqe = SQE_SIZE * (sqTailLocal & sqMask);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_OPCODE, opcode);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, (byte) 0);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_IOPRIO, (short) 0);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_OFF, offset);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR, addr);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_LEN, len);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_RW_FLAGS, 0);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_USER_DATA, userData);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_TAIL_0, 0L);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_TAIL_1, 0L);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_TAIL_2, 0L);
        sqTailLocal++;
        INT.setRelease(sqRing, sqTail, sqTailLocal);
    }

    /**
     * {@code io_uring_enter}: submits {@code toSubmit} SQEs and, with {@code wait}, waits until
     * {@code minComplete} CQEs are ready or one {@link #WAIT_SLICE_NANOS} slice has passed.
     *
     * @return SQEs submitted (&ge; 0), or {@code -errno}: {@code -ETIME} when the slice ran out,
     *     {@code -EINTR} when a signal arrived, {@code -EAGAIN}/{@code -EBUSY} when the kernel wants
     *     completions reaped or resources freed first
     */
    int enter(int toSubmit, int minComplete, boolean wait) {
        long r = wait
                ? Linux.syscall(state, SYS_IO_URING_ENTER, fd, toSubmit, minComplete,
                        IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, waitArg.address(), GETEVENTS_ARG_SIZE)
                : Linux.syscall(state, SYS_IO_URING_ENTER, fd, toSubmit, 0, 0, 0, 0);
        return (int) r;
    }

    /** Whether a CQE is ready (load-acquire of the CQ tail). */
    boolean cqReady() {
        return (int) INT.getAcquire(cqRing, cqTail) != cqHeadLocal;
    }

    /** Whether the kernel holds completions that did not fit the CQ (IORING_FEAT_NODROP keeps them). */
    boolean cqOverflowed() {
        return ((int) INT.getAcquire(sqRing, sqFlags) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** The user data of the CQE at the head; only after {@link #cqReady()}. */
    long cqeUserData() {
        return cqRing.get(ValueLayout.JAVA_LONG, cqes + CQE_SIZE * (cqHeadLocal & cqMask) + CQE_USER_DATA);
    }

    /** The result of the CQE at the head; only after {@link #cqReady()}. */
    int cqeRes() {
        return cqRing.get(ValueLayout.JAVA_INT, cqes + CQE_SIZE * (cqHeadLocal & cqMask) + CQE_RES);
    }

    /** Retires the CQE at the head (store-release of the CQ head: the kernel may reuse its slot). */
    void cqAdvance() {
        cqHeadLocal++;
        INT.setRelease(cqRing, cqHead, cqHeadLocal);
    }

    /** Unmaps the rings and closes the ring fd (the kernel then tears the ring down). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Linux.munmap(state, sqes.address(), sqesSize);
        if (!singleMmap) {
            Linux.munmap(state, cqRing.address(), cqRingSize);
        }
        Linux.munmap(state, sqRing.address(), sqRingSize);
        Linux.close(state, fd);
        arena.close();
    }
}
