package io.inlay.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row group of 256 MiB of vectors is written by a JVM with a 32 MiB heap, and the process's
 * peak resident memory stays far below the row group: memory is O(page), not O(row group).
 * (bench/README.md records the same for a 2 GiB row group under -Xmx128m.)
 */
class LargeRowGroupMemoryTest {
    @TempDir
    Path dir;

    @Test
    void rowGroupOf256MiB_fitsA32MiBHeap() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs /proc for the resident set size");
        long rows = 65_536;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx32m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), dir.toString(), Long.toString(rows))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("bytes=(\\d+) rss_kb=(\\d+) heap=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long bytes = Long.parseLong(m.group(1));
        long rssMb = Long.parseLong(m.group(2)) / 1024;
        assertTrue(bytes > rows * 4096, "the file holds the row group: " + bytes);
        assertTrue(rssMb < 160, "peak RSS " + rssMb + " MB for a row group of " + bytes / (1 << 20) + " MiB");
        try (var files = Files.walk(dir)) {
            List<Path> parquet = files.filter(f -> f.toString().endsWith(".parquet")).toList();
            assertEquals(1, parquet.size());
            assertEquals(bytes, Files.size(parquet.get(0)));
        }
    }
}
