package io.inlay.cli.dlio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What DLIO records about the host a rank runs on: its name, logical CPUs, memory, processor,
 * and {@code /proc/cpuinfo} and {@code /proc/meminfo} as string maps (DLIO's {@code lines_to_dict}:
 * "key: value" lines, stripped, {@code processor} left out, a later key winning). Immutable.
 *
 * @param hostname the node's name (the kernel's, as Python's socket.gethostname)
 * @param cpuCount logical CPUs of the host (psutil.cpu_count)
 * @param processorName the machine architecture (x86_64, aarch64)
 * @param memoryGiB MemTotal in GiB (psutil.virtual_memory().total / 2^30)
 * @param cpuinfo /proc/cpuinfo as a map
 * @param meminfo /proc/meminfo as a map
 */
public record HostFacts(String hostname, int cpuCount, String processorName, double memoryGiB, Map<String, String> cpuinfo,
        Map<String, String> meminfo) {

    /** The facts of this host. */
    public static HostFacts local() {
        Map<String, String> cpu = linesToMap(read("/proc/cpuinfo"));
        Map<String, String> mem = linesToMap(read("/proc/meminfo"));
        long processors = read("/proc/cpuinfo").stream().filter(l -> l.startsWith("processor")).count();
        int cpus = processors > 0 ? (int) processors : Runtime.getRuntime().availableProcessors();
        double memGiB = 0;
        String total = mem.get("MemTotal");
        if (total != null) {
            try {
                memGiB = Long.parseLong(total.split("\\s+")[0]) * 1024.0 / (1L << 30);
            } catch (NumberFormatException e) {
                memGiB = 0;
            }
        }
        if (memGiB == 0) {
            memGiB = Runtime.getRuntime().maxMemory() / (double) (1L << 30);
        }
        return new HostFacts(localHostname(), cpus, arch(), memGiB, cpu, mem);
    }

    static String localHostname() {
        List<String> h = read("/proc/sys/kernel/hostname");
        if (!h.isEmpty() && !h.get(0).isBlank()) {
            return h.get(0).strip();
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String arch() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> a;
        };
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** DLIO's lines_to_dict: "k: v" lines (exactly one colon), stripped; the key {@code processor} is left out. */
    static Map<String, String> linesToMap(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            String[] kv = l.split(":", -1);
            if (kv.length != 2) {
                continue;
            }
            String k = kv[0].strip();
            if (!k.isEmpty() && !k.equals("processor")) {
                m.put(k, kv[1].strip());
            }
        }
        return m;
    }
}
