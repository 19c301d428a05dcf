package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Residency is measured with mincore; eviction with posix_fadvise(DONTNEED) is reported truthfully. */
class PageCacheTest {

    @Test
    void evict_dropsAReadFileFromThePageCache_andSaysSo(@TempDir Path dir) throws Exception {
        assumeTrue(PageCache.supported(), "posix calls are not available on this platform");
        Path f = dir.resolve("blob.bin");
        byte[] data = new byte[8 << 20];
        new Random(1).nextBytes(data);
        Files.write(f, data);
        Files.readAllBytes(f); // now cached
        long resident = PageCache.residentBytes(f);
        assertTrue(resident > 0, "a file just written and read is resident: " + resident);

        PageCache.Eviction e = PageCache.evict(f);
        assertEquals(data.length, e.fileBytes());
        assertEquals(resident, e.residentBefore(), 1 << 20);
        assertEquals(0, e.error());
        // the report must agree with an independent residency check
        long after = PageCache.residentBytes(f);
        assertEquals(after <= 4096, e.worked(), "worked() agrees with mincore: " + after + " bytes resident");
        assertTrue(e.worked(), "posix_fadvise(DONTNEED) evicted the file on this file system: " + e);
    }
}
