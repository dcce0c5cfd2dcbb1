package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.testkit.CodexClient;
import dev.cxpm.testkit.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/OPERATIONS.md's "Scale out" recipe as written there (addresses, ports and paths substituted): two real
 * {@code cxpm serve} processes on one PostgreSQL database and one S3 bucket (S3Proxy), behind the recipe's own
 * haproxy.cfg run by Debian's HAProxy. Through the balancer a publish shows on both instances within the stated bound,
 * the Codex git view is the same commit from both, the real Codex CLI adds the marketplace and installs, and cxpm
 * installs. HAProxy is required where CI is set (.ci/run installs it): the test never skips there.
 */
class ServeBehindLoadBalancerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS = "cxpm-lb-access";
    private static final String SECRET = "cxpm-lb-secret";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** The visibility bound docs/OPERATIONS.md states. */
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    @TempDir
    Path tmp;
    BlobStoreContext s3Store;
    S3Proxy s3;
    final List<Process> processes = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        if (s3 != null) {
            s3.stop();
            s3Store.close();
        }
    }

    /** HAProxy is a required tool in CI (CXPM_REQUIRE_HAPROXY, or CI=true): there a missing one fails the test. */
    static void requireHaproxy() {
        boolean required = System.getenv("CXPM_REQUIRE_HAPROXY") != null || "true".equals(System.getenv("CI"));
        if (required) {
            assertThat(HAPROXY).as("HAProxy (apt-get install haproxy), required by CXPM_REQUIRE_HAPROXY / CI").isExecutable();
        } else {
            assumeThat(Files.isExecutable(HAPROXY)).as("HAProxy at " + HAPROXY + " (apt-get install haproxy)").isTrue();
        }
    }

    /** The "Scale out" section of docs/OPERATIONS.md. */
    static String scaleOutSection() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
        int start = doc.indexOf("\n## Scale out");
        assertThat(start).as("the section in docs/OPERATIONS.md").isNotNegative();
        int end = doc.indexOf("\n## ", start + 3);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** The section's {@code cxpm} command lines (continuations joined), as the operator would type them. */
    static List<String> documentedCommands(String section) {
        List<String> out = new ArrayList<>();
        String joined = section.replace("\\\n", " ");
        for (String line : joined.split("\n")) {
            String command = line.replaceAll("\\s+#.*$", "").replaceAll("\\s+", " ").strip();
            if (command.startsWith("cxpm ")) {
                out.add(command);
            }
        }
        return out;
    }

    /** The prometheus.yml of the Metrics section. */
    static String documentedPrometheusConfig() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
        int start = doc.indexOf("```yaml\n# prometheus.yml");
        assertThat(start).as("the scrape config in docs/OPERATIONS.md").isNotNegative();
        start = doc.indexOf('\n', start) + 1;
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** The section's haproxy.cfg: the one code block that has a {@code frontend}. */
    static String documentedHaproxyConfig(String section) {
        for (String block : section.split("```")) {
            if (block.contains("\nfrontend ")) {
                return block.substring(block.indexOf('\n') + 1);
            }
        }
        throw new AssertionError("no haproxy.cfg block in the Scale out section");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> words(String command, Map<String, String> substitutions) {
        List<String> args = new ArrayList<>();
        for (String word : command.substring("cxpm ".length()).split(" ")) {
            args.add(substitutions.getOrDefault(word, word));
        }
        return args;
    }

    private void awaitReady(URI url, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (p != null && !p.isAlive()) {
                fail("exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/readyz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(deadline - System.nanoTime()).as("%s ready", url).isPositive();
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String latest(URI base, String plugin) throws Exception {
        HttpResponse<String> r = get(base, "/api/v1/plugins/" + plugin);
        return r.statusCode() == 200 ? JSON.readTree(r.body()).path("latest").asText() : "";
    }

    @Test
    void theDocumentedRecipeServesOneRegistryThroughHaproxyToCodexAndCxpm() throws Exception {
        requireHaproxy();
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String database = pg.freshSchemaUrlNamed("serve_lb");
        s3Store = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        s3Store.getBlobStore().createContainerInLocation(null, "cxpm-blobs");
        s3 = S3Proxy.builder().blobStore(s3Store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
        s3.start();
        while (!s3.getState().equals("STARTED")) {
            Thread.sleep(5);
        }
        int portA = freePort();
        int portB = freePort();
        int portLb = freePort();
        URI a = URI.create("http://127.0.0.1:" + portA);
        URI b = URI.create("http://127.0.0.1:" + portB);
        URI lb = URI.create("http://127.0.0.1:" + portLb);

        String section = scaleOutSection();
        Map<String, String> substitutions = new HashMap<>(Map.of("0.0.0.0", "127.0.0.1", "8686", String.valueOf(portA),
                "8687", String.valueOf(portB), "/var/lib/cxpm/a", tmp.resolve("a").toString(), "/var/lib/cxpm/b",
                tmp.resolve("b").toString(), "\"$DB\"", database, "https://s3.internal", "http://127.0.0.1:" + s3.getPort(),
                "https://registry.example.com", lb.toString(), "/etc/cxpm/signing-key.json", tmp.resolve("signing-key.json").toString()));
        Path metricsToken = tmp.resolve("metrics-token");
        Files.writeString(metricsToken, "prometheus-scrapes-with-this-token\n");
        substitutions.put("/etc/cxpm/metrics-token", metricsToken.toString());
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(), "PATH", System.getenv("PATH"),
                "AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET);
        List<String> commands = documentedCommands(section);
        List<String> serves = commands.stream().filter(c -> c.startsWith("cxpm serve ")).toList();
        assertThat(serves).as("the recipe's two instances").hasSize(2);
        Map<URI, Path> logs = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            Path log = tmp.resolve("serve-" + i + ".log");
            // started at once, on one machine: whichever writes the shared signing key first, the other uses it
            processes.add(CxpmProcess.start(tmp, env, log, words(serves.get(i), substitutions).toArray(String[]::new)));
            logs.put(i == 0 ? a : b, log);
        }
        awaitReady(a, processes.get(0), logs.get(a));
        awaitReady(b, processes.get(1), logs.get(b));

        String config = documentedHaproxyConfig(section).replace("bind :80", "bind 127.0.0.1:" + portLb)
                .replace("10.0.0.1:8686", "127.0.0.1:" + portA).replace("10.0.0.2:8687", "127.0.0.1:" + portB);
        Path cfg = tmp.resolve("haproxy.cfg");
        Files.writeString(cfg, config);
        Process check = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as("haproxy -c -f haproxy.cfg\n" + checked).isZero();
        Path lbLog = tmp.resolve("haproxy.log");
        processes.add(new ProcessBuilder(HAPROXY.toString(), "-f", cfg.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(lbLog.toFile()).start());
        awaitReady(lb, null, lbLog);

        String tokenCommand = commands.stream().filter(c -> c.startsWith("cxpm token create")).findFirst().orElseThrow();
        CliRun token = CliRun.in(tmp, env, Env.Stderr.OTHER, Clock.systemUTC(), words(tokenCommand, substitutions).toArray(String[]::new));
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        String admin = token.stdout().strip();

        // both instances have answered for the plugin and built their git view before the publish: they hold it in cache.
        // Instances start at different times; their first views are built more than a second apart here too.
        for (URI instance : List.of(a, b)) {
            assertThat(get(instance, "/api/v1/plugins/hello").statusCode()).isEqualTo(404);
            assertThat(get(instance, "/codex/marketplace.git/info/refs").statusCode()).isEqualTo(200);
            if (instance == a) {
                Thread.sleep(1100);
            }
        }
        byte[] archive = Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\":\"hello\",\"version\":\"1.0.0\",\"description\":\"A plugin for hello.\"}",
                "skills/hello/SKILL.md", "---\nname: hello\ndescription: Says hello.\n---\nHello.\n"));
        HttpResponse<String> published = http.send(HttpRequest.newBuilder(lb.resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).header("Content-Type", "application/gzip")
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        long t0 = System.nanoTime();
        for (URI instance : List.of(a, b)) {
            while (!latest(instance, "hello").equals("1.0.0") || !get(instance, "/api/v1/search?q=hello").body().contains("\"1.0.0\"")
                    || !get(instance, "/codex/marketplace.git/info/refs").body().equals(get(a, "/codex/marketplace.git/info/refs").body())) {
                assertThat(System.nanoTime() - t0).as("%s shows the publish within %s", instance, BOUND).isLessThan(BOUND.toNanos());
                Thread.sleep(20);
            }
        }
        // the same index document and the same signature from both: a client pins one key, whichever instance it reached
        HttpResponse<String> fromA = get(a, "/api/v1/plugins/hello");
        HttpResponse<String> fromB = get(b, "/api/v1/plugins/hello");
        assertThat(fromB.body()).isEqualTo(fromA.body());
        assertThat(fromB.headers().firstValue("X-Cxpm-Signature")).as("the signature of b's answer")
                .isEqualTo(fromA.headers().firstValue("X-Cxpm-Signature")).isPresent();

        // through the balancer, each request to a different instance: the real Codex CLI and cxpm
        CodexClient codex = new CodexClient(tmp.resolve("codex-home"), tmp.resolve("home"));
        CodexClient.Result add = codex.run("plugin", "marketplace", "add", lb + "/codex/marketplace.git");
        assertThat(add.exitCode()).as(add.output()).isZero();
        CodexClient.Result install = codex.run("plugin", "add", "hello@cxpm-registry");
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(tmp.resolve("codex-home/plugins/cache/cxpm-registry/hello/1.0.0/skills/hello/SKILL.md")).content()
                .contains("Hello.");

        Path project = Files.createDirectories(tmp.resolve("project"));
        Map<String, String> user = Fixtures.env(tmp.resolve("user-codex-home"), tmp.resolve("user-home"));
        CliRun cxpm = CliRun.in(project, user, Env.Stderr.OTHER, Clock.systemUTC(), "install", "hello", "--registry", lb.toString(), "--json");
        assertThat(cxpm.exitCode()).as(cxpm.stderr()).isZero();
        JsonNode installed = JSON.readTree(cxpm.stdout());
        assertThat(Path.of(installed.path("installedPath").asText(), "skills/hello/SKILL.md")).content().contains("Hello.");

        // option forwardfor + --trust-proxy: the instance logs the address HAProxy saw, not what the client wrote
        HttpResponse<String> spoofed = http.send(HttpRequest.newBuilder(lb.resolve("/api/v1/plugins/hello"))
                .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
        String requestId = spoofed.headers().firstValue("X-Request-Id").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String line = null;
        while (line == null) {
            for (Path log : logs.values()) {
                line = Files.readAllLines(log).stream().filter(l -> l.contains("\"requestId\":\"" + requestId + "\"")).findFirst().orElse(line);
            }
            assertThat(deadline - System.nanoTime()).as("the access log line of " + requestId).isPositive();
            Thread.sleep(20);
        }
        assertThat(JSON.readTree(line).path("remote").asText()).isEqualTo("127.0.0.1");

        // Prometheus as the Metrics section configures it: each instance scraped directly, with the token file's content
        JsonNode scrape = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(documentedPrometheusConfig()).path("scrape_configs").get(0);
        assertThat(scrape.path("authorization").path("type").asText()).isEqualTo("Bearer");
        String bearer = Files.readString(metricsToken).strip(); // Prometheus trims the credentials file, as serve reads its first line
        Map<String, URI> targets = Map.of("10.0.0.1:8686", a, "10.0.0.2:8687", b);
        double publishes = 0;
        List<URI> scraped = new ArrayList<>();
        for (JsonNode target : scrape.path("static_configs").get(0).path("targets")) {
            URI instance = targets.get(target.asText());
            assertThat(instance).as("target " + target).isNotNull();
            scraped.add(instance);
            HttpRequest.Builder request = HttpRequest.newBuilder(instance.resolve(scrape.path("metrics_path").asText()));
            assertThat(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("no token, even from loopback, once --metrics-token-file is set").isEqualTo(403);
            HttpResponse<String> metrics = http.send(request.header("Authorization", "Bearer " + bearer).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).contains("version=0.0.4");
            publishes += metrics.body().lines().filter(l -> l.startsWith("cxpm_publishes_total{outcome=\"published\"} "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
        assertThat(scraped).containsExactlyInAnyOrder(a, b);
        assertThat(publishes).as("the one publish, counted by the instance that took it").isEqualTo(1.0);
        assertThat(http.send(HttpRequest.newBuilder(lb.resolve("/metrics")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("metrics through the balancer without the token").isEqualTo(403);

        Process stopping = processes.get(processes.size() - 1);
        stopping.destroy();
        assertThat(stopping.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
