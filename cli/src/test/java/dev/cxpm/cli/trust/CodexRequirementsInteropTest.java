package dev.cxpm.cli.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.Shared;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codex's own allowlist, /etc/codex/requirements.toml, both ways: {@code cxpm policy export --codex} writes one that the
 * real Codex CLI then enforces (it refuses the denied marketplace and adds the allowed one), and cxpm enforces one as
 * Codex does. The real client reads only /etc/codex/requirements.toml, so it runs in a mount namespace of its own
 * whose /etc is an overlay: the machine's /etc, which other tests share, is never written.
 */
class CodexRequirementsInteropTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {
    }

    /** The real codex with this requirements.toml as /etc/codex/requirements.toml, in a mount namespace of its own. */
    private Run codexWith(Path requirements, String... args) throws Exception {
        Path up = Files.createDirectories(dir.resolve("overlay-" + System.nanoTime() + "/up"));
        Path work = Files.createDirectories(up.resolveSibling("work"));
        String script = """
                set -e
                mount -t overlay overlay -o lowerdir=/etc,upperdir="$UP",workdir="$WORK" /etc
                mkdir -p /etc/codex
                cp "$REQ" /etc/codex/requirements.toml
                exec "$CODEX" "$@"
                """;
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "bash", "-c", script, "codex"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("UP", up.toString());
        env.put("WORK", work.toString());
        env.put("REQ", requirements.toString());
        env.put("CODEX", Shared.codexClientScript().toString());
        env.put("CODEX_HOME", dir.resolve("codex-home").toString());
        env.put("HOME", dir.resolve("home").toString());
        Files.createDirectories(dir.resolve("codex-home"));
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private void assumeMountNamespaces() throws Exception {
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "needs unshare -m (root or user namespaces) to give the real Codex its own /etc");
    }

    private static Path market(Path root, String name) {
        TeamFixture.write(root.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"" + name + "\", \"plugins\": [{\"name\": \"demo\", \"source\": \"./plugins/demo\"}]}");
        TeamFixture.write(root.resolve("plugins/demo/.codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\"}");
        return root;
    }

    @Test
    void theExportedRequirementsMakePlainCodexRefuseADeniedMarketplaceAndAcceptAnAllowedOne() throws Exception {
        assumeMountNamespaces();
        Path allowed = market(dir.resolve("allowed"), "good");
        Path denied = market(dir.resolve("denied"), "bad");
        TeamFixture.write(dir.resolve("home/.config/cxpm/policy.toml"), """
                [marketplaces]
                allow-local = ["%s"]
                allow-git = ["https://git.example.test/acme/plugins.git"]
                deny-git = ["https://git.example.test/acme/old.git"]
                """.formatted(allowed));
        Map<String, String> vars = Map.of("CXPM_CODEX_REQUIREMENTS", dir.resolve("none.toml").toString());
        CliRun export = CliRun.in(dir, vars, "policy", "export", "--codex", "-o", "requirements.toml");
        assertThat(export.exitCode()).as(export.stderr()).isZero();
        String text = Files.readString(dir.resolve("requirements.toml"));
        assertThat(text).contains("restrict_to_allowed_sources = true").contains("path = \"" + allowed + "\"")
                .contains("url = \"https://git.example.test/acme/plugins.git\"")
                .contains("# marketplaces.deny-git \"https://git.example.test/acme/old.git\"");

        Run refused = codexWith(dir.resolve("requirements.toml"), "plugin", "marketplace", "add", denied.toString());
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("marketplace source `" + denied + "` is not allowed by requirements from /etc/codex/requirements.toml");
        Run added = codexWith(dir.resolve("requirements.toml"), "plugin", "marketplace", "add", allowed.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).contains("Added marketplace `good`");
        assertThat(Files.readString(dir.resolve("codex-home/config.toml"))).contains("[marketplaces.good]").doesNotContain("bad");
    }

    @Test
    void cxpmEnforcesCodexsRequirementsAsTheRealCliDoes() throws Exception {
        assumeMountNamespaces();
        Path allowed = market(dir.resolve("allowed"), "good");
        Path denied = market(dir.resolve("denied"), "bad");
        Path requirements = dir.resolve("requirements.toml");
        Map<String, String> vars = Map.of("CODEX_HOME", dir.resolve("codex-home").toString(), "CXPM_CODEX_REQUIREMENTS", requirements.toString());
        // added before the rule exists, as an administrator would find it
        assertThat(CliRun.in(dir, vars, "marketplace", "add", denied.toString()).exitCode()).isZero();
        Files.writeString(requirements, """
                [marketplaces]
                restrict_to_allowed_sources = true

                [marketplaces.allowed_sources.team]
                source = "local"
                path = "%s"
                """.formatted(allowed));

        CliRun refused = CliRun.in(dir, vars, "marketplace", "add", allowed.resolveSibling("denied").toString() + "/");
        assertThat(refused.exitCode()).isEqualTo(8);
        assertThat(refused.stderr()).contains("marketplace source `" + denied + "`: not allowed by Codex's requirements")
                .contains("by marketplaces.restrict_to_allowed_sources (" + requirements + ":2)");
        CliRun install = CliRun.in(dir, vars, "install", "demo@bad");
        assertThat(install.exitCode()).isEqualTo(8);
        assertThat(install.stderr()).contains("demo@bad: not allowed by Codex's requirements").contains("(Codex hides this marketplace's plugins)");
        assertThat(codexWith(requirements, "plugin", "add", "demo@bad").output()).as("the real CLI refuses it too")
                .contains("plugin `demo` was not found in marketplace `bad`");
        assertThat(Files.exists(dir.resolve("codex-home/plugins/cache/bad"))).isFalse();

        CliRun ok = CliRun.in(dir, vars, "marketplace", "add", allowed.toString());
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(CliRun.in(dir, vars, "install", "demo@good").exitCode()).isZero();

        Files.writeString(requirements, "[marketplaces]\nrestrict_to_allowed_sources = true\n[marketplaces.allowed_sources.x]\nsource = \"local\"\npath = \"rel\"\nbogus = 1\n");
        CliRun broken = CliRun.in(dir, vars, "install", "demo@good");
        assertThat(broken.exitCode()).as("a requirements file Codex refuses stops cxpm too").isEqualTo(1);
        assertThat(broken.stderr()).contains("unknown field `bogus`").contains("local path must be absolute");
        assertThat(codexWith(requirements, "plugin", "list").output()).contains("unknown field `bogus`");
    }
}
