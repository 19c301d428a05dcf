package io.inlay.engine.hostile;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each byte of every footer (with the footer length and magic) and of every page header flipped,
 * twice: all eight bits (xor 0xff), and a single bit (bit {@code offset mod 8}, so every bit
 * position is exercised across neighbouring bytes). Each read is judged by {@link Judge}. The
 * subjects are {@link Subjects#forFlips()} ({@code -Dhostile.full=true}: all of them).
 */
@Tag("hostile")
class FlipTest {

    @Test
    void everyFooterByteFlipped(@TempDir Path dir) throws Exception {
        try (Judge judge = new Judge(dir)) {
            for (Subjects.Subject s : Subjects.forFlips()) {
                FileLayout layout = s.layout();
                for (long at = layout.footerStart(); at < layout.size(); at++) {
                    flip(judge, s, (int) at, "footer");
                }
            }
            System.out.println("[hostile] footer bytes flipped: " + judge.summary());
            judge.assertNoFindings();
        }
    }

    @Test
    void everyPageHeaderByteFlipped(@TempDir Path dir) throws Exception {
        try (Judge judge = new Judge(dir)) {
            for (Subjects.Subject s : Subjects.forFlips()) {
                for (FileLayout.Page p : s.layout().pages()) {
                    for (long at = p.headerStart(); at < p.bodyStart(); at++) {
                        flip(judge, s, (int) at, "page header of row group " + p.rowGroup() + ", column " + p.leaf());
                    }
                }
            }
            System.out.println("[hostile] page header bytes flipped: " + judge.summary());
            judge.assertNoFindings();
        }
    }

    private static void flip(Judge judge, Subjects.Subject s, int at, String where) {
        byte[] all = s.bytes().clone();
        all[at] ^= (byte) 0xff;
        judge.judge(s, where + ": byte " + at + " xor 0xff", all, false);
        byte[] one = s.bytes().clone();
        one[at] ^= (byte) (1 << (at & 7));
        judge.judge(s, where + ": byte " + at + " bit " + (at & 7) + " flipped", one, false);
    }
}
