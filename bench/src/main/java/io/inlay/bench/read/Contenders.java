package io.inlay.bench.read;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every contender the read benchmarks know, by name. Inlay's reader joins by adding its
 * factories here (one per read mode, and zero-copy) and their names to
 * {@link ReadBenchmark#contender}'s {@code @Param} list.
 */
public final class Contenders {

    private static final Map<String, ContenderFactory> ALL;

    static {
        Map<String, ContenderFactory> m = new LinkedHashMap<>();
        for (ContenderFactory f : List.of(
                new FloorContender.Factory(FloorContender.Mode.SCAN),
                new FloorContender.Factory(FloorContender.Mode.COPY),
                new FloorContender.Factory(FloorContender.Mode.SCAN_OPEN),
                new FloorContender.Factory(FloorContender.Mode.DECOMPRESS),
                new FloorContender.Factory(FloorContender.Mode.PLACE),
                new FloorContender.Factory(FloorContender.Mode.PLACE_FRESH),
                new InlayContender.Factory(InlayContender.Mode.DEFAULT),
                new InlayContender.Factory(InlayContender.Mode.ROW_GROUP),
                new InlayContender.Factory(InlayContender.Mode.ZERO_COPY),
                new InlayContender.Factory(InlayContender.Mode.DEFAULT_REUSE),
                new InlayContender.Factory(InlayContender.Mode.DEFAULT_MAPPED),
                new InlayContender.Factory(InlayContender.Mode.DEFAULT_REUSE_MAPPED),
                new InlayContender.Factory(InlayContender.Mode.ROW_GROUP_MAPPED),
                new InlayContender.Factory(InlayContender.Mode.ZERO_COPY_MAPPED),
                new ParquetJavaContender.Factory(),
                new HardwoodContender.Factory(),
                new ArrowContender.Factory(),
                new DuckDbContender.Factory())) {
            m.put(f.name(), f);
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private Contenders() {}

    /** All factories, floors first. */
    public static Map<String, ContenderFactory> all() {
        return ALL;
    }

    /** The factory with this name, or an error listing the names known. */
    public static ContenderFactory get(String name) {
        ContenderFactory f = ALL.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown contender '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return f;
    }
}
