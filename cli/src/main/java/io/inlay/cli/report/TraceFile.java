package io.inlay.cli.report;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A rank's trace as {@code inlay read --trace} (or dftracer) writes it: a {@code [} line, one
 * Chrome trace-event JSON object per line, a {@code ]} line (missing when the writer was stopped
 * before its end, which is allowed and reported as incomplete). Reading checks the format's rules:
 * every line one object with {@code name}, {@code cat}, {@code pid}, {@code tid}, {@code ph};
 * complete events ({@code X}) with whole-number {@code ts} and {@code dur >= 0}; metadata events
 * ({@code M}) with {@code args}; begin/end pairs ({@code B}/{@code E}) matched per thread, and
 * async pairs ({@code b}/{@code e}) by category, name and id, none ending before it began (left
 * open only in a trace without its closing line); and, per (pid, tid), complete events that nest:
 * none overlaps another without containing it.
 * A violation is a {@link TraceFormatException} naming the file and line. Immutable once read.
 */
public final class TraceFile {

    /** A complete event. Times in microseconds since 1970. */
    public record Event(int line, long pid, long tid, String name, String cat, long ts, long dur, Map<String, Object> args) {
        public long end() {
            return ts + dur;
        }
    }

    /** The file does not follow the trace-event format's rules. */
    public static final class TraceFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        TraceFormatException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final List<Event> events;
    private final Map<Long, String> processNames;
    private final Map<List<Long>, String> threadNames;
    private final boolean complete;

    private TraceFile(Path file, List<Event> events, Map<Long, String> processNames, Map<List<Long>, String> threadNames,
            boolean complete) {
        this.file = file;
        this.events = events;
        this.processNames = processNames;
        this.threadNames = threadNames;
        this.complete = complete;
    }

    public Path file() {
        return file;
    }

    /** Complete events, in file order. */
    public List<Event> events() {
        return events;
    }

    /** {@code process_name} metadata by pid. */
    public Map<Long, String> processNames() {
        return processNames;
    }

    /** {@code thread_name} metadata by (pid, tid). */
    public Map<List<Long>, String> threadNames() {
        return threadNames;
    }

    /** Whether the closing {@code ]} line is there. */
    public boolean complete() {
        return complete;
    }

    /**
     * Reads and checks {@code file} ({@code .gz}: gzip-compressed).
     *
     * @throws TraceFormatException naming the file and line of the first violation
     * @throws IOException when the file cannot be read
     */
    public static TraceFile read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        Map<Long, String> processNames = new LinkedHashMap<>();
        Map<List<Long>, String> threadNames = new LinkedHashMap<>();
        Map<List<Long>, ArrayDeque<Object[]>> open = new LinkedHashMap<>();
        Map<List<Object>, Object[]> openAsync = new LinkedHashMap<>();
        boolean closed = false;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String first = r.readLine();
            if (first == null || !first.strip().equals("[")) {
                throw new TraceFormatException(file + ":1: a trace starts with a line holding '[' (found "
                        + (first == null ? "nothing" : "'" + abbreviate(first) + "'") + ")");
            }
            int n = 1;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                if (closed) {
                    throw new TraceFormatException(file + ":" + n + ": an event after the closing ']'");
                }
                if (s.equals("]")) {
                    closed = true;
                    continue;
                }
                if (s.endsWith(",")) {
                    s = s.substring(0, s.length() - 1); // the JSON-array form, with commas, reads the same
                }
                Map<String, Object> m;
                try {
                    m = JSON.std.mapFrom(s);
                } catch (IOException | RuntimeException e) {
                    throw new TraceFormatException(file + ":" + n + ": not a JSON object: " + abbreviate(s));
                }
                event(file, n, m, events, processNames, threadNames, open, openAsync);
            }
        } catch (java.util.zip.ZipException e) {
            throw new TraceFormatException(file + ": not gzip-compressed data (" + e.getMessage() + ")");
        }
        for (var o : open.entrySet()) {
            if (!o.getValue().isEmpty() && closed) {
                Object[] b = o.getValue().peek();
                throw new TraceFormatException(file + ":" + b[2] + ": '" + b[0] + "' begins (B) on thread " + o.getKey().get(1)
                        + " and never ends (E)");
            }
        }
        if (closed && !openAsync.isEmpty()) {
            var first = openAsync.entrySet().iterator().next();
            throw new TraceFormatException(file + ":" + first.getValue()[1] + ": the async event '" + first.getKey().get(2) + "' (id "
                    + first.getKey().get(3) + ") begins (b) and never ends (e)");
        }
        checkNesting(file, events);
        return new TraceFile(file, List.copyOf(events), processNames, threadNames, closed);
    }

    private static void event(Path file, int n, Map<String, Object> m, List<Event> events, Map<Long, String> processNames,
            Map<List<Long>, String> threadNames, Map<List<Long>, ArrayDeque<Object[]>> open, Map<List<Object>, Object[]> openAsync)
            throws TraceFormatException {
        String where = file + ":" + n + ": ";
        for (String k : List.of("name", "ph", "pid", "tid")) {
            if (!m.containsKey(k)) {
                throw new TraceFormatException(where + "the event has no '" + k + "'");
            }
        }
        String ph = String.valueOf(m.get("ph"));
        String name = String.valueOf(m.get("name"));
        long pid = whole(where, m, "pid");
        long tid = whole(where, m, "tid");
        @SuppressWarnings("unchecked")
        Map<String, Object> args = m.get("args") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
        switch (ph) {
            case "X" -> {
                if (!m.containsKey("cat")) {
                    throw new TraceFormatException(where + "the complete event '" + name + "' has no 'cat'");
                }
                long ts = whole(where, m, "ts");
                long dur = whole(where, m, "dur");
                if (dur < 0) {
                    throw new TraceFormatException(where + "'" + name + "' lasts " + dur + " us: durations are 0 or more");
                }
                events.add(new Event(n, pid, tid, name, String.valueOf(m.get("cat")), ts, dur, args));
            }
            case "B" -> open.computeIfAbsent(List.of(pid, tid), k -> new ArrayDeque<>()).push(new Object[] {name,
                whole(where, m, "ts"), n});
            case "E" -> {
                ArrayDeque<Object[]> stack = open.get(List.of(pid, tid));
                if (stack == null || stack.isEmpty()) {
                    throw new TraceFormatException(where + "an end (E) on thread " + tid + " with nothing begun");
                }
                Object[] b = stack.pop();
                if (whole(where, m, "ts") < (long) b[1]) {
                    throw new TraceFormatException(where + "'" + b[0] + "' ends before it begins");
                }
            }
            case "M" -> {
                if (!(m.get("args") instanceof Map<?, ?>)) {
                    throw new TraceFormatException(where + "the metadata event '" + name + "' has no args");
                }
                if (name.equals("process_name")) {
                    processNames.put(pid, String.valueOf(args.get("name")));
                } else if (name.equals("thread_name")) {
                    threadNames.put(List.of(pid, tid), String.valueOf(args.get("name")));
                }
            }
            case "b", "e" -> {
                if (!m.containsKey("id") || !m.containsKey("cat")) {
                    throw new TraceFormatException(where + "the async event '" + name + "' needs 'cat' and 'id'");
                }
                List<Object> key = List.of(pid, String.valueOf(m.get("cat")), name, String.valueOf(m.get("id")));
                long ts = whole(where, m, "ts");
                if (ph.equals("b")) {
                    if (openAsync.put(key, new Object[] {ts, n}) != null) {
                        throw new TraceFormatException(where + "the async event '" + name + "' (id " + m.get("id") + ") begins twice");
                    }
                } else {
                    Object[] b = openAsync.remove(key);
                    if (b == null) {
                        throw new TraceFormatException(where + "the async event '" + name + "' (id " + m.get("id") + ") ends (e)"
                                + " without a begin (b)");
                    }
                    if (ts < (long) b[0]) {
                        throw new TraceFormatException(where + "the async event '" + name + "' ends before it begins");
                    }
                }
            }
            case "i", "I", "C", "n", "s", "t", "f" -> {
                // instant, counter and flow events: valid, not drawn
            }
            default -> throw new TraceFormatException(where + "'" + ph + "' is not an event phase of the trace-event format");
        }
    }

    private static long whole(String where, Map<String, Object> m, String key) throws TraceFormatException {
        Object v = m.get(key);
        if (v instanceof Number num && (num instanceof Integer || num instanceof Long || num instanceof java.math.BigInteger
                || num.doubleValue() == Math.rint(num.doubleValue()))) {
            return num.longValue();
        }
        if (v instanceof Number num) {
            return (long) Math.floor(num.doubleValue()); // fractional microseconds are valid: drawn at microsecond resolution
        }
        throw new TraceFormatException(where + "'" + key + "' is " + (v == null ? "missing" : "'" + v + "'") + ", not a number");
    }

    /** Per (pid, tid): sorted by start (longer first), every event ends within the innermost one still open. */
    private static void checkNesting(Path file, List<Event> events) throws TraceFormatException {
        Map<List<Long>, List<Event>> byThread = new LinkedHashMap<>();
        for (Event e : events) {
            byThread.computeIfAbsent(List.of(e.pid(), e.tid()), k -> new ArrayList<>()).add(e);
        }
        for (var t : byThread.entrySet()) {
            Event[] l = t.getValue().toArray(Event[]::new);
            Arrays.sort(l, Comparator.comparingLong(Event::ts).thenComparing(Comparator.comparingLong(Event::dur).reversed()));
            ArrayDeque<Event> stack = new ArrayDeque<>();
            for (Event e : l) {
                while (!stack.isEmpty() && stack.peek().end() <= e.ts()) {
                    stack.pop();
                }
                if (!stack.isEmpty() && e.end() > stack.peek().end()) {
                    Event p = stack.peek();
                    throw new TraceFormatException(file + ":" + e.line() + ": '" + e.name() + "' (" + e.ts() + " + " + e.dur()
                            + " us) on thread " + e.tid() + " overlaps '" + p.name() + "' (line " + p.line() + ", " + p.ts() + " + "
                            + p.dur() + " us) without nesting in it");
                }
                stack.push(e);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
