package io.inlay.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SymbolsTest {
    @Test
    void equalArgumentsShareANumber_nullIsZero_andTheFirstObjectIsKept() {
        Symbols s = new Symbols();
        String a = new String("col");
        String b = new String("col");
        assertEquals(0, s.id(null, 0));
        int id = s.id(a, 0);
        assertEquals(id, s.id(b, 1), "equal text, another object and lane: the same number");
        assertSame(a, s.get(id));
        assertEquals(1, s.size());
    }

    /**
     * A dlrm-like file's events (as the reader records them: open, reads and a prefetch with the
     * file's path and engine; a decompress and a decode per column with its name and codec): the
     * engine's and codec's names stay among the second lane's recent ones, so a file costs a hash
     * lookup for its path and each column's name only.
     */
    @Test
    void aFilesOwnNames_doNotPushTheEngineAndCodecNamesOut() {
        Symbols s = new Symbols();
        int files = 100;
        for (int f = 0; f < files; f++) {
            Path path = Path.of("/d/train/img_" + f + ".parquet");
            String[] columns = {new String("dense_features"), new String("sparse_features"), new String("label")};
            for (int e = 0; e < 4; e++) { // open, read, read, prefetch
                s.id(path, 0);
                s.id("pread", 1);
            }
            for (String c : columns) { // decompress, then the decode around it
                for (int e = 0; e < 2; e++) {
                    s.id(c, 0);
                    s.id("snappy", 1);
                }
            }
        }
        assertEquals(2 + 4L * files, s.lookups, "a path and three column names a file, the constants once");
        assertEquals(2 + files + 3, s.size());
    }
}
