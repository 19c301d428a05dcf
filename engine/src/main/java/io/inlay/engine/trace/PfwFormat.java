package io.inlay.engine.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Chrome trace-event JSON as dftracer writes its {@code .pfw} files: a first line {@code [}, one
 * event per line (no commas between them), a last line {@code ]}. Complete events:
 *
 * <pre>{@code
 * {"id":7,"name":"read","cat":"storage","pid":0,"tid":31,"ts":1764751234567890,"dur":812,"ph":"X","args":{"file":"/d/f.parquet","offset":0,"bytes":1048576}}
 * }</pre>
 *
 * ts and dur are whole microseconds: both ends of an event are rounded down on the same time
 * base, so events that nest in nanoseconds still nest. Asynchronous kinds are a begin and an end
 * line ({@code "ph":"b"}, {@code "e"}) whose {@code id} is the pair's (Chrome's async id; for
 * every other line, as in dftracer, the line's index). Metadata events ({@code "ph":"M"}) name the
 * process and each thread. Used under the session's file lock only; the line buffer is reused.
 */
final class PfwFormat implements Ring.Sink {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Ring.Sink DISCARD = (tid, thread, kind, start, end, r0, r1, n0, n1, n2, n3) -> {};

    private final int pid;
    /** Per kind id: the bytes from {@code ,"name":} to {@code "tid":}, and each argument's {@code ,"key":}. */
    private byte[][] heads = new byte[16][];
    private byte[][][] keys = new byte[16][][];
    /** Reference arguments already escaped, by identity (paths and names repeat from event to event). */
    private final Object[] cachedRef = new Object[256];
    private final byte[][] cachedBytes = new byte[256][];
    private byte[] line = new byte[1024];
    private int at;
    private long id;
    private long events;
    private OutputStream out;
    private long originNanos;
    private long originMicros;
    private IOException failure;

    PfwFormat(int pid) {
        this.pid = pid;
    }

    long events() {
        return events;
    }

    Ring.Sink discard() {
        return DISCARD;
    }

    /** This format, writing to {@code out} with the session's time base. */
    Ring.Sink to(OutputStream o, long nanos, long micros) {
        this.out = o;
        this.originNanos = nanos;
        this.originMicros = micros;
        return this;
    }

    void begin(OutputStream o) throws IOException {
        o.write('[');
        o.write('\n');
    }

    void end(OutputStream o) throws IOException {
        o.write(']');
        o.write('\n');
    }

    void process(OutputStream o, String name, int sortIndex) throws IOException {
        metadata(o, "process_name", 0, "name", name);
        at = 0;
        head("process_sort_index", "inlay", 0);
        ascii(",\"ph\":\"M\",\"args\":{\"sort_index\":");
        number(sortIndex);
        ascii("}}\n");
        o.write(line, 0, at);
    }

    void thread(OutputStream o, long tid, String name) throws IOException {
        metadata(o, "thread_name", tid, "name", name);
    }

    private void metadata(OutputStream o, String what, long tid, String key, String value) throws IOException {
        at = 0;
        head(what, "inlay", tid);
        ascii(",\"ph\":\"M\",\"args\":{\"");
        ascii(key);
        ascii("\":");
        string(value);
        ascii("}}\n");
        o.write(line, 0, at);
    }

    private void head(String name, String cat, long tid) {
        ascii("{\"id\":");
        number(id++);
        ascii(",\"name\":\"");
        ascii(name);
        ascii("\",\"cat\":\"");
        ascii(cat);
        ascii("\",\"pid\":");
        number(pid);
        ascii(",\"tid\":");
        number(tid);
    }

    /** The constant parts of a kind's lines, made at its first event. */
    private void prepare(int kind) {
        if (kind >= heads.length) {
            heads = java.util.Arrays.copyOf(heads, Math.max(kind + 1, heads.length * 2));
            keys = java.util.Arrays.copyOf(keys, heads.length);
        }
        TraceKind k = TraceKind.byId(kind);
        heads[kind] = (",\"name\":\"" + k.name + "\",\"cat\":\"" + k.category + "\",\"pid\":" + pid + ",\"tid\":")
                .getBytes(StandardCharsets.US_ASCII);
        int n = k.refArgs.length + k.numberArgs.length;
        byte[][] ks = new byte[n][];
        for (int i = 0; i < n; i++) {
            String name = i < k.refArgs.length ? k.refArgs[i] : k.numberArgs[i - k.refArgs.length];
            ks[i] = ((i == 0 ? ",\"args\":{\"" : ",\"") + name + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        keys[kind] = ks;
    }

    @Override
    public void event(long tid, String thread, int kind, long start, long end, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        if (failure != null) {
            return;
        }
        if (kind >= heads.length || heads[kind] == null) {
            prepare(kind);
        }
        byte[][] ks = keys[kind];
        TraceKind k = TraceKind.byId(kind);
        if (k.async) {
            async(k, tid, start, end, r0, r1, n0, n1, n2, n3);
            return;
        }
        at = 0;
        ascii("{\"id\":");
        number(id++);
        bytes(heads[kind]);
        number(tid);
        long ts = originMicros + Math.floorDiv(start - originNanos, 1000L);
        long te = originMicros + Math.floorDiv(end - originNanos, 1000L);
        ascii(",\"ts\":");
        number(ts);
        ascii(",\"dur\":");
        number(Math.max(0, te - ts));
        ascii(",\"ph\":\"X\"");
        args(k, ks, r0, r1, n0, n1, n2, n3);
        room(2);
        line[at++] = '}';
        line[at++] = '\n';
        try {
            out.write(line, 0, at);
            events++;
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The event's {@code "args"} object (its keys' prefixes are in {@code ks}), when the kind has arguments. */
    private void args(TraceKind k, byte[][] ks, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        int refs = k.refArgs.length;
        int nums = k.numberArgs.length;
        for (int i = 0; i < refs; i++) {
            bytes(ks[i]);
            ref(i == 0 ? r0 : r1);
        }
        for (int i = 0; i < nums; i++) {
            bytes(ks[refs + i]);
            number(switch (i) {
                case 0 -> n0;
                case 1 -> n1;
                case 2 -> n2;
                default -> n3;
            });
        }
        if (refs + nums > 0) {
            line[at++] = '}';
        }
    }

    /** An asynchronous event: a begin line with the arguments and an end line, both with the pair's id. */
    private void async(TraceKind k, long tid, long start, long end, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        byte[][] ks = keys[k.id];
        long pair = id++;
        long ts = originMicros + Math.floorDiv(start - originNanos, 1000L);
        long te = Math.max(ts, originMicros + Math.floorDiv(end - originNanos, 1000L));
        at = 0;
        ascii("{\"id\":");
        number(pair);
        bytes(heads[k.id]);
        number(tid);
        ascii(",\"ts\":");
        number(ts);
        ascii(",\"ph\":\"b\"");
        args(k, ks, r0, r1, n0, n1, n2, n3);
        ascii("}\n{\"id\":");
        number(pair);
        bytes(heads[k.id]);
        number(tid);
        ascii(",\"ts\":");
        number(te);
        ascii(",\"ph\":\"e\"}\n");
        try {
            out.write(line, 0, at);
            events++;
        } catch (IOException e) {
            failure = e;
        }
    }

    IOException failure() {
        return failure;
    }

    private void bytes(byte[] b) {
        room(b.length + 1);
        System.arraycopy(b, 0, line, at, b.length);
        at += b.length;
    }

    /** A reference argument as a JSON string (null as null), escaped once per object. */
    private void ref(Object v) {
        if (v == null) {
            ascii("null");
            return;
        }
        int slot = System.identityHashCode(v) & (cachedRef.length - 1);
        if (cachedRef[slot] != v) {
            int from = at;
            string(v.toString());
            cachedRef[slot] = v;
            cachedBytes[slot] = java.util.Arrays.copyOfRange(line, from, at);
            return;
        }
        bytes(cachedBytes[slot]);
    }

    private void room(int n) {
        if (at + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, at + n));
        }
    }

    private void ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            line[at++] = (byte) s.charAt(i);
        }
    }

    /** "00" to "99": numbers are written two digits at a time. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private void number(long v) {
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii("-9223372036854775808");
                return;
            }
            line[at++] = '-';
            v = -v;
        }
        int len = 1;
        for (long p = 10; len < 19 && v >= p; p *= 10) {
            len++;
        }
        int pos = at + len;
        while (v >= 100) {
            int q = (int) (v % 100);
            v /= 100;
            pos -= 2;
            line[pos] = PAIRS[2 * q];
            line[pos + 1] = PAIRS[2 * q + 1];
        }
        if (v >= 10) {
            pos -= 2;
            line[pos] = PAIRS[2 * (int) v];
            line[pos + 1] = PAIRS[2 * (int) v + 1];
        } else {
            line[--pos] = (byte) ('0' + v);
        }
        at += len;
    }

    /** A JSON string: quotes, backslashes and control characters escaped; the rest as UTF-8. */
    private void string(String s) {
        room(2);
        line[at++] = '"';
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                room(2);
                line[at++] = '\\';
                line[at++] = (byte) c;
            } else if (c < 0x20) {
                room(6);
                line[at++] = '\\';
                line[at++] = 'u';
                line[at++] = '0';
                line[at++] = '0';
                line[at++] = HEX[c >> 4];
                line[at++] = HEX[c & 15];
            } else if (c < 0x80) {
                room(1);
                line[at++] = (byte) c;
            } else {
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < n && Character.isLowSurrogate(s.charAt(end))) {
                    end++;
                }
                byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                room(b.length);
                System.arraycopy(b, 0, line, at, b.length);
                at += b.length;
                i = end - 1;
            }
        }
        room(1);
        line[at++] = '"';
    }
}
