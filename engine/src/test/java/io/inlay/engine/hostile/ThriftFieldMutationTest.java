package io.inlay.engine.hostile;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded structure-aware mutations ({@link ThriftMutator}): one field of the footer or of a page
 * header changed, the file rewritten consistently. A change to a field a reader does not need must
 * read exactly as before; any other must end in Inlay's exception or a sound read.
 */
@Tag("hostile")
class ThriftFieldMutationTest {
    static final long SEED = Long.getLong("hostile.seed", 0x7e1dL);
    static final int MUTATIONS = Integer.getInteger("hostile.fieldMutations", 3000);

    @Test
    void fieldMutations_endInInlaysExceptionOrASoundRead(@TempDir Path dir) throws Exception {
        List<Subjects.Subject> subjects = Subjects.all();
        SplittableRandom r = new SplittableRandom(SEED);
        int ignorable = 0;
        try (Judge judge = new Judge(dir)) {
            for (int i = 0; i < MUTATIONS; i++) {
                Subjects.Subject s = subjects.get(r.nextInt(subjects.size()));
                ThriftMutator.Mutation m = ThriftMutator.mutate(s.layout(), r);
                String what = "field mutation " + i + " (seed " + SEED + "): " + m.description();
                Judge.Outcome o = judge.judge(s, what, m.bytes(), false);
                if (m.ignorable()) {
                    ignorable++;
                    if (o != null && o != Judge.Outcome.READ_SAME_VALUES) {
                        judge.finding(s.name() + ", " + what, "a field readers do not need changed, but the read ended " + o);
                    }
                }
            }
            System.out.println("[hostile] Thrift field mutations, seed " + SEED + " (" + ignorable + " of ignorable fields): "
                    + judge.summary());
            judge.assertNoFindings();
        }
    }
}
