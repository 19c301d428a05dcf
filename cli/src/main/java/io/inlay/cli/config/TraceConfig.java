package io.inlay.cli.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a run writes its timeline trace ({@code trace-{rank}-of-{size}.pfw} in the result
 * folder), and compressed or not. Asked for by any of: {@code --trace} (and {@code --trace-gzip});
 * DLIO's profiling keys, {@code workflow.profiling: True} with {@code profiling.profiler} unset or
 * {@code dftracer} (Inlay's trace is dftracer's format), and {@code profiling.trace_compression:
 * True} for gzip; or dftracer's own environment, as DLIO's users turn it on: {@code DFTRACER_ENABLE=1},
 * {@code DFTRACER_TRACE_COMPRESSION=1}. DLIO's other profilers ({@code iostat}, {@code darshan},
 * {@code tensorboard}) are not run by Inlay: asking for one gives a warning, and no trace unless
 * asked for otherwise. Immutable.
 *
 * @param enabled write the trace
 * @param gzip gzip it ({@code .pfw.gz})
 * @param warning a line to print (a profiler Inlay does not run), or null
 */
public record TraceConfig(boolean enabled, boolean gzip, String warning) {
    /** No trace. */
    public static final TraceConfig OFF = new TraceConfig(false, false, null);

    /** Profilers of DLIO's config that Inlay knows of and does not run. */
    private static final java.util.List<String> DLIO_PROFILERS = java.util.List.of("iostat", "darshan", "tensorboard", "none");

    /**
     * From the command line's flags, the config and the environment.
     *
     * @throws ConfigException naming the key when {@code profiling.profiler} is no profiler DLIO or Inlay knows
     */
    public static TraceConfig of(boolean flag, boolean gzipFlag, WorkloadConfig config, Map<String, String> env)
            throws ConfigException {
        boolean profiling = false;
        Optional<ConfigNode> workflow = config.section("workflow");
        if (workflow.isPresent()) {
            profiling = workflow.get().bool("profiling", false);
        }
        String profiler = null;
        boolean compression = false;
        Optional<ConfigNode> p = config.section("profiling");
        String path = "profiling.profiler";
        if (p.isPresent()) {
            path = p.get().pathOf("profiler");
            Object v = p.get().raw("profiler");
            profiler = v == null ? null : String.valueOf(v).toLowerCase(Locale.ROOT);
            compression = p.get().bool("trace_compression", false);
        }
        if (profiler != null && !profiler.equals("dftracer") && !DLIO_PROFILERS.contains(profiler)) {
            throw new ConfigException(path, "'" + profiler + "' is not a profiler; valid: dftracer (Inlay's trace), and DLIO's "
                    + String.join(", ", DLIO_PROFILERS) + " (which Inlay does not run)");
        }
        boolean fromConfig = profiling && (profiler == null || profiler.equals("dftracer"));
        String warning = null;
        if (profiling && !fromConfig && !profiler.equals("none")) {
            warning = path + ": " + profiler + " is one of DLIO's profilers, which Inlay does not run; no " + profiler
                    + " profile is written (profiling.profiler=dftracer, or --trace, writes Inlay's timeline trace)";
        }
        boolean fromEnv = truthy(env.get("DFTRACER_ENABLE"));
        boolean enabled = flag || gzipFlag || fromConfig || fromEnv;
        boolean gzip = gzipFlag || compression || truthy(env.get("DFTRACER_TRACE_COMPRESSION"));
        return new TraceConfig(enabled, enabled && gzip, warning);
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    /** The trace's file name for a rank: DLIO's (and dftracer's) {@code trace-{rank}-of-{size}.pfw}. */
    public String fileName(int rank, int size) {
        return "trace-" + rank + "-of-" + size + ".pfw" + (gzip ? ".gz" : "");
    }
}
