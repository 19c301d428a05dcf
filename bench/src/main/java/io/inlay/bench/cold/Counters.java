package io.inlay.bench.cold;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The counters the cold benchmark reads around each run (Linux; -1 or NaN where unavailable):
 * this process's bytes fetched from storage ({@code /proc/self/io read_bytes}), its CPU time, the
 * block device's sectors read (device-wide: other processes' reads count too), the load average.
 */
final class Counters {
    private Counters() {}

    /** {@code read_bytes} of {@code /proc/self/io}: bytes this process caused to be fetched from storage, or -1. */
    static long processReadBytes() {
        return readBytes(Path.of("/proc/self/io"));
    }

    /** {@code read_bytes} of an {@code io} file of {@code /proc}, or -1. */
    static long readBytes(Path io) {
        try {
            for (String line : Files.readAllLines(io, StandardCharsets.US_ASCII)) {
                if (line.startsWith("read_bytes:")) {
                    return Long.parseLong(line.substring("read_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time of this process, in seconds (all threads, user + system), or NaN. */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    /** The 1, 5 and 15 minute load averages, or NaNs. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    /** The {@code /sys} stat file of the block device holding {@code file}, or null when it has none (tmpfs, overlay). */
    static Path deviceStat(Path file) {
        try {
            long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
            // glibc's gnu_dev_major/minor
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            Path stat = Path.of("/sys/dev/block/" + major + ":" + minor + "/stat");
            return Files.isReadable(stat) ? stat : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Bytes read by the device of {@code stat} since boot (sectors read x 512), or -1. */
    static long deviceReadBytes(Path stat) {
        if (stat == null) {
            return -1;
        }
        try {
            String[] f = Files.readString(stat, StandardCharsets.US_ASCII).trim().split("\\s+");
            return Long.parseLong(f[2]) * 512;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A one-line description of the machine, as {@code bench/run.sh}'s {@code machine} prints it. */
    static String machine(String when) {
        String cpu = "unknown cpu";
        long memGiB = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            List<String> mem = Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII);
            for (String line : mem) {
                if (line.startsWith("MemTotal:")) {
                    memGiB = Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep the defaults
        }
        double[] load = loadAverage();
        return String.format(java.util.Locale.ROOT, "machine: %d cpus, %s, %d GiB RAM; java %s (%s); %s; load average %.2f %.2f %.2f",
                Runtime.getRuntime().availableProcessors(), cpu, memGiB, System.getProperty("java.version"),
                System.getProperty("java.vm.name"), when, load[0], load[1], load[2]);
    }
}
