package io.inlay.cli.mpi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.inlay.cli.mpi.MpiAbi.Handle;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Comm} over the C library libmpi through the FFM API (no JNI, nothing compiled). Handles
 * are {@link MemorySegment} addresses under Open MPI's ABI and {@code Integer}s under MPICH's
 * (see {@link MpiAbi}); the ABI is detected when the library is loaded.
 *
 * <p>MPI is initialised with {@code MPI_THREAD_FUNNELED}: the JVM is multi-threaded (reader
 * threads, GC, JIT), so {@code MPI_THREAD_SINGLE} would be untrue, but only the thread that
 * initialised MPI ever calls it, so the library needs no locking of its own
 * ({@code MPI_THREAD_SERIALIZED} or {@code MULTIPLE} would buy nothing and cost on some
 * libraries). Every call checks that it comes from that thread.
 */
final class NativeMpi implements Comm {
    private static final Linker LINKER = Linker.nativeLinker();

    private final Functions fn;
    private final Object world;
    private final Thread owner;
    private final int rank;
    private final int size;
    private final NodeLayout nodes;
    private final String description;
    private final MethodHandle barrierWorld;
    private boolean closed;

    /**
     * The JVM takes SIGSEGV, SIGBUS and SIGFPE for itself (implicit null checks, safepoints): a
     * transport library that installs its own handlers for them turns the JVM's routine traps
     * into crashes. UCX (under MPICH's ch4:ucx and Open MPI's pml ucx) does unless
     * {@code UCX_ERROR_SIGNALS} is empty; set it so before libmpi is loaded (UCX reads it when
     * its library is), unless the user set it.
     */
    static final Map<String, String> SIGNAL_SAFE_ENV = Map.of("UCX_ERROR_SIGNALS", "");

    private static void protectJvmSignals() {
        Optional<MemorySegment> setenv = LINKER.defaultLookup().find("setenv");
        if (setenv.isEmpty()) {
            return;
        }
        MethodHandle mh = LINKER.downcallHandle(setenv.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            for (Map.Entry<String, String> e : SIGNAL_SAFE_ENV.entrySet()) {
                int rc = (int) mh.invokeExact(a.allocateFrom(e.getKey()), a.allocateFrom(e.getValue()), 0);
                if (rc != 0) {
                    throw new MpiException("setenv " + e.getKey() + " failed");
                }
            }
        } catch (MpiException e) {
            throw e;
        } catch (Throwable t) {
            throw new MpiException("setenv: " + t, t);
        }
    }

    private NativeMpi(Functions fn) {
        this.fn = fn;
        this.owner = Thread.currentThread();
        this.world = fn.handle(Handle.COMM_WORLD);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment provided = a.allocate(JAVA_INT);
            check("MPI_Init_thread", (int) fn.call(fn.initThread, MemorySegment.NULL, MemorySegment.NULL,
                    MpiAbi.THREAD_FUNNELED, provided));
            int level = provided.get(JAVA_INT, 0);
            if (level < MpiAbi.THREAD_FUNNELED) {
                throw new MpiException(fn.library + " offers thread level " + level
                        + " (MPI_THREAD_SINGLE): Inlay needs MPI_THREAD_FUNNELED, as its reader threads never call MPI");
            }
            this.rank = commInt(a, fn.commRank, world);
            this.size = commInt(a, fn.commSize, world);
        }
        this.barrierWorld = MethodHandles.insertArguments(fn.barrier, 0, world);
        this.nodes = layout();
        this.description = fn.version;
    }

    /**
     * Loads libmpi and initialises MPI.
     *
     * @param candidates library names or paths, tried in order
     * @throws MpiException naming every library tried when none loads, or the call that failed
     */
    static NativeMpi init(List<String> candidates) {
        return new NativeMpi(Functions.load(candidates));
    }

    /** Which ABI the loaded library has. */
    MpiAbi abi() {
        return fn.abi;
    }

    /** The library that was loaded. */
    String library() {
        return fn.library;
    }

    private int commInt(Arena a, MethodHandle f, Object comm) {
        MemorySegment out = a.allocate(JAVA_INT);
        check(f == fn.commRank ? "MPI_Comm_rank" : "MPI_Comm_size", (int) fn.call(f, comm, out));
        return out.get(JAVA_INT, 0);
    }

    /** Nodes from MPI_Comm_split_type(SHARED); node numbers from a communicator of the nodes' leaders. */
    private NodeLayout layout() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(fn.handleLayout);
            check("MPI_Comm_split_type", (int) fn.call(fn.commSplitType, world, fn.abi.commTypeShared(), rank,
                    fn.handle(Handle.INFO_NULL), out));
            Object local = fn.readHandle(out);
            int localRank = commInt(a, fn.commRank, local);
            int localSize = commInt(a, fn.commSize, local);
            MemorySegment leadersOut = a.allocate(fn.handleLayout);
            check("MPI_Comm_split", (int) fn.call(fn.commSplit, world, localRank == 0 ? 0 : MpiAbi.UNDEFINED, rank,
                    leadersOut));
            Object leaders = fn.readHandle(leadersOut);
            MemorySegment nodeInfo = a.allocate(JAVA_INT, 2);
            if (localRank == 0) {
                nodeInfo.setAtIndex(JAVA_INT, 0, commInt(a, fn.commRank, leaders));
                nodeInfo.setAtIndex(JAVA_INT, 1, commInt(a, fn.commSize, leaders));
            }
            check("MPI_Bcast", (int) fn.call(fn.bcast, nodeInfo, 2, fn.handle(Handle.INT), 0, local));
            free(a, local);
            if (!fn.isNull(leaders)) {
                free(a, leaders);
            }
            return new NodeLayout(nodeInfo.getAtIndex(JAVA_INT, 0), nodeInfo.getAtIndex(JAVA_INT, 1), localRank, localSize);
        }
    }

    private void free(Arena a, Object comm) {
        MemorySegment p = a.allocate(fn.handleLayout);
        fn.writeHandle(p, comm);
        check("MPI_Comm_free", (int) fn.call(fn.commFree, p));
    }

    private void ownerOnly() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("MPI called from thread '" + Thread.currentThread().getName()
                    + "': MPI runs MPI_THREAD_FUNNELED here, only thread '" + owner.getName() + "' that initialised it may call it");
        }
        if (closed) {
            throw new IllegalStateException("MPI was finalised");
        }
    }

    private static void check(String call, int rc) {
        if (rc != 0) {
            throw new MpiException(call + " failed with MPI error code " + rc);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public NodeLayout nodes() {
        return nodes;
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void barrier() {
        ownerOnly();
        int rc;
        try {
            rc = (int) barrierWorld.invokeExact();
        } catch (Throwable t) {
            throw Functions.unexpected("MPI_Barrier", t);
        }
        check("MPI_Barrier", rc);
    }

    @Override
    public double[] allreduce(double[] values, ReduceOp op) {
        ownerOnly();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment send = a.allocateFrom(JAVA_DOUBLE, values.length == 0 ? new double[1] : values);
            MemorySegment recv = a.allocate(JAVA_DOUBLE, Math.max(1, values.length));
            check("MPI_Allreduce", (int) fn.call(fn.allreduce, send, recv, values.length, fn.handle(Handle.DOUBLE),
                    fn.handle(Handle.of(op)), world));
            return values.length == 0 ? new double[0] : recv.toArray(JAVA_DOUBLE);
        }
    }

    @Override
    public long[] allreduce(long[] values, ReduceOp op) {
        ownerOnly();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment send = a.allocateFrom(JAVA_LONG, values.length == 0 ? new long[1] : values);
            MemorySegment recv = a.allocate(JAVA_LONG, Math.max(1, values.length));
            check("MPI_Allreduce", (int) fn.call(fn.allreduce, send, recv, values.length, fn.handle(Handle.INT64),
                    fn.handle(Handle.of(op)), world));
            return values.length == 0 ? new long[0] : recv.toArray(JAVA_LONG);
        }
    }

    @Override
    public byte[][] gather(byte[] mine, int root) {
        ownerOnly();
        checkRoot(root);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocateFrom(JAVA_INT, mine.length);
            MemorySegment lens = a.allocate(JAVA_INT, size);
            check("MPI_Gather", (int) fn.call(fn.gather, len, 1, fn.handle(Handle.INT), lens, 1, fn.handle(Handle.INT), root,
                    world));
            MemorySegment displs = a.allocate(JAVA_INT, size);
            long total = 0;
            if (rank == root) {
                for (int r = 0; r < size; r++) {
                    displs.setAtIndex(JAVA_INT, r, (int) total);
                    total += lens.getAtIndex(JAVA_INT, r);
                }
                if (total > Integer.MAX_VALUE) {
                    throw new MpiException("gather of " + total + " bytes is more than MPI_Gatherv can count");
                }
            }
            MemorySegment send = a.allocate(Math.max(1, mine.length));
            MemorySegment.copy(mine, 0, send, JAVA_BYTE, 0, mine.length);
            MemorySegment recv = a.allocate(Math.max(1, total));
            check("MPI_Gatherv", (int) fn.call(fn.gatherv, send, mine.length, fn.handle(Handle.BYTE), recv, lens, displs,
                    fn.handle(Handle.BYTE), root, world));
            if (rank != root) {
                return null;
            }
            byte[][] out = new byte[size][];
            for (int r = 0; r < size; r++) {
                out[r] = recv.asSlice(displs.getAtIndex(JAVA_INT, r), lens.getAtIndex(JAVA_INT, r)).toArray(JAVA_BYTE);
            }
            return out;
        }
    }

    @Override
    public byte[] bcast(byte[] data, int root) {
        ownerOnly();
        checkRoot(root);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocateFrom(JAVA_INT, rank == root ? data.length : 0);
            check("MPI_Bcast", (int) fn.call(fn.bcast, len, 1, fn.handle(Handle.INT), root, world));
            int n = len.get(JAVA_INT, 0);
            MemorySegment buf = a.allocate(Math.max(1, n));
            if (rank == root) {
                MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, n);
            }
            check("MPI_Bcast", (int) fn.call(fn.bcast, buf, n, fn.handle(Handle.BYTE), root, world));
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    private void checkRoot(int root) {
        if (root < 0 || root >= size) {
            throw new IllegalArgumentException("root " + root + " is not a rank of " + size);
        }
    }

    @Override
    public void abort(int code) {
        ownerOnly();
        fn.call(fn.abort, world, code);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        ownerOnly();
        closed = true;
        check("MPI_Finalize", (int) fn.call(fn.finalizeFn));
    }

    /** The library's functions, typed for its ABI. */
    static final class Functions {
        final String library;
        final MpiAbi abi;
        final String version;
        final ValueLayout handleLayout;
        final SymbolLookup lookup;
        final Map<Handle, Object> handles = new EnumMap<>(Handle.class);
        final MethodHandle initThread;
        final MethodHandle finalizeFn;
        final MethodHandle abort;
        final MethodHandle commRank;
        final MethodHandle commSize;
        final MethodHandle barrier;
        final MethodHandle allreduce;
        final MethodHandle bcast;
        final MethodHandle gather;
        final MethodHandle gatherv;
        final MethodHandle commSplitType;
        final MethodHandle commSplit;
        final MethodHandle commFree;

        private Functions(String library, SymbolLookup lookup, MpiAbi abi, String version) {
            this.library = library;
            this.lookup = lookup;
            this.abi = abi;
            this.version = version;
            this.handleLayout = abi == MpiAbi.OPEN_MPI ? ADDRESS : JAVA_INT;
            for (Handle h : Handle.values()) {
                handles.put(h, abi == MpiAbi.OPEN_MPI ? symbol(h) : Integer.valueOf(MpiAbi.mpichValue(h)));
            }
            ValueLayout h = handleLayout;
            initThread = fn("MPI_Init_thread", ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
            finalizeFn = fn("MPI_Finalize");
            abort = fn("MPI_Abort", h, JAVA_INT);
            commRank = fn("MPI_Comm_rank", h, ADDRESS);
            commSize = fn("MPI_Comm_size", h, ADDRESS);
            barrier = fn("MPI_Barrier", h);
            allreduce = fn("MPI_Allreduce", ADDRESS, ADDRESS, JAVA_INT, h, h, h);
            bcast = fn("MPI_Bcast", ADDRESS, JAVA_INT, h, JAVA_INT, h);
            gather = fn("MPI_Gather", ADDRESS, JAVA_INT, h, ADDRESS, JAVA_INT, h, JAVA_INT, h);
            gatherv = fn("MPI_Gatherv", ADDRESS, JAVA_INT, h, ADDRESS, ADDRESS, ADDRESS, h, JAVA_INT, h);
            commSplitType = fn("MPI_Comm_split_type", h, JAVA_INT, JAVA_INT, h, ADDRESS);
            commSplit = fn("MPI_Comm_split", h, JAVA_INT, JAVA_INT, ADDRESS);
            commFree = fn("MPI_Comm_free", ADDRESS);
        }

        /** Loads the first candidate that loads, and detects its ABI. */
        static Functions load(List<String> candidates) {
            protectJvmSignals();
            StringBuilder tried = new StringBuilder();
            for (String name : candidates) {
                SymbolLookup lookup;
                try {
                    lookup = name.contains("/") ? SymbolLookup.libraryLookup(java.nio.file.Path.of(name), Arena.global())
                            : SymbolLookup.libraryLookup(name, Arena.global());
                } catch (IllegalArgumentException e) {
                    tried.append(tried.isEmpty() ? "" : ", ").append(name);
                    continue;
                }
                return detect(name, lookup);
            }
            throw new MpiException("no libmpi could be loaded (tried " + tried
                    + "): install the MPI library of the launcher (Debian: openmpi-bin libopenmpi-dev, or mpich)"
                    + " or name it with INLAY_MPI_LIB=/path/to/libmpi.so");
        }

        private static Functions detect(String name, SymbolLookup lookup) {
            if (lookup.find("MPI_Init_thread").isEmpty()) {
                throw new MpiException(name + " has no MPI_Init_thread: it is not an MPI library");
            }
            String version = libraryVersion(lookup);
            MpiAbi abi;
            if (lookup.find("ompi_mpi_comm_world").isPresent()) {
                abi = MpiAbi.OPEN_MPI;
            } else if (version.contains("MPICH") || version.contains("Intel(R) MPI") || version.contains("MVAPICH")) {
                abi = MpiAbi.MPICH;
            } else {
                throw new MpiException(name + " (" + version + ") exports neither Open MPI's handles nor says it is MPICH:"
                        + " Inlay knows the Open MPI and MPICH ABIs only");
            }
            return new Functions(name, lookup, abi, version);
        }

        /** MPI_Get_library_version, callable before MPI_Init; its first line. */
        private static String libraryVersion(SymbolLookup lookup) {
            Optional<MemorySegment> f = lookup.find("MPI_Get_library_version");
            if (f.isEmpty()) {
                return "unknown MPI library";
            }
            MethodHandle mh = LINKER.downcallHandle(f.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(8192);
                MemorySegment len = a.allocate(JAVA_INT);
                int rc = (int) mh.invokeExact(buf, len);
                if (rc != 0) {
                    return "unknown MPI library";
                }
                String s = new String(buf.asSlice(0, Math.min(8191, Math.max(0, len.get(JAVA_INT, 0)))).toArray(JAVA_BYTE),
                        StandardCharsets.UTF_8);
                int nul = s.indexOf('\0');
                s = (nul >= 0 ? s.substring(0, nul) : s).strip();
                int nl = s.indexOf('\n');
                return (nl >= 0 ? s.substring(0, nl) : s).replaceAll("\\s+", " ").strip();
            } catch (Throwable t) {
                return "unknown MPI library";
            }
        }

        private MemorySegment symbol(Handle h) {
            String s = MpiAbi.openMpiSymbol(h);
            return lookup.find(s).orElseThrow(() -> new MpiException(library + " lacks " + s
                    + ": not the Open MPI ABI it seemed to be"));
        }

        private MethodHandle fn(String name, MemoryLayout... args) {
            MemorySegment addr = lookup.find(name).orElseThrow(() -> new MpiException(library + " lacks " + name));
            return LINKER.downcallHandle(addr, FunctionDescriptor.of(JAVA_INT, args));
        }

        Object handle(Handle h) {
            return handles.get(h);
        }

        Object readHandle(MemorySegment out) {
            return abi == MpiAbi.OPEN_MPI ? out.get(ADDRESS, 0) : Integer.valueOf(out.get(JAVA_INT, 0));
        }

        void writeHandle(MemorySegment out, Object handle) {
            if (abi == MpiAbi.OPEN_MPI) {
                out.set(ADDRESS, 0, (MemorySegment) handle);
            } else {
                out.set(JAVA_INT, 0, (Integer) handle);
            }
        }

        boolean isNull(Object comm) {
            Object n = handle(Handle.COMM_NULL);
            return abi == MpiAbi.OPEN_MPI ? ((MemorySegment) comm).address() == ((MemorySegment) n).address() : comm.equals(n);
        }

        Object call(MethodHandle f, Object... args) {
            try {
                return f.invokeWithArguments(args);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw unexpected(library, t);
            }
        }

        static MpiException unexpected(String what, Throwable t) {
            return new MpiException(what + ": " + t, t);
        }
    }
}
