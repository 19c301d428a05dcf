package io.inlay.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inlay.engine.hostile.Outcomes;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Footer parsing: the input is the Thrift {@code FileMetaData}, framed as a file
 * ({@code PAR1 | input | length | PAR1}) and opened; the schema, the metadata records (statistics
 * rendered), schema validation against a workload and the page listing are then asked for. Every
 * step must succeed or throw Inlay's own exception. Seeded with the footer of every corpus file.
 */
class FooterFuzzTest {
    private static final Path FILE = FuzzSupport.scratch("footer");
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    static Stream<Arguments> corpusFooters() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Path p : FuzzSupport.corpusFiles(64L << 20)) {
            byte[] b = Files.readAllBytes(p);
            if (b.length < 12) {
                continue;
            }
            int len = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (len > 0 && len <= b.length - 12 && len <= 256 << 10) {
                byte[] footer = new byte[len];
                System.arraycopy(b, b.length - 8 - len, footer, 0, len);
                out.add(FuzzSupport.seed(p.getFileName().toString(), footer));
            }
        }
        return out.stream();
    }

    @MethodSource("corpusFooters")
    @FuzzTest(maxDuration = "5m")
    void footer(byte[] thrift) throws Exception {
        FuzzSupport.bounded(() -> readFooter(thrift));
    }

    private static void readFooter(byte[] thrift) throws Exception {
        byte[] file = new byte[thrift.length + 12];
        System.arraycopy(MAGIC, 0, file, 0, 4);
        System.arraycopy(thrift, 0, file, 4, thrift.length);
        ByteBuffer.wrap(file, 4 + thrift.length, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(thrift.length);
        System.arraycopy(MAGIC, 0, file, file.length - 4, 4);
        FuzzSupport.write(FILE, file);
        ParquetFile pf;
        try {
            pf = ParquetFile.open(FILE);
        } catch (Exception e) {
            FuzzSupport.expectOwn(e);
            return;
        }
        try (pf) {
            pf.schema().toString();
            pf.metadata().toString();
            List<ColumnSpec> specs = new ArrayList<>();
            for (ColumnDescriptor d : pf.schema().columns()) {
                if (!d.name().isEmpty()) {
                    specs.add(new ColumnSpec(d.name(), DType.FLOAT32, 4));
                }
                for (int g = 0; g < pf.rowGroupCount(); g++) {
                    try {
                        pf.pages(g, d.firstLeaf());
                    } catch (Exception e) {
                        FuzzSupport.expectOwn(e);
                    }
                }
            }
            specs.add(new ColumnSpec("absent", DType.STRING, 1));
            try {
                pf.validate(specs);
            } catch (Exception e) {
                if (!Outcomes.isInlays(e)) {
                    throw e;
                }
            }
        }
    }
}
