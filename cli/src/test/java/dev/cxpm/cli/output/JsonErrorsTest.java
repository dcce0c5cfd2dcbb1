package dev.cxpm.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A script that asked for --json gets its failures as JSON too, with the exit code it would get without --json. */
class JsonErrorsTest {
    @TempDir
    Path tmp;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0", "nover", null);
        assertThat(cxpm("marketplace", "add", "mk").exitCode()).isZero();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    /** Asserts the JSON error on stdout and no human error on stderr; returns the error object. */
    static JsonNode jsonError(CliRun r, int exitCode, String code) throws Exception {
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(exitCode);
        JsonNode error = new ObjectMapper().readTree(r.stdout()).path("error");
        assertThat(error.path("code").asText()).as(r.stdout()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("hint")).as(r.stdout()).isTrue();
        assertThat(r.stderr()).doesNotContain("error:").doesNotContain("hint:").doesNotContain("--help' for usage");
        return error;
    }

    @Test
    void installOfAnUnknownPluginIsNotFoundInJson() throws Exception {
        assertThat(cxpm("install", "nope@fx").exitCode()).isEqualTo(3);
        JsonNode error = jsonError(cxpm("install", "nope@fx", "--json"), 3, "not-found");
        assertThat(error.path("message").asText()).contains("plugin `nope` was not found in marketplace `fx`");
    }

    @Test
    void validateOfAMissingPathIsJsonWithTheSameExitCode() throws Exception {
        CliRun human = cxpm("validate", "no-such-dir");
        assertThat(human.stderr()).startsWith("error: ");
        JsonNode error = jsonError(cxpm("validate", "no-such-dir", "--json"), human.exitCode(), "usage");
        assertThat(error.path("message").asText()).contains("no-such-dir");
    }

    @Test
    void frozenSyncWithoutALockfileIsAnIntegrityErrorInJson() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"../mk\"\n\n[plugins]\ndemo = \"^1.0.0\"\n");
        assertThat(CliRun.in(project, env, "sync", "--frozen").exitCode()).isEqualTo(5);
        JsonNode error = jsonError(CliRun.in(project, env, "sync", "--frozen", "--json"), 5, "integrity");
        assertThat(error.path("hint").asText()).isNotBlank();
        assertThat(project.resolve("cxpm.lock")).doesNotExist();
    }

    @Test
    void anUnknownOptionOnACommandWithJsonIsAUsageErrorInJson() throws Exception {
        JsonNode error = jsonError(cxpm("list", "--json", "--no-such-option"), 2, "usage");
        assertThat(error.path("message").asText()).contains("--no-such-option");
        assertThat(error.path("hint").asText()).contains("cxpm list --help");
    }

    @Test
    void aMistypedOptionGetsItsSuggestionAsTheHint() throws Exception {
        JsonNode error = jsonError(cxpm("install", "demo@fx", "--json", "--ignore-prerequisite"), 2, "usage");
        assertThat(error.path("hint").asText()).contains("--ignore-prerequisites");
    }

    @Test
    void anInternalErrorIsJsonWithExit70AndNoStackTrace() throws Exception {
        // a clock that fails stands in for any bug: the command did not expect it
        Clock broken = new Clock() {
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
                throw new IllegalStateException("clock unavailable");
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env, tmp, new PrintWriter(out, true), new PrintWriter(err, true), broken), "search", "demo", "--json");
        JsonNode error = jsonError(new CliRun(code, out.toString(), err.toString()), 70, "internal");
        assertThat(error.path("message").asText()).contains("clock unavailable");
        assertThat(error.path("hint").asText()).contains("--debug");
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    @Test
    void aReportThatEndsInAnErrorIsStillOneJsonObject() throws Exception {
        Path repo = Fixtures.marketplace(tmp.resolve("repo"), "gx", "demo", "1.0.0");
        String url = Fixtures.gitRepo(repo, tmp.resolve("home"), "remote");
        assertThat(cxpm("marketplace", "add", url).exitCode()).isZero();
        Files.move(tmp.resolve("remote.git"), tmp.resolve("moved-away.git")); // the remote is gone
        CliRun r = cxpm("marketplace", "update", "--json");
        JsonNode error = jsonError(r, 4, "network");
        assertThat(error.path("message").asText()).contains("could not be updated");
        assertThat(new ObjectMapper().readTree(r.stdout()).path("errors").size()).isEqualTo(1);
    }

    @Test
    void anArgumentThatIsNotUtf8IsRefusedInJsonUnderJson() throws Exception {
        CliRun human = cxpm("validate", "bad\uFFFDname");
        assertThat(human.exitCode()).isEqualTo(2);
        JsonNode error = jsonError(cxpm("validate", "bad\uFFFDname", "--json"), 2, "usage");
        assertThat(error.path("message").asText()).contains("is not valid UTF-8 text");
    }

    @Test
    void aWorkingDirectoryThatIsNotUtf8IsRefusedInJsonUnderJson() throws Exception {
        Path cwd = tmp.resolve("bad\uFFFDdir");
        assertThat(CliRun.in(cwd, env, "list").exitCode()).isEqualTo(7);
        JsonNode error = jsonError(CliRun.in(cwd, env, "list", "--json"), 7, "io");
        assertThat(error.path("message").asText()).contains("working directory");
    }

    @Test
    void anUnknownCommandIsAUsageErrorInJsonWhenJsonIsTyped() throws Exception {
        assertThat(cxpm("instal", "demo@fx").exitCode()).isEqualTo(2);
        JsonNode error = jsonError(cxpm("instal", "demo@fx", "--json"), 2, "usage");
        assertThat(error.path("hint").asText()).contains("install");
    }

    @Test
    void aMissingArgumentIsAUsageErrorInJson() throws Exception {
        JsonNode error = jsonError(cxpm("why", "--json"), 2, "usage");
        assertThat(error.path("message").asText()).containsIgnoringCase("missing");
    }

    @Test
    void jsonOnACommandWithoutJsonOutputIsStillAJsonUsageError() throws Exception {
        JsonNode error = jsonError(cxpm("serve", "--json", "--port", "nope"), 2, "usage");
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @Test
    void withoutJsonErrorsStayHumanOnStderr() {
        CliRun r = cxpm("install", "nope@fx");
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("error: ");
    }
}
