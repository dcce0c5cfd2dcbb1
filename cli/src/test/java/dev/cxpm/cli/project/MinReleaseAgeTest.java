package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code min-release-age}: a real registry on 127.0.0.1 publishes with a clock the test moves, and cxpm
 * runs with a fixed clock of its own, so "published two days ago" is exact.
 */
class MinReleaseAgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @TempDir
    Path tmp;
    Path data;
    Path project;
    Map<String, String> env;
    MovableClock registryClock = new MovableClock();
    Registry registry;
    RegistryServer server;
    String url;

    /** The registry's clock, set before each publish. */
    static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, registryClock);
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        CliRun token = cxpm(tmp, "token", "create", "--data", data.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        assertThat(cxpm(tmp, "login", "--registry", url, "--token", token.stdout().strip()).exitCode()).isZero();
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun cxpm(Path cwd, String... args) {
        return at(NOW, cwd, args);
    }

    CliRun at(Instant now, Path cwd, String... args) {
        return CliRun.in(cwd, env, Env.Stderr.OTHER, Clock.fixed(now, ZoneOffset.UTC), args);
    }

    void publish(String name, String version, Instant at) throws IOException {
        registryClock.now = at;
        Path dir = tmp.resolve("src").resolve(name + "-" + version);
        Fixtures.plugin(dir, "{\"name\": \"" + name + "\", \"version\": \"" + version + "\", \"description\": \"The " + name
                + " plugin, version " + version + "\"}");
        CliRun r = cxpm(tmp, "publish", dir.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    void manifest(String ageLine, String range) throws IOException {
        Files.writeString(project.resolve("cxpm.toml"), ageLine + "\n[marketplaces]\ncxpm-registry = \"" + url + "\"\n\n[plugins]\ndemo = \"" + range + "\"\n");
    }

    String locked() throws IOException {
        String lock = Files.readString(project.resolve("cxpm.lock"));
        return lock.replaceAll("(?s).*version = \"([^\"]+)\".*", "$1");
    }

    @Test
    void syncSkipsVersionsPublishedMoreRecentlyThanTheMinimumAge() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofDays(2)));
        manifest("min-release-age = \"3d\"", "^1");

        CliRun sync = cxpm(project, "sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(locked()).isEqualTo("1.0.0");

        CliRun later = at(NOW.plus(Duration.ofDays(1)), project, "update", "demo");
        assertThat(later.exitCode()).as(later.stderr()).isZero();
        assertThat(locked()).isEqualTo("1.1.0");
    }

    @Test
    void aPolicyFilesAgeHoldsBackAsCxpmTomlsDoesAndTheStricterWins() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofDays(2)));
        manifest("min-release-age = \"1d\"", "^1");
        Files.writeString(project.resolve("cxpm-policy.toml"), "min-release-age = \"3d\"\n");

        CliRun sync = cxpm(project, "sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(locked()).as("the policy's 3d, stricter than cxpm.toml's 1d").isEqualTo("1.0.0");

        Files.delete(project.resolve("cxpm-policy.toml"));
        Files.createDirectories(tmp.resolve("home/.config/cxpm"));
        Files.writeString(tmp.resolve("home/.config/cxpm/policy.toml"), "min-release-age = \"3d\"\n");
        CliRun install = cxpm(tmp, "install", "demo@cxpm-registry");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(install.stdout()).contains("1.0.0").doesNotContain("1.1.0");
    }

    @Test
    void addWithoutARangeWritesTheNewestVersionOldEnough() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofDays(2)));
        Files.writeString(project.resolve("cxpm.toml"), "min-release-age = \"3d\"\n[marketplaces]\ncxpm-registry = \"" + url + "\"\n");

        CliRun add = cxpm(project, "add", "demo@cxpm-registry");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(Files.readString(project.resolve("cxpm.toml"))).contains("demo = { version = \"^1.0.0\"");
        assertThat(locked()).isEqualTo("1.0.0");
    }

    @Test
    void aLockedVersionStaysEvenWhenItIsYoungerThanTheMinimumAge() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofDays(2)));
        manifest("", "^1");
        assertThat(cxpm(project, "sync").exitCode()).isZero();
        assertThat(locked()).isEqualTo("1.1.0");

        manifest("min-release-age = \"1w\"", "^1");
        CliRun update = cxpm(project, "update");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(locked()).isEqualTo("1.1.0");
        CliRun frozen = cxpm(project, "sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stderr()).isZero();
    }

    @Test
    void whenEveryMatchingVersionIsTooYoungTheErrorNamesThemAndWhenTheyBecomeEligible() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "2.0.0", NOW.minus(Duration.ofHours(2)));
        publish("demo", "2.1.0", NOW.minus(Duration.ofHours(1)));
        manifest("min-release-age = \"3d\"", "^2");

        CliRun sync = cxpm(project, "sync");
        assertThat(sync.exitCode()).as(sync.stdout()).isEqualTo(3);
        assertThat(sync.stderr()).contains("demo", "2.0.0 (eligible 2026-11-27T22:00:00Z)", "2.1.0 (eligible 2026-11-27T23:00:00Z)",
                "min-release-age 3d", "cxpm.toml:1");
        assertThat(sync.stderr()).contains("hint: wait until 2026-11-27T22:00:00Z", "; old enough: 1.0.0");
        assertThat(project.resolve("cxpm.lock")).doesNotExist();
    }

    @Test
    void aPublishTimeInTheFutureCountsAsJustPublished() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.plus(Duration.ofDays(365)));
        manifest("min-release-age = \"3d\"", "^1");

        CliRun sync = cxpm(project, "sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(locked()).isEqualTo("1.0.0");
        CliRun outdated = cxpm(project, "outdated", "--json");
        JsonNode row = JSON.readTree(outdated.stdout()).path("plugins").get(0);
        assertThat(row.path("heldBack").get(0).path("version").asText()).isEqualTo("1.1.0");
        assertThat(row.path("heldBack").get(0).path("until").asText()).isEqualTo("2026-11-28T00:00:00Z");
    }

    @Test
    void outdatedShowsWhatIsHeldBackAndUntilWhen() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofDays(2)));
        manifest("min-release-age = \"3d\"", "^1");
        assertThat(cxpm(project, "sync").exitCode()).isZero();

        CliRun human = cxpm(project, "outdated");
        assertThat(human.exitCode()).as(human.stderr()).isZero(); // nothing it could move to yet
        assertThat(human.stdout()).contains("HELD BACK", "1.1.0 until 2026-11-26T00:00:00Z");

        CliRun json = cxpm(project, "outdated", "--json");
        JsonNode row = JSON.readTree(json.stdout()).path("plugins").get(0);
        assertThat(row.path("current").asText()).isEqualTo("1.0.0");
        assertThat(row.path("latest").asText()).isEqualTo("1.0.0");
        assertThat(row.path("outdated").asBoolean()).isFalse();
        assertThat(row.path("heldBack").get(0).path("version").asText()).isEqualTo("1.1.0");
        assertThat(row.path("heldBack").get(0).path("until").asText()).isEqualTo("2026-11-26T00:00:00Z");
    }

    @Test
    void anInvalidMinReleaseAgeInCxpmTomlIsReportedWithItsLine() throws Exception {
        manifest("min-release-age = \"3 days\"", "^1");
        CliRun sync = cxpm(project, "sync");
        assertThat(sync.exitCode()).isEqualTo(1);
        assertThat(sync.stderr()).contains("cxpm.toml:1", "`3 days` is not a duration", "hint:", "3d", "12h");
    }

    @Test
    void aUserInstallHonoursTheAgeInCxpmsConfig() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofHours(5)));
        CliRun set = cxpm(tmp, "config", "set", "min-release-age", "2d");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(cxpm(tmp, "config", "get", "min-release-age").stdout().strip()).isEqualTo("2d");
        assertThat(cxpm(tmp, "config", "get", "registry").stdout().strip()).isEmpty(); // not set: its own error, not ours

        CliRun install = cxpm(tmp, "install", "demo", "--json");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(JSON.readTree(install.stdout()).path("version").asText()).isEqualTo("1.0.0");

        CliRun young = cxpm(tmp, "install", "demo@^1.1");
        assertThat(young.exitCode()).isEqualTo(3);
        assertThat(young.stderr()).contains("1.1.0 (eligible 2026-11-26T19:00:00Z)", "min-release-age 2d", "config.toml:1");

        assertThat(young.stderr()).contains("the versions of demo@cxpm-registry matching ^1.1 are too young");

        assertThat(cxpm(tmp, "config", "unset", "min-release-age").exitCode()).isZero();
        CliRun now = cxpm(tmp, "install", "demo", "--json");
        assertThat(JSON.readTree(now.stdout()).path("version").asText()).isEqualTo("1.1.0");
    }

    @Test
    void theVersionInstalledNowStaysWhenTheAgeIsSetLater() throws Exception {
        publish("demo", "1.0.0", NOW.minus(Duration.ofDays(10)));
        publish("demo", "1.1.0", NOW.minus(Duration.ofHours(5)));
        CliRun first = cxpm(tmp, "install", "demo", "--json");
        assertThat(JSON.readTree(first.stdout()).path("version").asText()).isEqualTo("1.1.0");

        assertThat(cxpm(tmp, "config", "set", "min-release-age", "1w").exitCode()).isZero();
        CliRun again = cxpm(tmp, "install", "demo", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(JSON.readTree(again.stdout()).path("version").asText()).isEqualTo("1.1.0");
        assertThat(JSON.readTree(again.stdout()).path("unchanged").asBoolean()).isTrue();
    }

    @Test
    void anInvalidAgeIsRefusedBySetAndReportedWithItsLineWhenHandWritten() throws Exception {
        CliRun set = cxpm(tmp, "config", "set", "min-release-age", "soon");
        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.stderr()).contains("`soon` is not a duration");

        Path config = tmp.resolve("home/.config/cxpm/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "# mine\nmin-release-age = 3\n");
        CliRun install = cxpm(tmp, "install", "demo");
        assertThat(install.exitCode()).isEqualTo(1);
        assertThat(install.stderr()).contains("config.toml:2", "min-release-age", "\"3d\"");
    }
}
