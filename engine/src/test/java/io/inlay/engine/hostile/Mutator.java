package io.inlay.engine.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded random mutations of a valid file, weighted towards the places that hold sizes and counts:
 * bit flips and overwritten runs anywhere; huge, negative and boundary varints written into the
 * Thrift footer and page headers; boundary 32-bit integers written into page bodies (where length
 * prefixes live); the footer length replaced; ranges duplicated over others, inserted or deleted;
 * the page data cut short with the footer kept.
 */
public final class Mutator {

    /** A mutated file and how it was made (enough to reproduce it from the seed). */
    public record Mutation(String description, byte[] bytes) {}

    private static final long[] INTERESTING = {
        0, 1, -1, 2, -2, 7, 8, 127, 128, 255, 256, 4095, 4096, 65535, 65536, 1 << 20, (1 << 26) + 1,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, 0xffffffffL, 1L << 32, 1L << 40,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 8,
    };

    private Mutator() {}

    /** One random mutation of {@code layout}'s file. */
    public static Mutation mutate(FileLayout layout, SplittableRandom r) {
        byte[] f = layout.bytes().clone();
        int size = f.length;
        int kind = r.nextInt(12);
        switch (kind) {
            case 0 -> {
                int k = 1 + r.nextInt(4);
                StringBuilder d = new StringBuilder("bit flips at");
                for (int i = 0; i < k; i++) {
                    int at = r.nextInt(size);
                    int bit = r.nextInt(8);
                    f[at] ^= (byte) (1 << bit);
                    d.append(' ').append(at).append('.').append(bit);
                }
                return new Mutation(d.toString(), f);
            }
            case 1 -> {
                int at = r.nextInt(size);
                f[at] ^= (byte) 0xff;
                return new Mutation("byte " + at + " xor 0xff", f);
            }
            case 2, 3 -> {
                long[] region = thriftRegion(layout, r);
                int at = (int) (region[0] + r.nextLong(region[1] - region[0]));
                byte[] v = varint(INTERESTING[r.nextInt(INTERESTING.length)], r.nextBoolean());
                int n = Math.min(v.length, size - at);
                System.arraycopy(v, 0, f, at, n);
                return new Mutation("varint " + hex(v) + " written at " + at + " (Thrift region "
                        + region[0] + ".." + region[1] + ")", f);
            }
            case 4 -> {
                long[] region = thriftRegion(layout, r);
                int at = (int) (region[0] + r.nextLong(region[1] - region[0]));
                int old = f[at] & 0xff;
                f[at] = (byte) r.nextInt(256);
                return new Mutation("Thrift byte " + at + " " + old + " -> " + (f[at] & 0xff), f);
            }
            case 5 -> {
                int at = bodyOffset(layout, r);
                int v = (int) INTERESTING[r.nextInt(INTERESTING.length)];
                if (r.nextInt(4) == 0) {
                    v = r.nextInt();
                }
                for (int i = 0; i < 4 && at + i < size; i++) {
                    f[at + i] = (byte) (v >>> (8 * i));
                }
                return new Mutation("int32 " + v + " written at " + at, f);
            }
            case 6 -> {
                int at = r.nextInt(size);
                int len = Math.min(1 + r.nextInt(64), size - at);
                int fill = r.nextInt(3);
                for (int i = 0; i < len; i++) {
                    f[at + i] = fill == 0 ? 0 : fill == 1 ? (byte) 0xff : (byte) r.nextInt(256);
                }
                return new Mutation(len + " bytes at " + at + " overwritten with " + (fill == 0 ? "0x00" : fill == 1 ? "0xff" : "random"), f);
            }
            case 7 -> {
                long v = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : layout.footerLength() + r.nextInt(-16, 17);
                for (int i = 0; i < 4; i++) {
                    f[size - 8 + i] = (byte) (v >>> (8 * i));
                }
                return new Mutation("footer length set to " + (int) v, f);
            }
            case 8 -> {
                int len = 1 + r.nextInt(Math.min(256, size / 2));
                int from = r.nextInt(size - len + 1);
                int to = r.nextInt(size - len + 1);
                System.arraycopy(layout.bytes(), from, f, to, len);
                return new Mutation(len + " bytes from " + from + " copied over " + to, f);
            }
            case 9 -> {
                int end = (int) layout.footerStart();
                int len = 1 + r.nextInt(Math.min(256, end));
                int from = r.nextInt(end - len + 1);
                int at = 4 + r.nextInt(end - 4 + 1);
                ByteArrayOutputStream out = new ByteArrayOutputStream(size + len);
                out.write(layout.bytes(), 0, at);
                out.write(layout.bytes(), from, len);
                out.write(layout.bytes(), at, size - at);
                return new Mutation(len + " bytes from " + from + " inserted at " + at, out.toByteArray());
            }
            case 10 -> {
                int end = (int) layout.footerStart();
                if (end <= 5) {
                    return mutate(layout, r);
                }
                int at = 4 + r.nextInt(end - 4);
                int len = 1 + r.nextInt(Math.min(256, end - at));
                byte[] g = new byte[size - len];
                System.arraycopy(layout.bytes(), 0, g, 0, at);
                System.arraycopy(layout.bytes(), at + len, g, at, size - at - len);
                return new Mutation(len + " bytes deleted at " + at, g);
            }
            default -> {
                int cut = 4 + r.nextInt((int) layout.footerStart() - 4 + 1);
                return new Mutation("page data cut at " + cut + ", footer kept", cutData(layout, cut));
            }
        }
    }

    /** The file with its page data cut at {@code cut} (4 to the footer's start) and its footer appended. */
    public static byte[] cutData(FileLayout layout, int cut) {
        int tail = layout.footerLength() + 8;
        byte[] g = new byte[cut + tail];
        System.arraycopy(layout.bytes(), 0, g, 0, cut);
        System.arraycopy(layout.bytes(), (int) layout.footerStart(), g, cut, tail);
        return g;
    }

    /** A random Thrift structure: the footer or a page header, as [start, end). */
    private static long[] thriftRegion(FileLayout layout, SplittableRandom r) {
        if (layout.pages().isEmpty() || r.nextInt(3) == 0) {
            return new long[] {layout.footerStart(), layout.footerStart() + layout.footerLength()};
        }
        FileLayout.Page p = layout.pages().get(r.nextInt(layout.pages().size()));
        return new long[] {p.headerStart(), p.bodyStart()};
    }

    private static int bodyOffset(FileLayout layout, SplittableRandom r) {
        for (int tries = 0; tries < 8 && !layout.pages().isEmpty(); tries++) {
            FileLayout.Page p = layout.pages().get(r.nextInt(layout.pages().size()));
            if (p.bodyEnd() > p.bodyStart()) {
                return (int) (p.bodyStart() + r.nextLong(p.bodyEnd() - p.bodyStart()));
            }
        }
        return r.nextInt(layout.size());
    }

    /** {@code v} as a ULEB128 varint, zigzag-encoded first when {@code zigzag}. */
    static byte[] varint(long v, boolean zigzag) {
        long u = zigzag ? (v << 1) ^ (v >> 63) : v;
        byte[] out = new byte[10];
        int n = 0;
        while ((u & ~0x7fL) != 0) {
            out[n++] = (byte) ((u & 0x7f) | 0x80);
            u >>>= 7;
        }
        out[n++] = (byte) u;
        return Arrays.copyOf(out, n);
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
