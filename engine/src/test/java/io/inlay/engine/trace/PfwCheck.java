package io.inlay.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a .pfw file as Chrome's trace-event format rules and dftracer's layout say it must be,
 * with Jackson (independent of the writer): first line "[", last line "]", every other line one
 * JSON object; every event has name, cat, pid, tid, ph; complete events have integer ts and
 * dur >= 0; metadata events have args; async begin/end pairs (b/e) share cat, name and id, the
 * end not before the begin; on each (pid, tid) complete events nest (no partial overlap); every
 * thread with events has a thread_name.
 */
final class PfwCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Event(String name, String cat, long pid, long tid, String ph, long ts, long dur, JsonNode args) {
        long end() {
            return ts + dur;
        }
    }

    private PfwCheck() {}

    static List<Event> read(Path file) throws IOException {
        return read(file, true);
    }

    /** A file still being written (flushed, not closed): checked the same, without the last line. */
    static List<Event> readUnfinished(Path file) throws IOException {
        return read(file, false);
    }

    private static List<Event> read(Path file, boolean finished) throws IOException {
        byte[] bytes;
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
        if (!finished) {
            assertTrue(lines.isEmpty() || !lines.get(lines.size() - 1).equals("]"), file + ": finished already");
            lines.add("]");
        }
        assertTrue(lines.size() >= 2, file + ": too short");
        assertEquals("[", lines.get(0), "first line");
        assertEquals("]", lines.get(lines.size() - 1), "last line");
        List<Event> events = new ArrayList<>();
        Map<List<Object>, Long> openAsync = new HashMap<>();
        long lastId = -1;
        for (int i = 1; i < lines.size() - 1; i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            String where = file.getFileName() + ":" + (i + 1) + ": ";
            assertTrue(n.isObject(), where + "not an object");
            for (String k : List.of("id", "name", "cat", "pid", "tid", "ph")) {
                assertTrue(n.has(k), where + "no " + k);
            }
            long id = n.get("id").asLong();
            String ph = n.get("ph").asText();
            assertTrue(id > lastId || (ph.equals("e") && id == lastId), where + "ids increase (an async end repeats its begin's)");
            lastId = id;
            assertTrue(n.get("pid").isIntegralNumber() && n.get("tid").isIntegralNumber(), where + "pid, tid integers");
            if (ph.equals("X")) {
                assertTrue(n.get("ts").isIntegralNumber() && n.get("dur").isIntegralNumber(), where + "ts, dur integers");
                assertTrue(n.get("dur").asLong() >= 0, where + "dur >= 0");
                assertTrue(n.get("ts").asLong() > 1_500_000_000_000_000L, where + "ts in microseconds since 1970");
            } else if (ph.equals("b")) {
                assertTrue(n.get("ts").isIntegralNumber(), where + "ts");
                assertTrue(openAsync.put(List.of(n.get("cat").asText(), n.get("name").asText(), id), n.get("ts").asLong()) == null,
                        where + "async id used twice");
            } else if (ph.equals("e")) {
                Long b = openAsync.remove(List.of(n.get("cat").asText(), n.get("name").asText(), id));
                assertTrue(b != null, where + "an async end without its begin");
                assertTrue(n.get("ts").asLong() >= b, where + "async end before its begin");
            } else if (ph.equals("M")) {
                assertTrue(n.has("args") && n.get("args").isObject(), where + "metadata has args");
            } else {
                fail(where + "unexpected phase " + ph);
            }
            events.add(new Event(n.get("name").asText(), n.get("cat").asText(), n.get("pid").asLong(), n.get("tid").asLong(), ph,
                    n.path("ts").asLong(), n.path("dur").asLong(), n.get("args")));
        }
        assertTrue(openAsync.isEmpty(), "async events never ended: " + openAsync.keySet());
        checkNesting(events);
        return events;
    }

    static void checkNesting(List<Event> events) {
        Map<List<Long>, List<Event>> byThread = new HashMap<>();
        Map<List<Long>, String> names = new HashMap<>();
        for (Event e : events) {
            if (e.ph().equals("X")) {
                byThread.computeIfAbsent(List.of(e.pid(), e.tid()), k -> new ArrayList<>()).add(e);
            } else if (e.name().equals("thread_name")) {
                names.put(List.of(e.pid(), e.tid()), e.args().get("name").asText());
            }
        }
        for (var t : byThread.entrySet()) {
            assertTrue(names.containsKey(t.getKey()), "thread " + t.getKey() + " has no thread_name");
            List<Event> l = new ArrayList<>(t.getValue());
            l.sort(Comparator.comparingLong(Event::ts).thenComparing(Comparator.comparingLong(Event::dur).reversed()));
            ArrayDeque<Event> open = new ArrayDeque<>();
            for (Event e : l) {
                while (!open.isEmpty() && open.peek().end() <= e.ts()) {
                    open.pop();
                }
                if (!open.isEmpty() && e.end() > open.peek().end()) {
                    fail("on thread " + t.getKey() + " " + e + " overlaps " + open.peek() + " without nesting");
                }
                open.push(e);
            }
        }
    }
}
