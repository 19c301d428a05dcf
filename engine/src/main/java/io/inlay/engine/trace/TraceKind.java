package io.inlay.engine.trace;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What kind of timeline event a record is: its name and category as the trace shows them
 * ({@code "name"}, {@code "cat"}), and the names of its arguments ({@code "args"}): up to two
 * reference arguments (a file, a column, an engine: anything whose {@code toString()} names it,
 * rendered when the trace is written, not when the event is recorded) and up to four numbers
 * (offsets, byte counts). A kind is synchronous (a complete event, {@code "ph":"X"}, nesting in
 * its thread's other events) or asynchronous ({@link #ofAsync}: an operation that overlaps others
 * of its thread, such as a read in flight, written as a begin/end pair, {@code "ph":"b"} and
 * {@code "e"}, with an id of its own, on the process's async tracks). Kinds are made once, as constants of the code that records them, and
 * live for the JVM's lifetime. Immutable; thread-safe.
 */
public final class TraceKind {
    /** Every kind made, by id: the writer looks a record's kind up here. */
    private static final List<TraceKind> ALL = new CopyOnWriteArrayList<>();

    final int id;
    final String name;
    final String category;
    final String[] refArgs;
    final String[] numberArgs;
    final boolean async;

    private TraceKind(int id, String name, String category, String[] refArgs, String[] numberArgs, boolean async) {
        this.id = id;
        this.name = name;
        this.category = category;
        this.refArgs = refArgs;
        this.numberArgs = numberArgs;
        this.async = async;
    }

    /**
     * A kind with numeric arguments only.
     *
     * @param numberArgs names of the numbers passed to {@link Trace#end(TraceKind, long, long, long)} and friends, in order
     */
    public static TraceKind of(String name, String category, String... numberArgs) {
        return of(name, category, List.of(), List.of(numberArgs));
    }

    /**
     * A kind with reference and numeric arguments.
     *
     * @param refArgs names of the (at most two) reference arguments, in order
     * @param numberArgs names of the (at most four) numeric arguments, in order
     */
    public static TraceKind of(String name, String category, List<String> refArgs, List<String> numberArgs) {
        return make(name, category, refArgs, numberArgs, false);
    }

    /**
     * An asynchronous kind: its events may overlap each other and their thread's other events
     * (recorded with {@link Trace#complete} once the operation is over).
     */
    public static TraceKind ofAsync(String name, String category, List<String> refArgs, List<String> numberArgs) {
        return make(name, category, refArgs, numberArgs, true);
    }

    private static synchronized TraceKind make(String name, String category, List<String> refArgs, List<String> numberArgs,
            boolean async) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        if (refArgs.size() > 2 || numberArgs.size() > 4) {
            throw new IllegalArgumentException(name + ": at most 2 reference and 4 numeric arguments");
        }
        for (String a : refArgs) {
            check(a);
        }
        for (String a : numberArgs) {
            check(a);
        }
        check(name);
        check(category);
        TraceKind k = new TraceKind(ALL.size(), name, category, refArgs.toArray(String[]::new), numberArgs.toArray(String[]::new),
                async);
        ALL.add(k);
        return k;
    }

    /** Names and categories go into JSON unescaped: keep them to plain identifiers. */
    private static void check(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("trace names are printable ASCII without quotes or backslashes: '" + s + "'");
        }
    }

    static TraceKind byId(int id) {
        return ALL.get(id);
    }

    public String name() {
        return name;
    }

    public String category() {
        return category;
    }

    /** Whether its events are written as begin/end pairs that may overlap. */
    public boolean async() {
        return async;
    }

    /** The names of the reference arguments, in order. */
    public List<String> refArgs() {
        return List.of(refArgs);
    }

    /** The names of the numeric arguments, in order. */
    public List<String> numberArgs() {
        return List.of(numberArgs);
    }

    @Override
    public String toString() {
        return category + "/" + name;
    }
}
