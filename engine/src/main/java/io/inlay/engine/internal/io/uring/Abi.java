package io.inlay.engine.internal.io.uring;

/**
 * The kernel's io_uring ABI as this package uses it: system call numbers, flags, feature bits,
 * opcodes and the byte offsets of the structures shared with the kernel, from
 * {@code include/uapi/linux/io_uring.h}. All structures are little-endian on the two
 * architectures supported (x86-64 and arm64), in the machine's native order.
 *
 * <pre>
 * struct io_uring_params (120 bytes), filled by io_uring_setup(2):
 *   0 u32 sq_entries      4 u32 cq_entries      8 u32 flags          12 u32 sq_thread_cpu
 *  16 u32 sq_thread_idle 20 u32 features       24 u32 wq_fd         28 u32 resv[3]
 *  40 struct io_sqring_offsets sq_off (40 bytes, offsets into the SQ ring mapping):
 *       +0 head  +4 tail  +8 ring_mask  +12 ring_entries  +16 flags  +20 dropped  +24 array
 *       +28 resv1  +32 u64 user_addr
 *  80 struct io_cqring_offsets cq_off (40 bytes, offsets into the CQ ring mapping):
 *       +0 head  +4 tail  +8 ring_mask  +12 ring_entries  +16 overflow  +20 cqes  +24 flags
 *       +28 resv1  +32 u64 user_addr
 *
 * struct io_uring_sqe (64 bytes), one submission, in the SQE array (its own mapping):
 *    0               1               2               3               4 ... 7
 *   +---------------+---------------+---------------+---------------+-------------------------------+
 *   | opcode   u8   | flags    u8   | ioprio      u16               | fd                       s32  |
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  8: off   u64  file offset                                                                    |
 *   | 16: addr  u64  buffer address (READ) or iovec array (READV); for ASYNC_CANCEL the user_data   |
 *   | 24: len   u32  bytes (READ) or iovec count (READV)  | 28: rw_flags u32 (RWF_*, 0 here)        |
 *   | 32: user_data u64  returned unchanged in the completion                                       |
 *   | 40: buf_index u16 | 42: personality u16 | 44: splice_fd_in / file_index s32                   |
 *   | 48: addr3 u64 | 56: pad u64                      (all of 40..63 must be 0 for READ/READV)    |
 *   +-----------------------------------------------------------------------------------------------+
 *
 * struct io_uring_cqe (16 bytes), one completion, in the CQ ring after cq_off.cqes:
 *    0 u64 user_data     8 s32 res (bytes read or -errno)     12 u32 flags
 *
 * struct io_uring_getevents_arg (24 bytes), io_uring_enter(2) with IORING_ENTER_EXT_ARG:
 *    0 u64 sigmask   8 u32 sigmask_sz   12 u32 min_wait_usec (was pad)   16 u64 ts (timespec *)
 *
 * struct io_uring_probe (16 bytes + 8 per op), io_uring_register(2) IORING_REGISTER_PROBE:
 *    0 u8 last_op   1 u8 ops_len   2 u16 resv   4 u32 resv2[3]
 *   16 struct io_uring_probe_op[]: +0 u8 op  +1 u8 resv  +2 u16 flags (IO_URING_OP_SUPPORTED)  +4 u32 resv2
 * </pre>
 */
final class Abi {
    private Abi() {}

    // system call numbers: the same on x86-64 and arm64 (and every architecture using the generic table)
    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final long SYS_IO_URING_REGISTER = 427;

    // mmap offsets selecting which part of the ring a mapping of the ring fd gives
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;

    // io_uring_setup flags
    static final int IORING_SETUP_CQSIZE = 1 << 3;
    static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;

    // io_uring_params.features
    static final int IORING_FEAT_SINGLE_MMAP = 1;
    static final int IORING_FEAT_NODROP = 1 << 1;
    static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    static final int IORING_FEAT_EXT_ARG = 1 << 8;

    // io_uring_enter flags
    static final int IORING_ENTER_GETEVENTS = 1;
    static final int IORING_ENTER_EXT_ARG = 1 << 3;

    // SQ ring flags (kernel-written)
    static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;

    // opcodes
    static final byte IORING_OP_NOP = 0;
    static final byte IORING_OP_READV = 1;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final byte IORING_OP_READ = 22;

    // io_uring_register opcodes
    static final int IORING_REGISTER_PROBE = 8;
    static final int IO_URING_OP_SUPPORTED = 1;

    // struct io_uring_params
    static final long PARAMS_SIZE = 120;
    static final long P_SQ_ENTRIES = 0;
    static final long P_CQ_ENTRIES = 4;
    static final long P_FLAGS = 8;
    static final long P_FEATURES = 20;
    static final long P_SQ_OFF = 40;
    static final long P_CQ_OFF = 80;

    // struct io_sqring_offsets, relative to P_SQ_OFF
    static final long SQ_HEAD = 0;
    static final long SQ_TAIL = 4;
    static final long SQ_RING_MASK = 8;
    static final long SQ_RING_ENTRIES = 12;
    static final long SQ_FLAGS = 16;
    static final long SQ_ARRAY = 24;

    // struct io_cqring_offsets, relative to P_CQ_OFF
    static final long CQ_HEAD = 0;
    static final long CQ_TAIL = 4;
    static final long CQ_RING_MASK = 8;
    static final long CQ_RING_ENTRIES = 12;
    static final long CQ_OVERFLOW = 16;
    static final long CQ_CQES = 20;

    // struct io_uring_sqe
    static final long SQE_SIZE = 64;
    static final long SQE_OPCODE = 0;
    static final long SQE_FLAGS = 1;
    static final long SQE_IOPRIO = 2;
    static final long SQE_FD = 4;
    static final long SQE_OFF = 8;
    static final long SQE_ADDR = 16;
    static final long SQE_LEN = 24;
    static final long SQE_RW_FLAGS = 28;
    static final long SQE_USER_DATA = 32;
    static final long SQE_TAIL_0 = 40;
    static final long SQE_TAIL_1 = 48;
    static final long SQE_TAIL_2 = 56;

    // struct io_uring_cqe
    static final long CQE_SIZE = 16;
    static final long CQE_USER_DATA = 0;
    static final long CQE_RES = 8;

    // struct io_uring_getevents_arg and the timespec it points to
    static final long GETEVENTS_ARG_SIZE = 24;
    static final long ARG_TS = 16;
    static final long TIMESPEC_SIZE = 16;

    // struct io_uring_probe
    static final int PROBE_OPS = 256;
    static final long PROBE_SIZE = 16 + 8L * PROBE_OPS;
    static final long PROBE_OPS_LEN = 1;
    static final long PROBE_OP_FLAGS = 2;

    /** The most bytes one read(2) transfers (MAX_RW_COUNT: INT_MAX rounded down to a page). */
    static final long MAX_RW_COUNT = 0x7ffff000L;
}
