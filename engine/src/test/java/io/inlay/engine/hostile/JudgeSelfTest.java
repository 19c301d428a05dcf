package io.inlay.engine.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corruption tests can fail: their judge reports a reader that breaks the rules it checks. */
@Tag("hostile")
class JudgeSelfTest {

    private static Subjects.Subject withCrcs() throws Exception {
        return Subjects.all().stream().filter(s -> s.name().equals("plain-dict-uncompressed-checksum.parquet")).findFirst()
                .orElseThrow();
    }

    @Test
    void readerIgnoringCrcs_isReportedForACrcProtectedBodyChange(@TempDir Path dir) throws Exception {
        Subjects.Subject s = withCrcs();
        FileLayout.Page page = s.layout().pages().stream().filter(FileLayout.Page::crcProtected).findFirst().orElseThrow();
        byte[] mutated = s.bytes().clone();
        mutated[(int) page.bodyStart()] ^= 1;
        assertEquals(FileLayout.Effect.CRC_PROTECTED_BODIES, s.layout().classify(mutated));
        try (Judge strict = new Judge(dir)) {
            strict.judge(s, "first body byte flipped", mutated, false);
            assertTrue(strict.findings().isEmpty(), strict.findings().toString());
        }
        try (Judge lax = new Judge(dir, Subjects.OPTIONS.withVerifyCrc(false))) {
            lax.judge(s, "first body byte flipped", mutated, false);
            assertFalse(lax.findings().isEmpty(), "a reader that ignores CRCs must be reported");
            assertThrows(AssertionError.class, lax::assertNoFindings);
        }
    }

    @Test
    void fileThatLostPageData_mustBeRefused(@TempDir Path dir) throws Exception {
        Subjects.Subject s = withCrcs();
        try (Judge judge = new Judge(dir)) {
            byte[] cut = Mutator.cutData(s.layout(), (int) s.layout().pagesEnd() - 1);
            assertEquals(Judge.Outcome.REFUSED_AT_OPEN, judge.judge(s, "cut", cut, true));
            assertTrue(judge.findings().isEmpty(), judge.findings().toString());
            // the same bytes with the loss not flagged and an unmutated file flagged as lossy
            judge.judge(s, "unmutated, said to have lost data", s.bytes(), true);
            assertEquals(1, judge.findings().size(), "an unrefused file that lost page data must be reported");
        }
    }
}
