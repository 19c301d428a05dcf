package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.read.ParquetFile;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of Inlay's main code (codec, engine, cli), read from the compiled classes:
 * every class a class refers to (its constant pool's classes and the types in its descriptors and
 * signatures) counts as an import. The graph must be a DAG, each package importing only what
 * {@link #ALLOWED} lets it; docs/ARCHITECTURE.md must name only packages that exist, and every
 * package there is.
 */
class PackageGraphTest {

    /**
     * The allowed direction of every package, written once: each package (under {@code io.inlay.})
     * and the packages it may import, lowest layers first. A package may import only packages
     * listed above it, so the graph cannot have a cycle; a new package must be placed here.
     */
    static final Map<String, List<String>> ALLOWED = allowed(
            // codec: the SPI, then its providers
            "codec", "",
            "codec.internal", "codec",
            // engine: the exceptions, the internals' foundations, then the shared vocabulary
            "engine.error", "",
            "engine.io", "",
            "engine.internal.os", "",
            "engine.internal", "",
            "engine.internal.memory", "engine.internal engine.internal.os",
            "engine.trace", "engine.internal.memory engine.internal.os",
            "engine.vector", "engine.internal.memory",
            "engine.schema", "engine.vector engine.error",
            // engine internals, named after the format's parts, bottom up
            "engine.internal.levels", "engine.internal engine.internal.memory",
            "engine.internal.rle", "engine.internal engine.internal.levels engine.internal.memory",
            "engine.internal.metadata", "codec engine.error engine.internal engine.internal.memory engine.schema engine.vector",
            "engine.internal.decode", "engine.internal engine.internal.memory engine.internal.metadata engine.internal.rle"
                    + " engine.vector",
            // the storage I/O layer: the queue contract, io_uring under it, the engines over both
            "engine.internal.io.queue", "engine.internal.os",
            "engine.internal.io.uring", "engine.internal.io.queue engine.internal.os",
            "engine.internal.io", "engine.error engine.internal engine.internal.io.queue engine.internal.io.uring"
                    + " engine.internal.memory engine.internal.os engine.io engine.trace",
            "engine.internal.page", "codec engine.error engine.internal engine.internal.io engine.internal.memory"
                    + " engine.internal.metadata engine.internal.os engine.trace",
            "engine.internal.column", "codec engine.error engine.internal engine.internal.decode engine.internal.io"
                    + " engine.internal.levels engine.internal.memory engine.internal.metadata engine.internal.os"
                    + " engine.internal.page engine.internal.rle engine.trace engine.vector",
            "engine.internal.encode", "engine.internal.memory engine.schema",
            "engine.internal.write", "codec engine.error engine.internal engine.internal.encode engine.internal.memory"
                    + " engine.internal.os engine.internal.rle engine.schema engine.trace engine.vector",
            // engine: the public API over the internals
            "engine.read", "codec engine.error engine.internal engine.internal.column engine.internal.io"
                    + " engine.internal.memory engine.internal.metadata engine.internal.os engine.internal.page"
                    + " engine.io engine.schema engine.trace engine.vector",
            "engine.write", "codec engine.error engine.internal engine.internal.memory engine.internal.write"
                    + " engine.schema engine.vector",
            "engine.dataset", "codec engine.error engine.internal.memory engine.internal.os engine.read engine.schema"
                    + " engine.trace engine.vector engine.write",
            // cli: MPI and the training loop know nothing of each other; config builds the loop's settings
            "cli.mpi", "",
            "cli.run", "engine.error engine.io engine.read engine.schema engine.trace engine.vector",
            "cli.config", "cli.run codec engine.dataset engine.error engine.io engine.read engine.schema engine.vector"
                    + " engine.write",
            "cli.checkpoint", "cli.config cli.run",
            "cli.dlio", "cli.mpi cli.run",
            "cli.report", "cli.run",
            "cli", "cli.checkpoint cli.config cli.dlio cli.mpi cli.report cli.run codec engine.dataset engine.error"
                    + " engine.io engine.read engine.schema engine.trace engine.vector engine.write");

    private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L(io/inlay/[\\w/$]+)[;<]");

    private static Map<String, Set<String>> graph;

    static Map<String, List<String>> allowed(String... pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            List<String> deps = pairs[i + 1].isBlank() ? List.of() : List.of(pairs[i + 1].trim().split("\\s+"));
            if (m.put(pairs[i], deps) != null) {
                throw new IllegalStateException(pairs[i] + " is placed twice");
            }
        }
        return m;
    }

    @BeforeAll
    static void readClasses() throws Exception {
        graph = new TreeMap<>();
        for (Class<?> anchor : List.of(CompressionCodec.class, ParquetFile.class, Main.class)) {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) {
                readTree(root);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(root)) {
                    readTree(jar.getPath("/"));
                }
            }
        }
    }

    private static void readTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(p).toString();
                if (name.equals("module-info.class") || name.endsWith("package-info.class") || !name.startsWith("io")) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(p)) {
                    read(ClassFile.of().parse(in.readAllBytes()));
                }
            }
        }
    }

    private static void read(ClassModel model) {
        String from = packageOf(model.thisClass().asInternalName());
        Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
        for (PoolEntry e : model.constantPool()) {
            if (e instanceof ClassEntry c) {
                String n = c.asInternalName();
                // arrays of a class: [Lio/inlay/...;
                Matcher m = DESCRIPTOR_TYPE.matcher(n);
                if (m.find()) {
                    n = m.group(1);
                }
                add(to, n);
            } else if (e instanceof Utf8Entry u && u.stringValue().contains("Lio/inlay/")) {
                Matcher m = DESCRIPTOR_TYPE.matcher(u.stringValue());
                while (m.find()) {
                    add(to, m.group(1));
                }
            }
        }
        to.remove(from);
    }

    private static void add(Set<String> to, String internalName) {
        if (internalName.startsWith("io/inlay/")) {
            to.add(packageOf(internalName));
        }
    }

    /** {@code io/inlay/engine/read/ParquetFile$1} is {@code engine.read}. */
    private static String packageOf(String internalName) {
        return internalName.substring("io/inlay/".length(), internalName.lastIndexOf('/')).replace('/', '.');
    }

    @Test
    void everyPackage_isPlaced_andEveryPlacedPackageExists() {
        assertEquals(new TreeSet<>(ALLOWED.keySet()), graph.keySet(),
                "the packages of the code and those placed in ALLOWED differ");
    }

    @Test
    void everyImport_goesDown_soTheGraphHasNoCycle() {
        List<String> order = new ArrayList<>(ALLOWED.keySet());
        for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
            for (String dep : e.getValue()) {
                assertTrue(order.indexOf(dep) >= 0 && order.indexOf(dep) < order.indexOf(e.getKey()),
                        e.getKey() + " may import " + dep + ", which is not placed below it");
            }
        }
        List<String> upward = new ArrayList<>();
        graph.forEach((from, tos) -> {
            for (String to : tos) {
                if (!ALLOWED.getOrDefault(from, List.of()).contains(to)) {
                    upward.add(from + " -> " + to);
                }
            }
        });
        assertEquals(List.of(), upward, "imports that ALLOWED does not allow");
    }

    @Test
    void architectureDoc_namesOnlyPackagesThatExist_andAllOfThem() throws IOException {
        Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
        String text = Files.readString(doc);
        // package names in backticks: `io.inlay.engine.read`, `internal.page`, `cli.run`, `engine.vector`
        Matcher m = Pattern.compile("`(?:io\\.inlay\\.)?((?:engine|codec|cli|internal)(?:\\.[a-z]+)*)`").matcher(text);
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            String p = m.group(1);
            named.add(p.startsWith("internal") ? "engine." + p : p);
        }
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(graph.keySet());
        missing.removeAll(Set.of("engine", "codec", "cli"));
        assertEquals(Set.of(), missing, doc + " names packages that do not exist");
        Set<String> unnamed = new TreeSet<>(graph.keySet());
        unnamed.removeAll(named);
        assertEquals(Set.of(), unnamed, doc + " does not describe these packages");
    }

    /**
     * Each row of the document's package tables ({@code | `package` | owns | may import |}) says
     * what the package may import exactly as {@link #ALLOWED} does: the names in backticks of the
     * last cell, notes in parentheses aside, short names read as the engine's ({@code error}) or
     * the CLI's ({@code run}) packages.
     */
    @Test
    void architectureDoc_mayImport_isWhatAllowedSays() throws IOException {
        Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
        Pattern row = Pattern.compile("^\\| `([\\w.]+)` \\| .* \\| (.*) \\|$", Pattern.MULTILINE);
        Pattern name = Pattern.compile("`([\\w.]+)`");
        Matcher m = row.matcher(Files.readString(doc));
        List<String> wrong = new ArrayList<>();
        Set<String> rows = new TreeSet<>();
        while (m.find()) {
            if (m.group(2).equals("may import")) {
                continue;
            }
            String pkg = resolve(m.group(1));
            rows.add(pkg);
            Set<String> said = new TreeSet<>();
            Matcher n = name.matcher(m.group(2).replaceAll("\\([^)]*\\)", ""));
            while (n.find()) {
                said.add(resolve(n.group(1)));
            }
            Set<String> allowed = new TreeSet<>(ALLOWED.getOrDefault(pkg, List.of()));
            if (!said.equals(allowed)) {
                wrong.add(pkg + ": the document says " + said + ", ALLOWED " + allowed);
            }
        }
        assertEquals(List.of(), wrong, doc + ": rows whose 'may import' differs from ALLOWED");
        assertEquals(new TreeSet<>(ALLOWED.keySet()), rows, doc + ": the packages with a row in its tables");
    }

    /** A package as the document names it: {@code io.inlay.engine.read}, {@code internal.page}, {@code error}, {@code run}. */
    private static String resolve(String named) {
        String n = named.startsWith("io.inlay.") ? named.substring("io.inlay.".length()) : named;
        if (n.startsWith("internal")) {
            return "engine." + n;
        }
        if (n.equals("codec") || n.startsWith("codec.") || n.startsWith("engine.") || n.startsWith("cli.") || n.equals("cli")) {
            return n;
        }
        return ALLOWED.containsKey("engine." + n) ? "engine." + n : "cli." + n;
    }
}
