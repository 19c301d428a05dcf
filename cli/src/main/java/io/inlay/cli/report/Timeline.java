package io.inlay.cli.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline of a rank's first seconds, drawn from its trace: one lane per thread, each moment
 * coloured by what the thread was doing there, its innermost event (an event's own time, less
 * the events nested in it). The window is cut into {@value #BINS} columns and each column shows
 * the activity that took most of it (nothing when the thread was busy less than a third of it),
 * so the page stays small whatever the trace holds; Perfetto shows the events themselves.
 */
final class Timeline {
    static final int BINS = 400;
    private static final double BUSY = 1.0 / 3;

    /** What a moment of a thread is drawn as: a name for the legend and a colour. */
    enum Activity {
        STORAGE("waiting on storage", "#1f77b4"),
        OPEN("opening files", "#17becf"),
        DECODE("decompressing, decoding", "#ff7f0e"),
        READING("reading a file (rest)", "#ffbb78"),
        CONSUMER_WAIT("reader waiting on the consumer", "#9467bd"),
        DATA_WAIT("accelerator waiting for data", "#d62728"),
        COMPUTE("accelerator computing", "#2ca02c"),
        ACCELERATOR("accelerator, other", "#98df8a"),
        BARRIER("barrier", "#7f7f7f"),
        WRITE("writing", "#8c564b"),
        TRACE("writing the trace", "#111111"),
        OTHER("other", "#c7c7c7");

        final String label;
        final String color;

        Activity(String label, String color) {
            this.label = label;
            this.color = color;
        }

        static Activity of(TraceFile.Event e) {
            return switch (e.cat()) {
                case "storage" -> STORAGE;
                case "io" -> OPEN;
                case "decode" -> DECODE;
                case "reader" -> switch (e.name()) {
                    case "consumer_wait" -> CONSUMER_WAIT;
                    case "evict" -> OPEN;
                    default -> READING;
                };
                case "train" -> switch (e.name()) {
                    case "data_wait" -> DATA_WAIT;
                    case "compute" -> COMPUTE;
                    default -> ACCELERATOR;
                };
                case "sync" -> BARRIER;
                case "write", "generate" -> WRITE;
                case "trace" -> TRACE;
                default -> OTHER;
            };
        }
    }

    /** One thread's lane: its name and, per column, the time of each activity (microseconds). */
    record Lane(String name, int role, double[][] bins) {}

    private Timeline() {}

    /** The lanes of {@code trace}'s threads over {@code [t0, t0 + seconds)} (microseconds since 1970). */
    static List<Lane> lanes(TraceFile trace, long t0, double seconds) {
        long span = Math.max(1, (long) (seconds * 1e6));
        Map<List<Long>, List<TraceFile.Event>> byThread = new LinkedHashMap<>();
        for (TraceFile.Event e : trace.events()) {
            byThread.computeIfAbsent(List.of(e.pid(), e.tid()), k -> new ArrayList<>()).add(e);
        }
        List<Lane> lanes = new ArrayList<>();
        for (var t : byThread.entrySet()) {
            double[][] bins = new double[BINS][Activity.values().length];
            int role = 2;
            for (TraceFile.Event e : t.getValue()) {
                if (e.name().equals("step")) {
                    role = 0;
                } else if (role > 1 && (e.name().equals("read_file") || e.cat().equals("write"))) {
                    role = 1;
                }
            }
            selfTimes(t.getValue(), (a, from, to) -> add(bins, a, from - t0, to - t0, span));
            String name = trace.threadNames().getOrDefault(t.getKey(), "thread " + t.getKey().get(1));
            lanes.add(new Lane(name, role, bins));
        }
        lanes.sort(Comparator.comparingInt(Lane::role).thenComparing(Lane::name));
        return lanes;
    }

    interface SelfTime {
        void add(Activity a, long from, long to);
    }

    /** Hands over each event's own time (its span less the events nested in it), as intervals. */
    static void selfTimes(List<TraceFile.Event> events, SelfTime sink) {
        TraceFile.Event[] l = events.toArray(TraceFile.Event[]::new);
        Arrays.sort(l, Comparator.comparingLong(TraceFile.Event::ts).thenComparing(Comparator.comparingLong(TraceFile.Event::dur)
                .reversed()));
        ArrayDeque<long[]> cursors = new ArrayDeque<>();
        ArrayDeque<TraceFile.Event> stack = new ArrayDeque<>();
        for (TraceFile.Event e : l) {
            while (!stack.isEmpty() && stack.peek().end() <= e.ts()) {
                close(stack, cursors, sink);
            }
            if (!stack.isEmpty()) {
                long[] c = cursors.peek();
                if (e.ts() > c[0]) {
                    sink.add(Activity.of(stack.peek()), c[0], e.ts());
                }
            }
            stack.push(e);
            cursors.push(new long[] {e.ts()});
        }
        while (!stack.isEmpty()) {
            close(stack, cursors, sink);
        }
    }

    private static void close(ArrayDeque<TraceFile.Event> stack, ArrayDeque<long[]> cursors, SelfTime sink) {
        TraceFile.Event e = stack.pop();
        long[] c = cursors.pop();
        if (e.end() > c[0]) {
            sink.add(Activity.of(e), c[0], e.end());
        }
        if (!cursors.isEmpty()) {
            long[] parent = cursors.peek();
            parent[0] = Math.max(parent[0], e.end());
        }
    }

    private static void add(double[][] bins, Activity a, long from, long to, long span) {
        from = Math.max(0, from);
        to = Math.min(span, to);
        if (to <= from) {
            return;
        }
        double width = (double) span / BINS;
        int first = (int) Math.min(BINS - 1, from / width);
        int last = (int) Math.min(BINS - 1, (to - 1) / width);
        for (int b = first; b <= last; b++) {
            double lo = Math.max(from, b * width);
            double hi = Math.min(to, (b + 1) * width);
            if (hi > lo) {
                bins[b][a.ordinal()] += hi - lo;
            }
        }
    }

    /** Runs of columns with the same dominant activity: {first column, columns, activity ordinal}. */
    static List<int[]> runs(Lane lane, double seconds) {
        double width = seconds * 1e6 / BINS;
        List<int[]> runs = new ArrayList<>();
        int current = -1;
        int start = 0;
        for (int b = 0; b <= BINS; b++) {
            int a = -1;
            if (b < BINS) {
                double[] x = lane.bins()[b];
                double sum = 0;
                double best = 0;
                for (int i = 0; i < x.length; i++) {
                    sum += x[i];
                    if (x[i] > best) {
                        best = x[i];
                        a = i;
                    }
                }
                if (sum < BUSY * width) {
                    a = -1;
                }
            }
            if (a != current) {
                if (current >= 0) {
                    runs.add(new int[] {start, b - start, current});
                }
                current = a;
                start = b;
            }
        }
        return runs;
    }
}
