package io.inlay.engine.hostile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import shaded.parquet.org.apache.thrift.TBase;
import shaded.parquet.org.apache.thrift.TEnum;
import shaded.parquet.org.apache.thrift.TFieldIdEnum;
import shaded.parquet.org.apache.thrift.meta_data.EnumMetaData;
import shaded.parquet.org.apache.thrift.meta_data.FieldMetaData;
import shaded.parquet.org.apache.thrift.meta_data.FieldValueMetaData;
import shaded.parquet.org.apache.thrift.meta_data.ListMetaData;
import shaded.parquet.org.apache.thrift.meta_data.StructMetaData;

/**
 * Structure-aware mutations: one field of the footer or of one page header (any depth: a
 * statistics value, a schema element's type, a chunk's value count, a page's encoding...) is set to
 * a boundary value, another enum constant, other bytes, or removed, or a list element is dropped or
 * duplicated; then the file is written back consistently — the footer re-serialized, a page header
 * re-serialized with every later offset in the footer shifted by its change of size — so the
 * mutation reaches the reader as a well-formed file that says one thing differently.
 */
public final class ThriftMutator {

    /**
     * A mutated file.
     *
     * @param description the field and its new value
     * @param bytes the file
     * @param ignorable whether the field is one a reader ignores, so the file must read as before
     */
    public record Mutation(String description, byte[] bytes, boolean ignorable) {}

    private record Slot(TBase<?, ?> owner, TFieldIdEnum field, FieldMetaData meta, String path) {}

    private static final long[] BOUNDARY = {
        0, 1, -1, 2, 3, 8, 255, 4096, 65536, 1 << 20, 1 << 26, (1 << 26) + 1, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE + 1L, 1L << 32, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
    };

    /** Fields a reader does not need: changing one must not change what is read. */
    private static final List<String> IGNORABLE = List.of("statistics", "key_value_metadata", "created_by", "encoding_stats",
            "column_orders", "size_statistics", "geospatial_statistics", "bloom_filter_", "offset_index_", "column_index_",
            "sorting_columns", "total_byte_size", "ordinal", "field_id", "is_sorted", "index_page_offset",
            "footer_signing_key_metadata");

    // Thrift's type and requirement codes (their constant classes are not in the shaded jar)
    private static final byte BOOL = 2;
    private static final byte BYTE = 3;
    private static final byte DOUBLE = 4;
    private static final byte I16 = 6;
    private static final byte I32 = 8;
    private static final byte I64 = 10;
    private static final byte STRING = 11;
    private static final byte MAP = 13;
    private static final byte SET = 14;
    private static final byte REQUIRED = 1;

    private ThriftMutator() {}

    /** One mutation of a random field of the footer or of one page header of {@code layout}'s file. */
    public static Mutation mutate(FileLayout layout, SplittableRandom r) {
        boolean footer = layout.pages().isEmpty() || r.nextInt(2) == 0;
        if (footer) {
            FileMetaData meta = layout.meta().deepCopy();
            List<Slot> slots = new ArrayList<>();
            collect(meta, "", slots);
            Slot s = slots.get(r.nextInt(slots.size()));
            String change = tryChange(s, r);
            if (change == null) {
                return mutate(layout, r);
            }
            byte[] bytes = withFooter(layout.bytes(), (int) layout.footerStart(), meta);
            return new Mutation("footer " + s.path() + " " + change, bytes, ignorable(s, "footer"));
        }
        int index = r.nextInt(layout.pages().size());
        FileLayout.Page page = layout.pages().get(index);
        PageHeader header = page.header().deepCopy();
        List<Slot> slots = new ArrayList<>();
        collect(header, "", slots);
        Slot s = slots.get(r.nextInt(slots.size()));
        String change = tryChange(s, r);
        if (change == null) {
            return mutate(layout, r);
        }
        byte[] bytes = withPageHeader(layout, page, header);
        return new Mutation("page " + index + " (row group " + page.rowGroup() + ", column " + page.leaf() + ") header "
                + s.path() + " " + change, bytes, ignorable(s, "page"));
    }

    private static boolean ignorable(Slot s, String where) {
        String p = s.path();
        for (String name : IGNORABLE) {
            if (p.contains(name)) {
                return true;
            }
        }
        if (where.equals("footer")) {
            if (p.equals("version") || p.equals("num_rows") || p.endsWith(".file_offset") || p.endsWith("meta_data.encodings")
                    || p.matches("row_groups\\[\\d+]\\.total_compressed_size")) {
                return true;
            }
            if (p.endsWith("meta_data.total_uncompressed_size")) {
                Object v = value(s);
                return v instanceof Long l && l >= 0;
            }
        }
        return false;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object value(Slot s) {
        TBase owner = s.owner();
        return owner.isSet(s.field()) ? owner.getFieldValue(s.field()) : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void collect(TBase<?, ?> struct, String prefix, List<Slot> out) {
        Map<? extends TFieldIdEnum, FieldMetaData> map = FieldMetaData.getStructMetaDataMap((Class) struct.getClass());
        for (Map.Entry<? extends TFieldIdEnum, FieldMetaData> e : map.entrySet()) {
            TFieldIdEnum f = e.getKey();
            FieldMetaData fm = e.getValue();
            String path = prefix.isEmpty() ? fm.fieldName : prefix + "." + fm.fieldName;
            boolean set = ((TBase) struct).isSet(f);
            FieldValueMetaData v = fm.valueMetaData;
            if (v instanceof StructMetaData) {
                if (set) {
                    out.add(new Slot(struct, f, fm, path));
                    collect((TBase<?, ?>) ((TBase) struct).getFieldValue(f), path, out);
                }
            } else if (v instanceof ListMetaData lm) {
                if (set) {
                    out.add(new Slot(struct, f, fm, path));
                    List<?> list = (List<?>) ((TBase) struct).getFieldValue(f);
                    if (lm.elemMetaData instanceof StructMetaData) {
                        for (int i = 0; i < list.size(); i++) {
                            collect((TBase<?, ?>) list.get(i), path + "[" + i + "]", out);
                        }
                    }
                }
            } else if (v.type != MAP && v.type != SET) {
                out.add(new Slot(struct, f, fm, path));
            }
        }
    }

    private static String tryChange(Slot s, SplittableRandom r) {
        try {
            return change(s, r);
        } catch (RuntimeException e) {
            return null; // a value the generated classes refuse (a union without a value...)
        }
    }

    /** Changes the slot's value; returns what was done, or null when nothing could be. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String change(Slot s, SplittableRandom r) {
        TBase owner = s.owner();
        TFieldIdEnum f = s.field();
        FieldValueMetaData v = s.meta().valueMetaData;
        boolean required = s.meta().requirementType == REQUIRED;
        Object old = owner.isSet(f) ? owner.getFieldValue(f) : null;
        boolean union = owner instanceof shaded.parquet.org.apache.thrift.TUnion;
        if (!required && !union && old != null && r.nextInt(6) == 0) {
            owner.setFieldValue(f, null);
            return "removed";
        }
        if (v instanceof StructMetaData) {
            return null;
        }
        if (v instanceof ListMetaData) {
            List<Object> list = new ArrayList<>((List<?>) old);
            if (list.isEmpty()) {
                return null;
            }
            int i = r.nextInt(list.size());
            if (r.nextBoolean()) {
                list.remove(i);
                owner.setFieldValue(f, list);
                return "element " + i + " of " + (list.size() + 1) + " dropped";
            }
            Object copy = list.get(i) instanceof TBase<?, ?> t ? t.deepCopy() : list.get(i);
            list.add(r.nextInt(list.size() + 1), copy);
            owner.setFieldValue(f, list);
            return "element " + i + " duplicated";
        }
        if (v instanceof EnumMetaData em) {
            TEnum[] constants = em.enumClass.getEnumConstants();
            TEnum next = constants[r.nextInt(constants.length)];
            owner.setFieldValue(f, next);
            return (old == null ? "set" : old + " ->") + " " + next;
        }
        switch (v.type) {
            case BOOL -> {
                boolean b = old == null ? r.nextBoolean() : !(Boolean) old;
                owner.setFieldValue(f, b);
                return "-> " + b;
            }
            case BYTE -> {
                byte b = (byte) BOUNDARY[r.nextInt(BOUNDARY.length)];
                owner.setFieldValue(f, b);
                return old + " -> " + b;
            }
            case I16 -> {
                short n = (short) BOUNDARY[r.nextInt(BOUNDARY.length)];
                owner.setFieldValue(f, n);
                return old + " -> " + n;
            }
            case I32 -> {
                int n = (int) number(old == null ? 0 : ((Number) old).longValue(), r);
                owner.setFieldValue(f, n);
                return old + " -> " + n;
            }
            case I64 -> {
                long n = number(old == null ? 0 : ((Number) old).longValue(), r);
                owner.setFieldValue(f, n);
                return old + " -> " + n;
            }
            case DOUBLE -> {
                owner.setFieldValue(f, r.nextDouble() * 1e9);
                return "changed";
            }
            case STRING -> {
                if (v.isBinary()) {
                    byte[] b = old == null ? new byte[0] : old instanceof ByteBuffer bb ? bytes(bb) : (byte[]) old;
                    byte[] n = bytesChange(b, r);
                    owner.setFieldValue(f, n);
                    return b.length + " bytes -> " + n.length + " bytes";
                }
                String str = old == null ? "" : (String) old;
                String n = switch (r.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> str + "_";
                    default -> str.isEmpty() ? "x" : str.substring(0, str.length() - 1);
                };
                owner.setFieldValue(f, n);
                return "'" + str + "' -> '" + n + "'";
            }
            default -> {
                return null;
            }
        }
    }

    private static long number(long old, SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> old + r.nextInt(-3, 4);
            case 1 -> old * 2;
            case 2 -> old / 2;
            default -> BOUNDARY[r.nextInt(BOUNDARY.length)];
        };
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static byte[] bytesChange(byte[] b, SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> new byte[0];
            case 1 -> java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
            case 2 -> java.util.Arrays.copyOf(b, Math.max(0, b.length - 1));
            default -> {
                byte[] n = b.clone();
                if (n.length > 0) {
                    n[r.nextInt(n.length)] ^= (byte) (1 << r.nextInt(8));
                }
                yield n;
            }
        };
    }

    /** The file with its page data up to {@code dataEnd} and {@code meta} as its footer. */
    static byte[] withFooter(byte[] file, int dataEnd, FileMetaData meta) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + 256);
        out.write(file, 0, dataEnd);
        try {
            ByteArrayOutputStream footer = new ByteArrayOutputStream();
            Util.writeFileMetaData(meta, footer);
            footer.writeTo(out);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write(file, file.length - 4, 4);
        return out.toByteArray();
    }

    /** The file with {@code header} in place of {@code page}'s, every later offset shifted by the change of size. */
    static byte[] withPageHeader(FileLayout layout, FileLayout.Page page, PageHeader header) {
        byte[] file = layout.bytes();
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        try {
            Util.writePageHeader(header, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long delta = h.size() - (page.bodyStart() - page.headerStart());
        ByteArrayOutputStream data = new ByteArrayOutputStream(file.length + 64);
        data.write(file, 0, (int) page.headerStart());
        data.writeBytes(h.toByteArray());
        data.write(file, (int) page.bodyStart(), (int) (layout.footerStart() - page.bodyStart()));
        FileMetaData meta = layout.meta().deepCopy();
        shift(meta, page.headerStart(), delta, page.rowGroup(), page.leaf());
        byte[] pages = data.toByteArray();
        byte[] withTail = new byte[pages.length + 8];
        System.arraycopy(pages, 0, withTail, 0, pages.length);
        System.arraycopy(file, file.length - 4, withTail, withTail.length - 4, 4);
        return withFooter(withTail, pages.length, meta);
    }

    /** Moves every offset after {@code at} by {@code delta}; the chunk holding the page grows by it. */
    private static void shift(FileMetaData meta, long at, long delta, int rowGroup, int leaf) {
        for (int g = 0; g < meta.getRow_groupsSize(); g++) {
            RowGroup rg = meta.getRow_groups().get(g);
            if (rg.isSetFile_offset() && rg.getFile_offset() > at) {
                rg.setFile_offset(rg.getFile_offset() + delta);
            }
            for (int c = 0; c < rg.getColumnsSize(); c++) {
                ColumnChunk cc = rg.getColumns().get(c);
                if (cc.getFile_offset() > at) {
                    cc.setFile_offset(cc.getFile_offset() + delta);
                }
                if (cc.isSetOffset_index_offset() && cc.getOffset_index_offset() > at) {
                    cc.setOffset_index_offset(cc.getOffset_index_offset() + delta);
                }
                if (cc.isSetColumn_index_offset() && cc.getColumn_index_offset() > at) {
                    cc.setColumn_index_offset(cc.getColumn_index_offset() + delta);
                }
                ColumnMetaData md = cc.getMeta_data();
                if (md.getData_page_offset() > at) {
                    md.setData_page_offset(md.getData_page_offset() + delta);
                }
                if (md.isSetDictionary_page_offset() && md.getDictionary_page_offset() > at) {
                    md.setDictionary_page_offset(md.getDictionary_page_offset() + delta);
                }
                if (md.isSetIndex_page_offset() && md.getIndex_page_offset() > at) {
                    md.setIndex_page_offset(md.getIndex_page_offset() + delta);
                }
                if (md.isSetBloom_filter_offset() && md.getBloom_filter_offset() > at) {
                    md.setBloom_filter_offset(md.getBloom_filter_offset() + delta);
                }
                if (g == rowGroup && c == leaf) {
                    md.setTotal_compressed_size(md.getTotal_compressed_size() + delta);
                    md.setTotal_uncompressed_size(md.getTotal_uncompressed_size() + delta);
                }
            }
        }
    }

    /** Parses a footer back (for tests of this class). */
    static FileMetaData footerOf(byte[] file) throws IOException {
        int len = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Util.readFileMetaData(new ByteArrayInputStream(file, file.length - 8 - len, len));
    }
}
