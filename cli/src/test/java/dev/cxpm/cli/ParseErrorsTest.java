package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON and TOML file cxpm reads from a user, broken the ways people break them, through the commands that
 * read it: the message names FILE:LINE:COLUMN and what is wrong in plain words, never the parser's internals.
 */
class ParseErrorsTest {
    @TempDir
    Path tmp;
    Map<String, String> env;

    /** Jackson's vocabulary: none of it may reach a user. */
    static void plainWords(String out) {
        assertThat(out).doesNotContain("[Source:").doesNotContain("REDACTED").doesNotContain("(code ")
                .doesNotContain("CTRL-CHAR").doesNotContain("jackson").doesNotContain("Jackson").doesNotContain("Feature '")
                .doesNotContain("line: ").doesNotContain("STD_TABLE").doesNotContain("UNQUOTED_KEY").doesNotContain("KEY_VAL_SEP")
                .doesNotContain("JsonParse").doesNotContain("Exception");
    }

    /** Asserts the output names file:line:column and says what; returns it. */
    static String at(CliRun r, int exitCode, String file, int line, int column) {
        String out = r.stdout() + r.stderr();
        assertThat(r.exitCode()).as(out).isEqualTo(exitCode);
        assertThat(out).as(out).containsPattern(Pattern.quote(file) + ":" + line + ":" + column + ": ");
        plainWords(out);
        return out;
    }

    @BeforeEach
    void setUp() {
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    Path plugin(String manifest) throws Exception {
        Path dir = tmp.resolve("p");
        Fixtures.plugin(dir, "{}");
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"), manifest);
        return dir;
    }

    @Test
    void aTrailingCommaInPluginJsonIsNamedByValidateAndPack() throws Exception {
        plugin("{\n  \"name\": \"p\",\n  \"version\": \"1.0.0\",\n}\n");
        String out = at(cxpm("validate", "p"), 1, "plugin.json", 4, 1);
        assertThat(out).contains("a comma before `}`: JSON allows no trailing comma");
        at(cxpm("pack", "p"), 1, "plugin.json", 4, 1);
    }

    @Test
    void anUnclosedStringSaysSo() throws Exception {
        plugin("{\n  \"name\": \"p,\n  \"version\": \"1.0.0\"\n}\n");
        assertThat(at(cxpm("validate", "p"), 1, "plugin.json", 2, 14)).contains("the string is not closed before the end of the line");
    }

    @Test
    void aControlCharacterIsNamedWithItsEscape() throws Exception {
        plugin("{\n  \"name\": \"p\u0001\",\n  \"version\": \"1.0.0\"\n}\n");
        assertThat(at(cxpm("validate", "p"), 1, "plugin.json", 2, 13)).contains("control character U+0001 inside a string: write it as \\u0001");
    }

    @Test
    void aKeyGivenTwiceInPluginJsonIsRefusedAsCodexDoes() throws Exception {
        plugin("{\n  \"name\": \"p\",\n  \"version\": \"1.0.0\",\n  \"version\": \"1.0.1\"\n}\n");
        assertThat(at(cxpm("validate", "p"), 1, "plugin.json", 4, 14)).contains("duplicate field `version`");
        at(cxpm("pack", "p"), 1, "plugin.json", 4, 14);
    }

    @Test
    void validateJsonGivesTheColumnToo() throws Exception {
        plugin("{\n  \"name\": \"p\",\n  \"version\": \"1.0.0\",\n}\n");
        CliRun r = cxpm("validate", "p", "--json");
        var problem = new ObjectMapper().readTree(r.stdout()).path("problems").get(0);
        assertThat(problem.path("line").asInt()).isEqualTo(4);
        assertThat(problem.path("column").asInt()).isEqualTo(1);
        plainWords(r.stdout());
    }

    @Test
    void aBrokenMcpJsonAndAppJsonAreNamedWithLineAndColumn() throws Exception {
        Path dir = plugin("{\"name\": \"p\", \"version\": \"1.0.0\"}\n");
        Files.writeString(dir.resolve(".mcp.json"), "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"},\n  }\n}\n");
        Files.writeString(dir.resolve(".app.json"), "{\n  \"apps\": {\"a\": {\"id\": 'x'}}\n}\n");
        CliRun r = cxpm("validate", "p", "--strict");
        at(r, 1, ".mcp.json", 4, 3);
        assertThat(r.stdout()).containsPattern("\\.app\\.json:2:\\d+: ").contains("JSON strings use double quotes");
    }

    @Test
    void aBrokenClaudeManifestIsNamedWithLineAndColumn() throws Exception {
        Path dir = tmp.resolve("c");
        Files.createDirectories(dir.resolve(".claude-plugin"));
        Files.writeString(dir.resolve(".claude-plugin/plugin.json"), "{\n  \"name\": \"c\"\n  \"version\": \"1.0.0\"\n}\n");
        assertThat(at(cxpm("validate", "c"), 1, "plugin.json", 3, 3)).contains("expected `,` or `}` after the value, found `\"`");
    }

    @Test
    void aBrokenMarketplaceJsonIsNamedByValidateAndMarketplaceAdd() throws Exception {
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        Files.writeString(mk.resolve(".agents/plugins/marketplace.json"), "{\n  \"name\": \"fx\",\n  \"plugins\": [\n    {\"name\": \"demo\"},\n  ]\n}\n");
        assertThat(at(cxpm("validate", "mk"), 1, "marketplace.json", 5, 3)).contains("a comma before `]`");
        at(cxpm("marketplace", "add", "mk"), 1, "marketplace.json", 5, 3);
    }

    @Test
    void aBrokenProjectManifestIsNamedBySyncAddAndInstall() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces\nfx = \"../mk\"\n");
        String out = at(CliRun.in(project, env, "sync"), 1, "cxpm.toml", 1, 14);
        assertThat(out).contains("the line ends too early");
        at(CliRun.in(project, env, "add", "demo@fx"), 1, "cxpm.toml", 1, 14);
    }

    @Test
    void aKeySetTwiceInCxpmTomlNamesTheKeyAndItsLine() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[plugins]\ndemo = \"^1\"\ndemo = \"^2\"\n\n# end\n");
        assertThat(at(CliRun.in(project, env, "sync"), 1, "cxpm.toml", 3, 1)).contains("`demo` is set twice");
    }

    @Test
    void aBrokenLockfileIsNamedBySync() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"../mk\"\n\n[plugins]\ndemo = \"^1.0.0\"\n");
        Files.writeString(project.resolve("cxpm.lock"), "version = 1\n[[plugin]]\nname = \"demo\nversion = \"1.0.0\"\n");
        at(CliRun.in(project, env, "sync"), 1, "cxpm.lock", 3, 13);
    }

    @Test
    void aBrokenCodexConfigIsNamedByList() throws Exception {
        Files.createDirectories(tmp.resolve("codex-home"));
        Files.writeString(tmp.resolve("codex-home/config.toml"), "model = \"o3\"\n[plugins.\"a@b\"\nenabled = true\n");
        CliRun r = cxpm("list");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stdout() + r.stderr()).containsPattern("config\\.toml:2:\\d+: ");
        plainWords(r.stdout() + r.stderr());
    }

    @Test
    void aBrokenCredentialsFileIsNamedByPublish() throws Exception {
        Path creds = tmp.resolve("home/.config/cxpm/credentials.toml");
        Files.createDirectories(creds.getParent());
        Files.writeString(creds, "[registries.\"http://127.0.0.1:9\"]\ntoken = \"abc\"\ngarbage\n");
        env.put("XDG_CONFIG_HOME", tmp.resolve("home/.config").toString());
        plugin("{\"name\": \"p\", \"version\": \"1.0.0\"}\n");
        at(cxpm("publish", "p", "--registry", "http://127.0.0.1:9"), 1, "credentials.toml", 3, 1);
    }
}
