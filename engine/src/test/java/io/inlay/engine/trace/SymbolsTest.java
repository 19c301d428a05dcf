package io.inlay.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolsTest {
    @Test
    void equalArgumentsShareANumber_nullIsZero_andTextsRoundTrip() {
        Symbols s = new Symbols();
        String a = new String("col \u00e9\u00e8 \uD83D\uDE00");
        String b = new String("col \u00e9\u00e8 \uD83D\uDE00");
        assertEquals(0, s.id(null, 0));
        assertNull(s.get(0));
        int id = s.id(a, 0);
        assertEquals(id, s.id(b, 1), "equal text, another object and lane: the same number");
        assertEquals(a, s.get(id));
        int p = s.id(Path.of("/d/x.parquet"), 0);
        assertEquals("/d/x.parquet", s.get(p), "rendered with toString");
        assertEquals(2, s.size());
        byte[] t = s.texts();
        assertEquals(a, new String(t, s.textStart(id), s.textStart(id + 1) - s.textStart(id), StandardCharsets.UTF_8));
    }

    /**
     * A dlrm-like file's events (as the reader records them: open, reads and a prefetch with the
     * file's path and engine; a decompress and a decode per column with its name and codec, the
     * names new objects in every file, as its footer is parsed anew): a file costs a new number for
     * its path, not for its column names, and the engine's and codec's names stay among the second
     * place's recent arguments.
     */
    @Test
    void aDlrmLikeFile_rendersItsPathOnly() {
        Symbols s = new Symbols();
        int files = 1000;
        for (int f = 0; f < files; f++) {
            Path path = Path.of("/d/train/img_" + f + "_of_1000.parquet");
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
        assertTrue(s.rendered >= files + 5, "every path is new: " + s.rendered);
        assertTrue(s.rendered < files + 5 + files / 10,
                "the column names are rendered again only when a path takes their place in the table: " + s.rendered);
    }

    /** The numbering holds at most its table's and recent places' objects: a run's names do not pile up on the heap. */
    @Test
    void argumentsAreNotKeptAlive() throws Exception {
        Symbols s = new Symbols();
        int n = 20_000;
        List<WeakReference<Object>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object o = new String("/d/f" + i + ".parquet");
            refs.add(new WeakReference<>(o));
            s.id(o, 0);
        }
        long alive = n;
        for (int round = 0; round < 20 && alive > Symbols.TABLE + 16; round++) {
            System.gc();
            Thread.sleep(10);
            alive = refs.stream().filter(r -> r.get() != null).count();
        }
        assertTrue(alive <= Symbols.TABLE + 16, alive + " of " + n + " arguments still reachable");
        assertEquals("/d/f7.parquet", s.get(8), "their texts are kept");
    }
}
