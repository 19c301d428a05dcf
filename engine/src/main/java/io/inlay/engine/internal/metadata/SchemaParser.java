package io.inlay.engine.internal.metadata;

import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.schema.FileSchema;
import io.inlay.engine.vector.ColumnType;
import io.inlay.engine.vector.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.IntType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;

/**
 * Turns the footer's flattened schema (a depth-first list of {@link SchemaElement}s) into
 * Inlay's top-level fields. Lists follow the Parquet LogicalTypes backward-compatibility rules:
 * standard 3-level LIST, 2-level LIST with a repeated primitive, and bare repeated primitives.
 */
public final class SchemaParser {
    /** Deeper nesting than any supported shape needs; bounds recursion on hostile footers. */
    private static final int MAX_DEPTH = 64;

    /**
     * Any leaf column, supported or not: enough to check its pages' structure.
     *
     * @param index the leaf's column chunk index
     * @param path its dotted path
     * @param physicalType its physical type
     * @param typeLength the FIXED_LEN_BYTE_ARRAY length, or 0
     * @param maxDef its maximum definition level
     * @param maxRep its maximum repetition level
     */
    public record LeafInfo(int index, String path, Type physicalType, int typeLength, int maxDef, int maxRep) {}

    /** A parsed schema: the public view and, for each supported field, what the decoder needs. */
    public record Parsed(FileSchema schema, List<LeafColumn> leaves, List<LeafInfo> allLeaves) {
        /** The decoder's view of a supported field, by name; null when unsupported or absent. */
        public LeafColumn leaf(String name) {
            for (LeafColumn l : leaves) {
                if (l.name().equals(name)) {
                    return l;
                }
            }
            return null;
        }
    }

    private record Node(SchemaElement element, List<Node> children, int firstLeaf, int leafCount) {
        String name() {
            return element.getName();
        }

        boolean isGroup() {
            return !children.isEmpty();
        }

        FieldRepetitionType repetition() {
            return element.isSetRepetition_type() ? element.getRepetition_type() : FieldRepetitionType.REQUIRED;
        }
    }

    private final List<SchemaElement> elements;
    private int next;
    private int leaves;

    private SchemaParser(List<SchemaElement> elements) {
        this.elements = elements;
    }

    /**
     * Parses the schema.
     *
     * @throws IllegalArgumentException describing the problem when the element list is malformed
     */
    public static Parsed parse(List<SchemaElement> elements) {
        if (elements == null || elements.isEmpty()) {
            throw new IllegalArgumentException("the schema is empty");
        }
        SchemaParser p = new SchemaParser(elements);
        SchemaElement root = elements.get(0);
        int rootChildren = root.isSetNum_children() ? root.getNum_children() : 0;
        if (rootChildren < 0 || rootChildren > elements.size() - 1) {
            throw new IllegalArgumentException("the schema root claims " + rootChildren + " children but the schema has "
                    + (elements.size() - 1) + " elements");
        }
        p.next = 1;
        List<ColumnDescriptor> columns = new ArrayList<>();
        List<LeafColumn> leafColumns = new ArrayList<>();
        List<LeafInfo> allLeaves = new ArrayList<>();
        for (int i = 0; i < rootChildren; i++) {
            Node field = p.node(1);
            collectLeaves(field, "", 0, 0, allLeaves);
            p.describe(field, i, columns, leafColumns, allLeaves);
        }
        if (p.next != elements.size()) {
            throw new IllegalArgumentException("the schema has " + elements.size() + " elements but its tree uses " + p.next);
        }
        return new Parsed(new FileSchema(columns, p.leaves), List.copyOf(leafColumns), List.copyOf(allLeaves));
    }

    private static void collectLeaves(Node n, String prefix, int def, int rep, List<LeafInfo> out) {
        FieldRepetitionType r = n.repetition();
        int d = def + (r == FieldRepetitionType.REQUIRED ? 0 : 1);
        int p = rep + (r == FieldRepetitionType.REPEATED ? 1 : 0);
        String path = prefix.isEmpty() ? n.name() : prefix + "." + n.name();
        if (n.children().isEmpty()) {
            SchemaElement e = n.element();
            out.add(new LeafInfo(n.firstLeaf(), path, e.getType(), e.isSetType_length() ? e.getType_length() : 0, d, p));
            return;
        }
        for (Node c : n.children()) {
            collectLeaves(c, path, d, p, out);
        }
    }

    private Node node(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the schema nests deeper than " + MAX_DEPTH + " levels");
        }
        if (next >= elements.size()) {
            throw new IllegalArgumentException("the schema tree needs more elements than the " + elements.size() + " it has");
        }
        SchemaElement e = elements.get(next++);
        if (e == null || e.getName() == null) {
            throw new IllegalArgumentException("schema element " + (next - 1) + " has no name");
        }
        int n = e.isSetNum_children() ? e.getNum_children() : 0;
        if (n < 0 || n > elements.size() - next) {
            throw new IllegalArgumentException("schema element '" + e.getName() + "' claims " + n + " children");
        }
        if (n == 0 && !e.isSetType()) {
            throw new IllegalArgumentException("schema element '" + e.getName() + "' has neither a type nor children");
        }
        int firstLeaf = leaves;
        if (n == 0) {
            leaves++;
            return new Node(e, List.of(), firstLeaf, 1);
        }
        List<Node> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(node(depth + 1));
        }
        return new Node(e, children, firstLeaf, leaves - firstLeaf);
    }

    /** Adds the public descriptor and, when supported, the decoder's view. */
    private void describe(Node field, int index, List<ColumnDescriptor> out, List<LeafColumn> leafOut,
            List<LeafInfo> allLeaves) {
        String text = schemaText(field);
        Shape shape = shape(field);
        Node leaf = shape.leaf != null ? shape.leaf : firstLeafOf(field);
        int[] levels = levels(field, leaf);
        String physical = field.leafCount() == 1 ? leaf.element().getType().name() : "group";
        String annotation = annotation(field.element());
        if (shape.leaf != null && !annotation(leaf.element()).isEmpty() && leaf != field) {
            annotation = annotation.isEmpty() ? annotation(leaf.element()) : annotation + " of " + annotation(leaf.element());
        }
        String reason = shape.reason;
        ValueType valueType = null;
        if (reason == null) {
            try {
                valueType = valueType(leaf.element());
            } catch (IllegalStateException unsupported) {
                reason = unsupported.getMessage();
            }
        }
        ColumnType type = reason == null ? new ColumnType(valueType, shape.list) : null;
        ColumnDescriptor d = new ColumnDescriptor(field.name(), index, leafPath(field, leaf), field.firstLeaf(),
                field.leafCount(), physical, annotation, levels[0], levels[1], type, reason, text);
        out.add(d);
        if (type != null) {
            leafOut.add(new LeafColumn(d, allLeaves.get(leaf.firstLeaf()), valueType, shape.list, shape.listDef,
                    shape.elementDef, levels[0]));
        }
    }

    /** How a top-level field maps onto Inlay's shapes; {@code reason} set when it does not. */
    private record Shape(Node leaf, boolean list, int listDef, int elementDef, String reason) {
        static Shape unsupported(String reason) {
            return new Shape(null, false, 0, 0, reason);
        }
    }

    private static Shape shape(Node field) {
        SchemaElement e = field.element();
        FieldRepetitionType rep = field.repetition();
        if (!field.isGroup()) {
            if (rep == FieldRepetitionType.REPEATED) {
                // a bare repeated primitive: a required list of required elements
                return new Shape(field, true, 0, 1, null);
            }
            return new Shape(field, false, 0, 0, null);
        }
        boolean isList = (e.isSetLogicalType() && e.getLogicalType().isSetLIST())
                || (e.isSetConverted_type() && e.getConverted_type() == ConvertedType.LIST);
        boolean isMap = (e.isSetLogicalType() && e.getLogicalType().isSetMAP())
                || (e.isSetConverted_type() && (e.getConverted_type() == ConvertedType.MAP
                        || e.getConverted_type() == ConvertedType.MAP_KEY_VALUE));
        if (isMap) {
            return Shape.unsupported("maps are not supported");
        }
        if (!isList) {
            return Shape.unsupported(rep == FieldRepetitionType.REPEATED ? "repeated groups are not supported"
                    : "structs are not supported");
        }
        if (rep == FieldRepetitionType.REPEATED) {
            return Shape.unsupported("a repeated LIST group (nested list) is not supported");
        }
        int listDef = rep == FieldRepetitionType.OPTIONAL ? 1 : 0;
        if (field.children().size() != 1) {
            return Shape.unsupported("a LIST group must have exactly one child, this one has " + field.children().size());
        }
        Node repeated = field.children().get(0);
        if (repeated.repetition() != FieldRepetitionType.REPEATED) {
            return Shape.unsupported("the child of a LIST group must be repeated");
        }
        if (!repeated.isGroup()) {
            // 2-level list: the repeated primitive is the element
            return new Shape(repeated, true, listDef, listDef + 1, null);
        }
        if (repeated.children().size() != 1
                || repeated.name().equals("array") || repeated.name().equals(field.name() + "_tuple")) {
            return Shape.unsupported("lists of structs are not supported");
        }
        Node element = repeated.children().get(0);
        if (element.isGroup()) {
            boolean nested = element.element().isSetLogicalType() && element.element().getLogicalType().isSetLIST()
                    || element.element().isSetConverted_type() && element.element().getConverted_type() == ConvertedType.LIST;
            return Shape.unsupported(nested ? "nested lists are not supported"
                    : element.children().size() == 1 && element.element().isSetConverted_type()
                            && element.element().getConverted_type() == ConvertedType.MAP
                            ? "lists of maps are not supported" : "lists of structs are not supported");
        }
        if (element.repetition() == FieldRepetitionType.REPEATED) {
            return Shape.unsupported("nested lists are not supported");
        }
        return new Shape(element, true, listDef, listDef + 1, null);
    }

    private static Node firstLeafOf(Node n) {
        Node cur = n;
        while (!cur.children().isEmpty()) {
            cur = cur.children().get(0);
        }
        return cur;
    }

    /** Max definition and repetition levels of {@code leaf} under top-level {@code field}. */
    private static int[] levels(Node field, Node leaf) {
        int def = 0;
        int rep = 0;
        Node cur = field;
        while (true) {
            FieldRepetitionType r = cur.repetition();
            if (r == FieldRepetitionType.OPTIONAL) {
                def++;
            } else if (r == FieldRepetitionType.REPEATED) {
                def++;
                rep++;
            }
            if (cur == leaf || cur.children().isEmpty()) {
                break;
            }
            Node nextNode = cur.children().get(0);
            for (Node c : cur.children()) {
                if (c.firstLeaf() <= leaf.firstLeaf() && leaf.firstLeaf() < c.firstLeaf() + c.leafCount()) {
                    nextNode = c;
                }
            }
            cur = nextNode;
        }
        return new int[] {def, rep};
    }

    private static String leafPath(Node field, Node leaf) {
        StringBuilder sb = new StringBuilder(field.name());
        Node cur = field;
        while (cur != leaf && !cur.children().isEmpty()) {
            Node nextNode = cur.children().get(0);
            for (Node c : cur.children()) {
                if (c.firstLeaf() <= leaf.firstLeaf() && leaf.firstLeaf() < c.firstLeaf() + c.leafCount()) {
                    nextNode = c;
                }
            }
            cur = nextNode;
            sb.append('.').append(cur.name());
        }
        return sb.toString();
    }

    /**
     * The value type a supported leaf decodes into.
     *
     * @throws IllegalStateException with the reason when the leaf's type is out of scope
     */
    static ValueType valueType(SchemaElement e) {
        Type t = e.getType();
        LogicalType lt = e.isSetLogicalType() ? e.getLogicalType() : null;
        ConvertedType ct = e.isSetConverted_type() ? e.getConverted_type() : null;
        if (isDecimal(lt, ct)) {
            throw new IllegalStateException("decimal columns are not supported");
        }
        return switch (t) {
            case BOOLEAN -> ValueType.BOOL;
            case FLOAT -> ValueType.FLOAT32;
            case DOUBLE -> ValueType.FLOAT64;
            case INT32 -> int32Type(lt, ct);
            case INT64 -> int64Type(lt, ct);
            case INT96 -> throw new IllegalStateException("INT96 (legacy timestamp) columns are not supported");
            case BYTE_ARRAY -> byteArrayType(lt, ct);
            case FIXED_LEN_BYTE_ARRAY -> {
                int len = e.isSetType_length() ? e.getType_length() : -1;
                if (lt != null && lt.isSetFLOAT16()) {
                    if (len != 2) {
                        throw new IllegalStateException("FLOAT16 with type_length " + len + " (must be 2)");
                    }
                    yield ValueType.FLOAT16;
                }
                if (lt != null && lt.isSetUUID()) {
                    throw new IllegalStateException("UUID columns are not supported");
                }
                throw new IllegalStateException("fixed_len_byte_array(" + len + ") columns are not supported");
            }
        };
    }

    private static boolean isDecimal(LogicalType lt, ConvertedType ct) {
        return (lt != null && lt.isSetDECIMAL()) || ct == ConvertedType.DECIMAL;
    }

    private static ValueType int32Type(LogicalType lt, ConvertedType ct) {
        if (lt != null && (lt.isSetDATE() || lt.isSetTIME() || lt.isSetTIMESTAMP())
                || ct == ConvertedType.DATE || ct == ConvertedType.TIME_MILLIS) {
            throw new IllegalStateException("date and time columns are not supported");
        }
        if (lt != null && lt.isSetINTEGER()) {
            IntType it = lt.getINTEGER();
            return switch (it.getBitWidth()) {
                case 8 -> it.isIsSigned() ? ValueType.INT8 : ValueType.UINT8;
                case 16 -> it.isIsSigned() ? ValueType.INT16 : ValueType.UINT16;
                case 32 -> it.isIsSigned() ? ValueType.INT32 : ValueType.UINT32;
                default -> throw new IllegalStateException("INT(" + it.getBitWidth() + ") on an INT32 column is not valid");
            };
        }
        if (ct != null) {
            return switch (ct) {
                case INT_8 -> ValueType.INT8;
                case INT_16 -> ValueType.INT16;
                case INT_32 -> ValueType.INT32;
                case UINT_8 -> ValueType.UINT8;
                case UINT_16 -> ValueType.UINT16;
                case UINT_32 -> ValueType.UINT32;
                default -> throw new IllegalStateException(ct + " on an INT32 column is not supported");
            };
        }
        return ValueType.INT32;
    }

    private static ValueType int64Type(LogicalType lt, ConvertedType ct) {
        if (lt != null && (lt.isSetTIME() || lt.isSetTIMESTAMP())
                || ct == ConvertedType.TIME_MICROS || ct == ConvertedType.TIMESTAMP_MILLIS
                || ct == ConvertedType.TIMESTAMP_MICROS) {
            throw new IllegalStateException("date and time columns are not supported");
        }
        if (lt != null && lt.isSetINTEGER()) {
            IntType it = lt.getINTEGER();
            if (it.getBitWidth() != 64) {
                throw new IllegalStateException("INT(" + it.getBitWidth() + ") on an INT64 column is not valid");
            }
            return it.isIsSigned() ? ValueType.INT64 : ValueType.UINT64;
        }
        if (ct == ConvertedType.UINT_64) {
            return ValueType.UINT64;
        }
        if (ct != null && ct != ConvertedType.INT_64) {
            throw new IllegalStateException(ct + " on an INT64 column is not supported");
        }
        return ValueType.INT64;
    }

    private static ValueType byteArrayType(LogicalType lt, ConvertedType ct) {
        if (lt != null) {
            if (lt.isSetSTRING() || lt.isSetENUM() || lt.isSetJSON()) {
                return ValueType.STRING;
            }
            if (lt.isSetBSON()) {
                return ValueType.BINARY;
            }
            if (lt.isSetGEOMETRY() || lt.isSetGEOGRAPHY()) {
                throw new IllegalStateException("geospatial columns are not supported");
            }
            if (lt.isSetVARIANT()) {
                throw new IllegalStateException("variant columns are not supported");
            }
        }
        if (ct == ConvertedType.UTF8 || ct == ConvertedType.ENUM || ct == ConvertedType.JSON) {
            return ValueType.STRING;
        }
        return ValueType.BINARY;
    }

    /** The readable annotation of an element: logical type first, else converted type. */
    static String annotation(SchemaElement e) {
        if (e.isSetLogicalType()) {
            LogicalType lt = e.getLogicalType();
            if (lt.isSetINTEGER()) {
                return "INT(" + lt.getINTEGER().getBitWidth() + "," + (lt.getINTEGER().isIsSigned() ? "signed" : "unsigned") + ")";
            }
            if (lt.isSetDECIMAL()) {
                return "DECIMAL(" + lt.getDECIMAL().getPrecision() + "," + lt.getDECIMAL().getScale() + ")";
            }
            if (lt.getSetField() != null) {
                return lt.getSetField().getFieldName();
            }
        }
        if (e.isSetConverted_type()) {
            return e.getConverted_type().name();
        }
        return "";
    }

    private static String schemaText(Node n) {
        StringBuilder sb = new StringBuilder();
        schemaText(n, sb);
        return sb.toString();
    }

    private static void schemaText(Node n, StringBuilder sb) {
        SchemaElement e = n.element();
        sb.append(n.repetition().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
        if (n.children().isEmpty()) {
            Type t = e.getType();
            sb.append(t == null ? "?" : t.name().toLowerCase(java.util.Locale.ROOT));
            if (t == Type.FIXED_LEN_BYTE_ARRAY) {
                sb.append('(').append(e.getType_length()).append(')');
            }
        } else {
            sb.append("group");
        }
        sb.append(' ').append(e.getName());
        String a = annotation(e);
        if (!a.isEmpty()) {
            sb.append(" (").append(a).append(')');
        }
        if (n.children().isEmpty()) {
            sb.append(';');
        } else {
            sb.append(" {");
            for (Node c : n.children()) {
                sb.append(' ');
                schemaText(c, sb);
            }
            sb.append(" }");
        }
    }
}
