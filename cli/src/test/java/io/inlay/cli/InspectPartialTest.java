package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.read.ColumnChunkMetadata;
import io.inlay.engine.read.ParquetFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect} on a file part of which does not parse (issue 15, point 11): everything that
 * parses is printed, the part that does not is marked where it would have been, exit 1.
 */
class InspectPartialTest {
    @TempDir
    Path dir;

    @Test
    void brokenPageHeader_restStillPrinted_partMarked() throws Exception {
        Path data = dir.resolve("d");
        Cli.Result g = Cli.run("generate", "--config", SharedConfigs.config("seed_example.yaml").toString(),
                "dataset.data_folder=" + data, "dataset.num_files_train=1", "dataset.num_samples=300", "--page-size", "65536");
        assertEquals(0, g.exit(), g.err());
        Path file = GenerateCommandTest.parquetFiles(data).get(0);
        long textPage;
        try (ParquetFile pf = ParquetFile.open(file)) {
            List<ColumnChunkMetadata> chunks = pf.metadata().rowGroups().get(0).columns();
            assertEquals("text", chunks.get(1).path());
            textPage = chunks.get(1).dataPageOffset();
            assertTrue(pf.pages(0, 0).size() > 1, "features has several pages");
        }
        byte[] b = Files.readAllBytes(file);
        for (int i = 0; i < 6; i++) {
            b[(int) textPage + i] = (byte) 0xff; // the text chunk's first page header no longer parses
        }
        Files.write(file, b);

        Cli.Result r = Cli.run("inspect", "--pages", file.toString());
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.err());
        List<String> all = r.out().lines().toList();
        List<String> lines = all.subList(index(all, "row group 0:"), all.size());
        int features = index(lines, "  features.list.element");
        int text = index(lines, "  text ");
        int flag = index(lines, "  flag ");
        assertTrue(features < text && text < flag, r.out());
        assertTrue(lines.subList(features, text).stream().filter(l -> l.startsWith("    page ")).count() > 1,
                "the pages before the broken chunk are listed: " + r.out());
        List<String> textPart = lines.subList(text, flag);
        assertTrue(textPart.stream().anyMatch(l -> l.startsWith("    ERROR the pages from here on: ") && l.contains("column chunk text")
                && l.contains("page header does not parse")), "the broken part is marked: " + r.out());
        assertTrue(lines.subList(flag, lines.size()).stream().anyMatch(l -> l.startsWith("    page 0")),
                "the chunks after it are still listed: " + r.out());
        assertEquals("inlay inspect: " + file + ": 1 part did not parse (marked ERROR above)", r.err().strip());

        Cli.Result withoutPages = Cli.run("inspect", file.toString());
        assertEquals(0, withoutPages.exit(), "without --pages nothing broken is read: " + withoutPages.err());
    }

    private static int index(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "'");
    }
}
