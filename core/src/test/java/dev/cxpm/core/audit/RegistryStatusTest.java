package dev.cxpm.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.Progress;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.marketplace.RegistryMarketplaces;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a registry says about installed versions, from a real HTTP server on 127.0.0.1 answering the registry's index
 * route: yanked and deprecated versions, advisories by range, and the cached copy when the registry is gone.
 */
class RegistryStatusTest {
    private static final String SHA = "sha512-" + "A".repeat(86) + "==";

    @TempDir
    Path tmp;
    HttpServer server;
    final AtomicReference<String> document = new AtomicReference<>();
    CodexHome home;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/plugins/", exchange -> {
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        home = new CodexHome(tmp.resolve("codex"));
        // what `cxpm marketplace add URL --insecure-unsigned` records beside a registry that does not sign (signing: SignedRegistryTest)
        Path marker = tmp.resolve("codex/.cxpm/registries/reg/registry.json");
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "{\"url\": \"http://127.0.0.1:" + server.getAddress().getPort() + "\", \"unsigned\": true}");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String index(String advisories) {
        return "{\"name\": \"demo\", \"versions\": ["
                + "{\"version\": \"1.0.0\", \"integrity\": \"" + SHA + "\", \"tarball\": \"/b\", \"yanked\": true},"
                + "{\"version\": \"1.1.0\", \"integrity\": \"" + SHA + "\", \"tarball\": \"/b\", \"deprecated\": \"use 2.x\\u001b[2J\"},"
                + "{\"version\": \"2.0.0\", \"integrity\": \"" + SHA + "\", \"tarball\": \"/b\"}]" + advisories + "}";
    }

    private Audit.Report audit(String version) {
        AuditedPlugin p = AuditedPlugin.read("demo", "reg", version, tmp.resolve("codex/plugins/cache/reg/demo/" + version), true);
        return Audit.run(List.of(p), List.of(new RegistryStatus(new RegistryMarketplaces(home))), Progress.NONE);
    }

    @Test
    void yankedDeprecatedAndAdvisedVersionsAreFound() {
        document.set(index(", \"advisories\": ["
                + "{\"id\": \"CXPM-2026-0001\", \"range\": \"<1.1.0\", \"severity\": \"critical\", \"summary\": \"Runs any command it is sent.\","
                + " \"url\": \"https://advisories.example.test/1\"},"
                + "{\"id\": \"CXPM-2026-0002\", \"range\": \">=1.1.0 <2.0.0\", \"severity\": \"moderate\", \"summary\": \"Logs the token.\"},"
                + "{\"id\": \"CXPM-2026-0003\", \"range\": \"<3\", \"severity\": \"severe\", \"summary\": \"Bad severity.\"}]"));
        Audit.Report yanked = audit("1.0.0");
        assertThat(yanked.findings()).extracting(Finding::severity, Finding::code, Finding::message).containsExactlyInAnyOrder(
                Tuple.tuple(Severity.WARNING, "yanked-version", "demo@reg 1.0.0 was yanked from its registry"),
                Tuple.tuple(Severity.ERROR, "advisory",
                        "demo@reg 1.0.0 is affected by CXPM-2026-0001 (critical, versions <1.1.0): Runs any command it is sent."));
        assertThat(yanked.findings()).filteredOn(f -> f.code().equals("advisory")).singleElement()
                .satisfies(f -> assertThat(f.hint()).endsWith("; details: https://advisories.example.test/1"));
        assertThat(yanked.notes()).extracting(Note::code, Note::message).containsExactly(Tuple.tuple("advisory-ignored",
                "the registry's advisory #3 (CXPM-2026-0003) ignored: `severity` is not one of low, moderate, high, critical"));

        Audit.Report deprecated = audit("1.1.0");
        assertThat(deprecated.findings()).extracting(Finding::severity, Finding::code, Finding::message).containsExactlyInAnyOrder(
                Tuple.tuple(Severity.WARNING, "deprecated-version", "demo@reg 1.1.0 is deprecated: use 2.x?[2J"),
                Tuple.tuple(Severity.WARNING, "advisory",
                        "demo@reg 1.1.0 is affected by CXPM-2026-0002 (moderate, versions >=1.1.0 <2.0.0): Logs the token."));
        assertThat(deprecated.fails(Severity.ERROR)).isFalse();
        assertThat(deprecated.fails(Severity.WARNING)).isTrue();

        assertThat(audit("2.0.0").findings()).isEmpty();
    }

    @Test
    void theCachedIndexAnswersWhenTheRegistryIsGone() {
        document.set(index(", \"advisories\": [{\"id\": \"CXPM-2026-0009\", \"range\": \"*\", \"severity\": \"high\", \"summary\": \"All of them.\"}]"));
        assertThat(audit("2.0.0").findings()).extracting(Finding::code).containsExactly("advisory");
        server.stop(0);
        server = null;
        Audit.Report offline = audit("2.0.0");
        assertThat(offline.findings()).extracting(Finding::code).containsExactly("advisory");
        assertThat(offline.notes()).extracting(Note::code).containsExactly("registry-cached");
    }

    @Test
    void aPluginNotFromARegistryIsNotAsked() {
        AuditedPlugin p = AuditedPlugin.read("demo", "local", "1.0.0", tmp, true);
        Audit.Report r = Audit.run(List.of(p), List.of(new RegistryStatus(new RegistryMarketplaces(home))), Progress.NONE);
        assertThat(r.findings()).isEmpty();
        assertThat(r.notes()).isEmpty();
    }
}
