package dev.cxpm.registry;

import dev.cxpm.core.pack.Packer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The registry load benchmark's helpers (bench/registry-load.sh serves with the real {@code ./cxpm serve} and drives
 * it with wrk): {@code seed DIR N USERS} publishes N generated plugins in-process through the real {@link Registry}
 * (the same rows and blobs as publishes over HTTP, without the HTTP round trips) and writes an admin token, USERS
 * owner tokens and sample blob paths under {@code DIR/bench/}; {@code publish URL DIR USERS EACH admin|owner} has
 * USERS concurrent publishers each publish EACH new plugins over HTTP and prints throughput and latency.
 * Not a test: run by the script.
 */
public final class RegistryBench {

    private static final String[] WORDS = {"github", "postgres", "slack", "design", "review", "deploy", "docs", "search",
            "kubernetes", "terraform", "jira", "notion", "figma", "sentry", "linear", "stripe", "aws", "gcp", "azure", "redis"};
    private static final String[] CATEGORIES = {"Coding", "Data", "Design", "Productivity", "Operations"};

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed-export" -> RegistryBenchExport.seedExport(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 1);
            case "seed" -> seed(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "seed-http" -> seedHttp(URI.create(args[1]), args[2], args.length > 4 ? Integer.parseInt(args[4]) : 0, Integer.parseInt(args[3]));
            case "publish" -> publish(URI.create(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5]);
            case "index-hits" -> indexHits(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("seed DIR N USERS | publish URL DIR USERS EACH admin|owner | index-hits DIR THREADS SECONDS");
        }
    }

    /**
     * Cached index documents on a PostgreSQL database another instance shares (the test PostgreSQL of testkit):
     * THREADS readers ask instance one for 100 plugins' documents for SECONDS; prints hits/s and the latency quantiles.
     */
    static void indexHits(Path dir, int threads, int seconds) throws Exception {
        dev.cxpm.testkit.PostgresServer pg = dev.cxpm.testkit.PostgresServer.forTests().orElseThrow();
        String url = pg.freshSchemaUrlNamed("index_hits");
        Caller admin = new Caller("bench", List.of(Caller.ADMIN), null);
        try (Registry one = Registry.postgres(url, dir.resolve("blobs"), Clock.systemUTC());
             Registry other = Registry.postgres(url, dir.resolve("blobs"), Clock.systemUTC())) {
            for (int i = 0; i < 100; i++) {
                other.publish(admin, archive("hit-" + i, i, "1.0.0"));
            }
            java.util.concurrent.ConcurrentLinkedQueue<long[]> all = new java.util.concurrent.ConcurrentLinkedQueue<>();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> readers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    long[] lat = new long[3_000_000];
                    int n = 0;
                    java.util.Random random = new java.util.Random();
                    while (System.nanoTime() < end && n < lat.length) {
                        long s = System.nanoTime();
                        one.index("hit-" + random.nextInt(100)).orElseThrow();
                        lat[n++] = System.nanoTime() - s;
                    }
                    all.add(java.util.Arrays.copyOf(lat, n));
                });
                th.start();
                readers.add(th);
            }
            for (Thread th : readers) {
                th.join();
            }
            long[] lat = all.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            System.out.printf("index hits on PostgreSQL (shared by two instances), %d threads, %d s: %.0f/s, p50 %.1f us, p99 %.1f us%n",
                    threads, seconds, lat.length / (double) seconds, lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3);
        }
    }

    static byte[] archive(String name, int i, String version) {
        String a = WORDS[i % WORDS.length];
        String b = WORDS[(i / WORDS.length) % WORDS.length];
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", """
                {"name": "%s", "version": "%s", "description": "Connects Codex to %s and %s: plugin number %d.",
                 "keywords": ["%s", "%s"],
                 "interface": {"displayName": "%s %s %d", "category": "%s", "capabilities": ["Read"]}}
                """.formatted(name, version, a, b, i, a, b, a, b, i, CATEGORIES[i % CATEGORIES.length]));
        files.put("skills/main/SKILL.md", "---\nname: main\ndescription: Works with " + a + ".\n---\nBody " + i + "\n");
        return Packer.archive(files);
    }

    static void seed(Path dir, int n, int users) throws Exception {
        Path bench = Files.createDirectories(dir.resolve("bench"));
        try (Registry r = Registry.embedded(dir, Clock.systemUTC())) {
            Caller admin = new Caller("bench", List.of(Caller.ADMIN), null);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                r.publish(admin, archive(String.format("plugin-%05d", i), i, "1.0.0"));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("seeded %d plugins in-process in %.1f s (%.2f ms each)%n", n, s, s * 1000 / n);
            List<String> tokens = new ArrayList<>(List.of(r.createToken(null, "bench", List.of(Caller.ADMIN), null, "bench").token()));
            for (int u = 0; u < users; u++) {
                tokens.add(r.createToken(null, "user" + u, List.of("owner"), null, "bench").token());
            }
            Files.write(bench.resolve("tokens.txt"), tokens);
            Random random = new Random(3);
            List<String> blobs = new ArrayList<>();
            for (int k = 0; k < 500; k++) {
                String name = String.format("plugin-%05d", random.nextInt(n));
                blobs.add(Registry.BLOB_PATH + r.versions(name).get(0).integrity().hex());
            }
            Files.write(bench.resolve("blobs.txt"), blobs);
        }
    }

    /** {@code seed-http URL TOKEN N [FROM]}: plugins FROM to N-1 as {@code seed} makes them, published over HTTP (a registry on PostgreSQL + S3). */
    static void seedHttp(URI url, String token, int from, int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = from; i < n; i++) {
            int status = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/plugins"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(archive(String.format("plugin-%05d", i), i, "1.0.0")))
                    .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 201 && status != 409) {
                throw new IllegalStateException("publishing plugin " + i + ": HTTP " + status);
            }
        }
    }

    /** Each publisher's plugins have names far from every other name (random letters), so the look-alike check passes. */
    static void publish(URI url, Path dir, int users, int each, String who) throws Exception {
        List<String> tokens = Files.readAllLines(dir.resolve("bench/tokens.txt"));
        HttpClient http = HttpClient.newHttpClient();
        long stamp = System.nanoTime();
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(users)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                int user = u;
                String token = who.equals("admin") ? tokens.get(0) : tokens.get(1 + u);
                jobs.add(pool.submit(() -> {
                    Random random = new Random(stamp + user);
                    for (int i = 0; i < each; i++) {
                        StringBuilder name = new StringBuilder("p");
                        for (int c = 0; c < 12; c++) {
                            name.append((char) ('a' + random.nextInt(26)));
                        }
                        byte[] body = archive(name.toString(), i, "1.0.0");
                        long s0 = System.nanoTime();
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/plugins"))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", "Bearer " + token).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() != 201) {
                            throw new IllegalStateException(resp.statusCode() + " " + resp.body());
                        }
                        ms.add((System.nanoTime() - s0) / 1e6);
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf("%d %s publishers x %d new plugins over HTTP: %.0f publishes/s, median %.1f ms, p99 %.1f ms%n", users, who, each,
                sorted.size() / s, sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)));
    }
}
