package dev.cxpm.registry;

import dev.cxpm.core.pack.Packer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry load benchmark's server side (bench/registry-load.sh drives it with wrk):
 * {@code seed DIR N} publishes N generated plugins in-process and then measures publish latency
 * over HTTP; {@code serve DIR PORT} serves DIR until killed. Not a test: run by the script.
 */
public final class RegistryBench {

    private static final String[] WORDS = {"github", "postgres", "slack", "design", "review", "deploy", "docs", "search",
            "kubernetes", "terraform", "jira", "notion", "figma", "sentry", "linear", "stripe", "aws", "gcp", "azure", "redis"};
    private static final String[] CATEGORIES = {"Coding", "Data", "Design", "Productivity", "Operations"};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "seed" -> seed(dir, Integer.parseInt(args[2]));
            case "serve" -> serve(dir, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("seed DIR N | serve DIR PORT");
        }
    }

    static byte[] archive(int i, String version) {
        String a = WORDS[i % WORDS.length];
        String b = WORDS[(i / WORDS.length) % WORDS.length];
        String name = String.format("plugin-%05d", i);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", """
                {"name": "%s", "version": "%s", "description": "Connects Codex to %s and %s: plugin number %d.",
                 "keywords": ["%s", "%s"],
                 "interface": {"displayName": "%s %s %d", "category": "%s", "capabilities": ["Read"]}}
                """.formatted(name, version, a, b, i, a, b, a, b, i, CATEGORIES[i % CATEGORIES.length]));
        files.put("skills/main/SKILL.md", "---\nname: main\ndescription: Works with " + a + ".\n---\nBody " + i + "\n");
        return Packer.archive(files);
    }

    static void seed(Path dir, int n) throws Exception {
        try (Registry r = Registry.embedded(dir, Clock.systemUTC())) {
            Caller admin = new Caller("bench", List.of(Caller.ADMIN), null);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                r.publish(admin, archive(i, "1.0.0"));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("seeded %d plugins in-process in %.1f s (%.2f ms each)%n", n, s, s * 1000 / n);
            String token = r.createToken(null, "bench", List.of(Caller.ADMIN), null, "bench").token();
            try (RegistryServer server = RegistryServer.start(r, "127.0.0.1", 0,
                    new RegistryServer.Options(dir.resolve("codex-marketplace.git"), "bench"))) {
                HttpClient http = HttpClient.newHttpClient();
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < 220; i++) {
                    byte[] body = archive(i, "1.0." + (i + 1));
                    long s0 = System.nanoTime();
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/plugins"))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (resp.statusCode() != 201) {
                        throw new IllegalStateException(resp.body());
                    }
                    if (i >= 20) {
                        ms.add((System.nanoTime() - s0) / 1e6);
                    }
                }
                Collections.sort(ms);
                System.out.printf("publish over HTTP (200 after 20 warm-up): median %.1f ms, p99 %.1f ms%n",
                        ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.99)));
            }
        }
    }

    static void serve(Path dir, int port) throws Exception {
        Registry r = Registry.embedded(dir, Clock.systemUTC());
        RegistryServer.start(r, "127.0.0.1", port, new RegistryServer.Options(dir.resolve("codex-marketplace.git"), "bench"));
        System.out.println("serving on " + port);
        Thread.currentThread().join();
    }
}
