package io.inlay.cli.mpi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Started by {@link NativeMpiTest} under mpirun: exercises every collective and prints one line of
 * results per rank for the test to check.
 */
public final class MpiProbe {
    private MpiProbe() {}

    private static int length(String s) {
        return s.length();
    }

    public static void main(String[] args) {
        try (Comm comm = Mpi.connect(System.getenv())) {
            int r = comm.rank();
            int n = comm.size();
            comm.barrier();
            double[] sum = comm.allreduce(new double[] {r + 0.5, 1}, ReduceOp.SUM);
            double[] max = comm.allreduce(new double[] {r}, ReduceOp.MAX);
            double[] min = comm.allreduce(new double[] {r + 10}, ReduceOp.MIN);
            long[] lsum = comm.allreduce(new long[] {(1L << 40) + r}, ReduceOp.SUM);
            long[] lmax = comm.allreduce(new long[] {-r}, ReduceOp.MAX);
            long[] lmin = comm.allreduce(new long[] {-r}, ReduceOp.MIN);
            byte[][] gathered = comm.gather(("rank" + r + "x".repeat(r)).getBytes(StandardCharsets.UTF_8), 0);
            byte[] b = comm.bcast(r == 0 ? "from-root".getBytes(StandardCharsets.UTF_8) : null, 0);
            StringBuilder g = new StringBuilder();
            if (gathered != null) {
                for (byte[] x : gathered) {
                    g.append(new String(x, StandardCharsets.UTF_8)).append(',');
                }
            }
            boolean wrongThread = false;
            Thread t = new Thread(() -> {
                try {
                    comm.barrier();
                } catch (IllegalStateException e) {
                    // expected: FUNNELED
                }
            });
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // the JVM's implicit null checks trap SIGSEGV: a transport library's handler (UCX's) must not take them
            int npes = 0;
            for (int i = 0; i < 300_000; i++) {
                try {
                    npes += length(i % 2 == 0 ? null : "x");
                } catch (NullPointerException e) {
                    npes++;
                }
            }
            NodeLayout nl = comm.nodes();
            System.out.println(String.format(Locale.ROOT,
                    "PROBE npes=" + (npes > 0) + " rank=%d size=%d connected=%b sum=%s max=%s min=%s lsum=%d lmax=%d lmin=%d gather=%s bcast=%s node=%d/%d local=%d/%d lib=%s",
                    r, n, comm.connected(), Arrays.toString(sum), Arrays.toString(max), Arrays.toString(min), lsum[0], lmax[0],
                    lmin[0], g, new String(b, StandardCharsets.UTF_8), nl.node(), nl.nodes(), nl.localRank(), nl.localSize(),
                    comm.description().replace(' ', '_')));
        } catch (MpiException e) {
            System.out.println("PROBE-ERROR " + e.getMessage());
            System.exit(3);
        }
    }
}
