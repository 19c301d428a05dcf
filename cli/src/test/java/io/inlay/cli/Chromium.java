package io.inlay.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A headless Chromium driven through its DevTools protocol (over a WebSocket, with the JDK's
 * client): the distribution's package, started with the flags this machine needs (no sandbox as
 * root, no background networking: the network is closed), a fresh profile, and a debugging port
 * on loopback that the browser picks. Test scope only.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser: {@code $CHROMIUM}, else the distribution's {@code chromium}; empty when there is none. */
    static Optional<Path> find() {
        String env = System.getenv("CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }

    static Chromium start(Path exe, Path profile) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        List<String> cmd = List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName()
                + ".log").toFile()).start();
        Path port = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(port) || Files.readAllLines(port).size() < 2) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("chromium did not open its DevTools port (see " + profile + ".log)");
            }
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(port);
        URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
        Chromium[] self = new Chromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            self[0].received(text);
                        }
                        w.request(1);
                        return null;
                    }
                }).join();
        self[0] = new Chromium(p, profile, ws);
        return self[0];
    }

    @SuppressWarnings("unchecked")
    private void received(String text) {
        try {
            Map<String, Object> m = JSON.std.mapFrom(text);
            if (m.get("id") instanceof Number id) {
                CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
                if (f != null) {
                    if (m.get("error") != null) {
                        f.completeExceptionally(new IOException("DevTools: " + m.get("error")));
                    } else {
                        f.complete((Map<String, Object>) m.getOrDefault("result", Map.of()));
                    }
                }
            } else {
                synchronized (events) {
                    events.add(m);
                    events.notifyAll();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends a command (to a page's session when {@code session} is not null) and waits for its result. */
    Map<String, Object> send(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("method", method);
        m.put("params", params);
        if (session != null) {
            m.put("sessionId", session);
        }
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.std.asString(m), true).join();
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Waits for an event matching {@code test} (seen before or after the call). */
    Map<String, Object> await(Predicate<Map<String, Object>> test, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (events) {
            while (true) {
                for (Map<String, Object> e : events) {
                    if (test.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("no such DevTools event in " + millis + " ms");
                }
                events.wait(left);
            }
        }
    }

    /** Every event received so far. */
    List<Map<String, Object>> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** A new page, attached: its session id. */
    String newPage() throws Exception {
        String target = (String) send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId");
        return (String) send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId");
    }

    @Override
    public void close() throws Exception {
        try {
            send(null, "Browser.close", Map.of());
        } catch (Exception e) {
            // it may go before answering
        }
        socket.abort();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
