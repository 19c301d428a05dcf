package io.inlay.engine.hostile;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thousands of seeded random mutations of the small files, each judged by {@link Judge}. */
@Tag("hostile")
class RandomMutationTest {
    static final long SEED = Long.getLong("hostile.seed", 0x1a7e5eedL);
    static final int MUTATIONS = Integer.getInteger("hostile.mutations", 3000);

    @Test
    void randomMutations_endInInlaysExceptionOrASoundRead(@TempDir Path dir) throws Exception {
        List<Subjects.Subject> subjects = Subjects.all();
        SplittableRandom r = new SplittableRandom(SEED);
        try (Judge judge = new Judge(dir)) {
            for (int i = 0; i < MUTATIONS; i++) {
                Subjects.Subject s = subjects.get(r.nextInt(subjects.size()));
                Mutator.Mutation m = Mutator.mutate(s.layout(), r);
                boolean lost = m.description().startsWith("page data cut at")
                        && Integer.parseInt(m.description().split(" ")[4].replace(",", "")) < s.layout().pagesEnd();
                judge.judge(s, "mutation " + i + " (seed " + SEED + "): " + m.description(), m.bytes(), lost);
            }
            System.out.println("[hostile] random mutations, seed " + SEED + ": " + judge.summary());
            judge.assertNoFindings();
        }
    }
}
