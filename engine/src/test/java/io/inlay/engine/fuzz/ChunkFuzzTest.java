package io.inlay.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inlay.engine.internal.metadata.SchemaParser;
import io.inlay.engine.read.ColumnChunkMetadata;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.schema.ColumnDescriptor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Float16Type;
import org.apache.parquet.format.IntType;
import org.apache.parquet.format.ListType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One column chunk's pages under a well-formed footer, so that the fuzzer spends its effort on page
 * headers, level sections, compression and value encodings rather than on getting the footer right:
 *
 * <pre>
 * input := shape (1 byte: which column, see SHAPES) | codec (1 byte: low 3 bits, 0x80 = has a dictionary page)
 *          | value count (4 bytes LE) | row count (4 bytes LE; lists only) | the chunk's pages
 * file  := PAR1 | the chunk's pages | FileMetaData of one row group, one column | length | PAR1
 * </pre>
 *
 * The file is then read through every entry point ({@code ReadProbe}). Seeded with every column
 * chunk of up to 64 KiB of the corpus whose column has one of the shapes.
 */
class ChunkFuzzTest {
    private static final Path FILE = FuzzSupport.scratch("chunk");
    private static final int HEADER = 10;
    private static final List<List<SchemaElement>> SHAPES = shapes();

    private static SchemaElement leaf(String name, Type type, FieldRepetitionType rep) {
        return new SchemaElement(name).setType(type).setRepetition_type(rep);
    }

    private static SchemaElement group(String name, FieldRepetitionType rep, int children) {
        return new SchemaElement(name).setRepetition_type(rep).setNum_children(children);
    }

    private static List<SchemaElement> list3(FieldRepetitionType listRep, SchemaElement element) {
        return List.of(group("c", listRep, 1).setConverted_type(ConvertedType.LIST).setLogicalType(LogicalType.LIST(new ListType())),
                group("list", FieldRepetitionType.REPEATED, 1), element);
    }

    private static List<List<SchemaElement>> shapes() {
        var req = FieldRepetitionType.REQUIRED;
        var opt = FieldRepetitionType.OPTIONAL;
        var rep = FieldRepetitionType.REPEATED;
        return List.of(
                List.of(leaf("c", Type.INT32, req)),
                List.of(leaf("c", Type.INT32, opt)),
                List.of(leaf("c", Type.FLOAT, opt)),
                List.of(leaf("c", Type.FLOAT, req)),
                List.of(leaf("c", Type.DOUBLE, opt)),
                List.of(leaf("c", Type.BYTE_ARRAY, opt).setConverted_type(ConvertedType.UTF8)
                        .setLogicalType(LogicalType.STRING(new StringType()))),
                List.of(leaf("c", Type.BYTE_ARRAY, req)),
                List.of(leaf("c", Type.BOOLEAN, opt)),
                List.of(leaf("c", Type.BOOLEAN, req)),
                List.of(leaf("c", Type.INT64, opt)),
                List.of(leaf("c", Type.INT32, opt).setLogicalType(LogicalType.INTEGER(new IntType((byte) 8, true)))),
                List.of(leaf("c", Type.INT32, opt).setLogicalType(LogicalType.INTEGER(new IntType((byte) 16, false)))),
                List.of(leaf("c", Type.FIXED_LEN_BYTE_ARRAY, opt).setType_length(2)
                        .setLogicalType(LogicalType.FLOAT16(new Float16Type()))),
                list3(opt, leaf("element", Type.FLOAT, opt)),
                list3(opt, leaf("element", Type.FLOAT, req)),
                list3(req, leaf("element", Type.BYTE_ARRAY, opt).setConverted_type(ConvertedType.UTF8)),
                List.of(leaf("c", Type.INT32, rep)),
                List.of(group("c", opt, 1).setConverted_type(ConvertedType.LIST), leaf("array", Type.INT64, rep)),
                list3(opt, leaf("element", Type.DOUBLE, opt)),
                list3(opt, leaf("element", Type.BOOLEAN, opt)),
                list3(opt, leaf("element", Type.INT32, opt)),
                list3(opt, leaf("element", Type.INT64, req)),
                List.of(leaf("c", Type.INT64, req)),
                List.of(leaf("c", Type.DOUBLE, req)));
    }

    private static List<SchemaElement> schema(int shape) {
        List<SchemaElement> out = new ArrayList<>();
        out.add(new SchemaElement("schema").setNum_children(1));
        for (SchemaElement e : SHAPES.get(shape)) {
            out.add(e.deepCopy());
        }
        return out;
    }

    /** The file for an input (see the class comment). */
    static byte[] file(byte[] in) throws Exception {
        if (in.length < HEADER) {
            return in;
        }
        int shape = (in[0] & 0xff) % SHAPES.size();
        CompressionCodec codec = CompressionCodec.findByValue(in[1] & 7);
        boolean dictionary = (in[1] & 0x80) != 0;
        ByteBuffer h = ByteBuffer.wrap(in, 2, 8).order(ByteOrder.LITTLE_ENDIAN);
        long values = h.getInt() & 0xffffffffL;
        long listRows = h.getInt() & 0xffffffffL;
        List<SchemaElement> schema = schema(shape);
        SchemaElement leaf = schema.get(schema.size() - 1);
        boolean list = schema.size() > 2 || leaf.getRepetition_type() == FieldRepetitionType.REPEATED;
        long rows = list ? listRows : values;
        int chunk = in.length - HEADER;
        List<String> path = new ArrayList<>();
        for (int i = 1; i < schema.size(); i++) {
            path.add(schema.get(i).getName());
        }
        ColumnMetaData md = new ColumnMetaData(leaf.getType(), List.of(Encoding.PLAIN, Encoding.RLE), path, codec, values,
                chunk, chunk, 4);
        if (dictionary) {
            md.setDictionary_page_offset(4);
        }
        ColumnChunk cc = new ColumnChunk(4).setMeta_data(md);
        RowGroup rg = new RowGroup(List.of(cc), chunk, rows);
        FileMetaData meta = new FileMetaData(1, schema, rows, List.of(rg));
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 256);
        out.write(new byte[] {'P', 'A', 'R', '1'});
        out.write(in, HEADER, chunk);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(meta, footer);
        out.write(footer.toByteArray());
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
        out.write(new byte[] {'P', 'A', 'R', '1'});
        return out.toByteArray();
    }

    /** Which shape a corpus column has, or -1. */
    private static int shapeOf(ColumnDescriptor d) {
        for (int s = 0; s < SHAPES.size(); s++) {
            ColumnDescriptor mine = SchemaParser.parse(schema(s)).schema().columns().get(0);
            if (mine.physicalType().equals(d.physicalType()) && mine.type().equals(d.type())
                    && mine.maxDefinitionLevel() == d.maxDefinitionLevel()
                    && mine.maxRepetitionLevel() == d.maxRepetitionLevel()) {
                return s;
            }
        }
        return -1;
    }

    static Stream<Arguments> corpusChunks() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Path p : FuzzSupport.corpusFiles(4L << 20)) {
            byte[] bytes = Files.readAllBytes(p);
            try (ParquetFile pf = ParquetFile.open(p)) {
                for (ColumnDescriptor d : pf.schema().columns()) {
                    int shape = d.isSupported() && d.leafCount() == 1 ? shapeOf(d) : -1;
                    if (shape < 0) {
                        continue;
                    }
                    for (int g = 0; g < pf.rowGroupCount() && g < 2; g++) {
                        ColumnChunkMetadata c = pf.metadata().rowGroups().get(g).columns().get(d.firstLeaf());
                        long len = c.compressedSize();
                        if (len <= 0 || len > 64 << 10 || c.startOffset() + len > bytes.length) {
                            continue;
                        }
                        ByteBuffer seed = ByteBuffer.allocate(HEADER + (int) len).order(ByteOrder.LITTLE_ENDIAN);
                        seed.put((byte) shape);
                        seed.put((byte) (c.codec().ordinal() | (c.dictionaryPageOffset() > 0 ? 0x80 : 0)));
                        seed.putInt((int) c.numValues());
                        seed.putInt((int) pf.rowGroupRows(g));
                        seed.put(bytes, (int) c.startOffset(), (int) len);
                        out.add(FuzzSupport.seed(p.getFileName() + " " + d.name() + " rg" + g, seed.array()));
                    }
                }
            } catch (Exception e) {
                // bad, encrypted or unsupported corpus files give no chunk seeds
            }
        }
        return out.stream();
    }

    @MethodSource("corpusChunks")
    @FuzzTest(maxDuration = "5m")
    void chunk(byte[] input) throws Exception {
        FuzzSupport.bounded(() -> FuzzSupport.probe(FILE, file(input)));
    }
}
