package dev.cxpm.core.format.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.testkit.TestFiles;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketplaceTest {
    @TempDir
    Path dir;

    private Marketplace load(String fixture) {
        return Marketplace.load(TestFiles.codexFixture(fixture, dir));
    }

    private void assertRejected(String fixture, String message) {
        assertThatThrownBy(() -> load(fixture)).isInstanceOf(UserError.class).hasMessageContaining(message);
    }

    @Test
    void readsEveryManifestLocationCodexReads() {
        assertThat(load("mkt-claude-location").manifestFile().toString()).endsWith(".claude-plugin/marketplace.json");
        assertThat(load("mkt-cursor-location").manifestFile().toString()).endsWith(".cursor-plugin/marketplace.json");
        assertThat(load("mkt-api-location").manifestFile().toString()).endsWith(".agents/plugins/api_marketplace.json");
        assertThat(load("mkt-agents-and-claude").manifestFile().toString()).endsWith(".agents/plugins/marketplace.json");
        assertRejected("mkt-root-location", "does not contain a supported manifest");
        assertRejected("mkt-no-manifest", "does not contain a supported manifest");
    }

    @Test
    void readsEverySourceForm() {
        Marketplace m = load("manifest-codex-minimal");
        assertThat(m.name()).isEqualTo("fx");
        assertThat(m.plugins()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(new PluginSource.Local("./plugins/demo"));
            assertThat(e.installPolicy()).isEqualTo(InstallPolicy.AVAILABLE);
            assertThat(e.authPolicy()).isEqualTo(AuthPolicy.ON_INSTALL);
        });
        assertThat(load("mkt-source-string").plugins().getFirst().source()).isInstanceOf(PluginSource.Local.class);
        assertThat(load("mkt-source-npm").plugin("demo").orElseThrow().source())
                .isEqualTo(new PluginSource.Npm("@example/demo-plugin", Optional.of("1.0.0"), Optional.empty()));
        assertThat(load("mkt-source-url-git").plugin("demo").orElseThrow().source()).isInstanceOf(PluginSource.Git.class);
        assertThat(load("mkt-source-git-subdir").plugin("demo").orElseThrow().source())
                .isEqualTo(new PluginSource.GitSubdir("https://git.example.test/team/mono.git", "plugins/demo", Optional.empty()));
    }

    @Test
    void readsPoliciesAndEntryMetadata() {
        MarketplaceEntry e = load("mkt-policy-installed-by-default").plugin("demo").orElseThrow();
        assertThat(e.installPolicy()).isEqualTo(InstallPolicy.INSTALLED_BY_DEFAULT);
        assertThat(e.authPolicy()).isEqualTo(AuthPolicy.ON_USE);
        assertThat(load("mkt-policy-not-available").plugin("demo").orElseThrow().installPolicy())
                .isEqualTo(InstallPolicy.NOT_AVAILABLE);
        Marketplace m = load("mkt-entry-version-and-interface");
        assertThat(m.displayName()).contains("Fixture Market");
        assertThat(m.plugin("demo").orElseThrow().version()).contains("5.0.0");
        assertThat(m.plugin("demo").orElseThrow().category()).contains("Coding");
    }

    @Test
    void skipsOnlyTheEntriesCodexSkips() {
        for (String fixture : new String[] {"mkt-source-string-no-dot", "mkt-source-dotdot", "mkt-source-absolute",
                "mkt-source-unknown-type", "manifest-name-bad-chars"}) {
            Marketplace m = load(fixture);
            assertThat(m.plugins()).as(fixture).isEmpty();
            assertThat(m.skippedEntries()).as(fixture).hasSize(1);
        }
        Marketplace one = load("mkt-one-bad-entry");
        assertThat(one.plugins()).extracting(MarketplaceEntry::name).containsExactly("demo");
        assertThat(one.skipped()).singleElement().satisfies(f -> assertThat(f.message()).contains("must start with `./`"));
        Marketplace dup = load("mkt-duplicate-plugin");
        assertThat(dup.plugins()).singleElement().satisfies(e -> assertThat(e.source()).isEqualTo(new PluginSource.Local("./plugins/demo")));
        assertThat(load("mkt-empty-plugins").plugins()).isEmpty();
        assertThat(load("manifest-name-dot").plugin("demo.v2")).isPresent();
    }

    @Test
    void rejectsTheWholeFileWhereCodexDoes() {
        assertRejected("mkt-source-missing", "missing field `source`");
        assertRejected("mkt-policy-bad-value", "unknown variant `SOMETIMES`");
        assertRejected("mkt-name-missing", "missing field `name`");
        assertRejected("mkt-name-bad-chars", "invalid marketplace name");
        assertRejected("mkt-name-reserved", "is reserved");
        assertRejected("mkt-plugins-not-array", "expected a sequence");
        assertRejected("mkt-invalid-json", "invalid JSON");
    }
}
