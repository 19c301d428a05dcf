package io.inlay.engine.hostile;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every small file cut at every length: a prefix of a Parquet file is never a Parquet file, so it
 * must be refused; and the page data cut at every offset with the footer kept (what a writer that
 * lost the end of its data but still wrote its footer leaves), which must be refused whenever pages
 * are missing and read exactly as before when only bytes after the last page went.
 */
@Tag("hostile")
class TruncationTest {

    @Test
    void truncatedAtEveryLength_isRefused(@TempDir Path dir) throws Exception {
        try (Judge judge = new Judge(dir)) {
            for (Subjects.Subject s : Subjects.all()) {
                byte[] bytes = s.bytes();
                for (int len = 0; len < bytes.length; len++) {
                    Judge.Outcome o = judge.judge(s, "truncated to " + len + " of " + bytes.length + " bytes",
                            Arrays.copyOf(bytes, len), true);
                    if (o != null && o != Judge.Outcome.REFUSED_AT_OPEN) {
                        judge.finding(s.name() + " truncated to " + len, "a truncated file was not refused at open: " + o);
                    }
                }
            }
            System.out.println("[hostile] truncation at every length: " + judge.summary());
            judge.assertNoFindings();
        }
    }

    @Test
    void pageDataCutAtEveryOffset_footerKept_isRefusedUnlessNoPageWasLost(@TempDir Path dir) throws Exception {
        try (Judge judge = new Judge(dir)) {
            for (Subjects.Subject s : Subjects.all()) {
                FileLayout layout = s.layout();
                for (int cut = 4; cut <= layout.footerStart(); cut++) {
                    boolean lost = cut < layout.pagesEnd();
                    Judge.Outcome o = judge.judge(s, "page data cut at " + cut + " of " + layout.footerStart()
                            + ", footer kept", Mutator.cutData(layout, cut), lost);
                    if (!lost && o != null && o != Judge.Outcome.READ_SAME_VALUES) {
                        judge.finding(s.name() + " cut at " + cut, "only bytes after the last page were cut, but the read "
                                + "ended " + o);
                    }
                }
            }
            System.out.println("[hostile] page data cut at every offset: " + judge.summary());
            judge.assertNoFindings();
        }
    }
}
