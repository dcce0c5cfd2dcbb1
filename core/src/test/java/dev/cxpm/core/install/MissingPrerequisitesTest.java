package dev.cxpm.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.testkit.TestFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingPrerequisitesTest {

    @TempDir
    Path dir;

    private Plugin plugin(String name, String manifest, String mcp) {
        TestFiles.write(dir, name + "/.codex-plugin/plugin.json", manifest);
        if (mcp != null) {
            TestFiles.write(dir, name + "/.mcp.json", mcp);
        }
        return Plugin.load(dir.resolve(name));
    }

    @Test
    void everyMissingOneOfEveryPluginIsNamedAtOnceWithWhatNeedsItAndHowToGetIt() {
        Plugin a = plugin("a", "{\"name\": \"a\"}", """
                {"mcpServers": {"one": {"command": "cxpm-test-nope", "env": {"T": "${CXPM_TEST_A}", "L": "${CXPM_TEST_L:-info}"}},
                                "two": {"command": "cxpm-test-nope"}}}
                """);
        Plugin b = plugin("b", "{\"name\": \"b\", \"prerequisites\": {\"env\": {\"CXPM_TEST_B\": \"from the team vault\"}}}", null);
        Plugin fine = plugin("fine", "{\"name\": \"fine\"}", "{\"mcpServers\": {\"s\": {\"command\": \"sh\"}}}");
        Map<String, Plugin> plugins = new LinkedHashMap<>();
        plugins.put("a@fx", a);
        plugins.put("fine@fx", fine);
        plugins.put("b@fx", b);
        MissingPrerequisites missing = MissingPrerequisites.check(plugins, Map.of("PATH", System.getenv("PATH")), dir);

        assertThat(missing.byPlugin()).containsOnlyKeys("a@fx", "b@fx");
        assertThat(missing.message()).isEqualTo("""
                a@fx needs what this machine lacks:
                  - command `cxpm-test-nope` not found on PATH (MCP servers `one`, `two` run it): install `cxpm-test-nope` so that your shell finds it on PATH
                  - environment variable CXPM_TEST_A is not set (MCP server `one` reads it): export CXPM_TEST_A=...
                b@fx needs what this machine lacks:
                  - environment variable CXPM_TEST_B is not set: from the team vault; then export CXPM_TEST_B=...""");
        assertThatThrownBy(() -> missing.enforce(false)).isInstanceOfSatisfying(UserError.class, e -> {
            assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
            assertThat(e.getMessage()).isEqualTo(missing.message());
            assertThat(e.hint()).startsWith("install the commands and set the variables, then run the command again; or pass --ignore-prerequisites");
        });
        assertThat(missing.enforce(true)).isSameAs(missing);
    }

    @Test
    void aVariableSetToBlankIsMissingAndTheHintNamesOnlyWhatIsMissing() {
        Plugin b = plugin("b", "{\"name\": \"b\", \"prerequisites\": {\"env\": {\"CXPM_TEST_B\": \"\"}}}", null);
        MissingPrerequisites missing = MissingPrerequisites.check("b@fx", b, Map.of("CXPM_TEST_B", " "), dir);
        assertThat(missing.lines()).containsExactly("b@fx: environment variable CXPM_TEST_B is not set: export CXPM_TEST_B=...");
        assertThat(missing.refusal().hint()).startsWith("set the variables, then run the command again");
        assertThat(MissingPrerequisites.check("b@fx", b, Map.of("CXPM_TEST_B", "x"), dir).isEmpty()).isTrue();
    }

    @Test
    void eachPluginLacksExactlyWhatItsListOfPrerequisitesFindsMissing() {
        // check asks first whether a plugin has all it needs, without listing its prerequisites: for each one kind of need
        // unmet (a server's command, a variable its env reads, a declared command or variable, set blank) and for none, it
        // finds what Prerequisite.missing finds, no more and no less
        String servers = """
                {"mcpServers": {"s": {"command": "%s", "env": {"T": "${%s}", "L": "${CXPM_TEST_L:-info}", "P": "plain"}},
                                "u": {"command": "./bin/run"}}}
                """;
        String manifest = "{\"name\": \"%s\", \"prerequisites\": {\"commands\": {\"%s\": \"\"}, \"env\": {\"%s\": \"hint\"}}}";
        Map<String, String> vars = Map.of("PATH", System.getenv("PATH"), "CXPM_TEST_SET", "x", "CXPM_TEST_BLANK", " ");
        String[][] cases = {
            {"all", "sh", "CXPM_TEST_SET", "sh", "CXPM_TEST_SET"},
            {"server-command", "cxpm-test-nope", "CXPM_TEST_SET", "sh", "CXPM_TEST_SET"},
            {"server-env", "sh", "CXPM_TEST_UNSET", "sh", "CXPM_TEST_SET"},
            {"server-env-blank", "sh", "CXPM_TEST_BLANK", "sh", "CXPM_TEST_SET"},
            {"declared-command", "sh", "CXPM_TEST_SET", "cxpm-test-nope", "CXPM_TEST_SET"},
            {"declared-env", "sh", "CXPM_TEST_SET", "sh", "CXPM_TEST_UNSET"},
            {"everything", "cxpm-test-nope", "CXPM_TEST_UNSET", "cxpm-test-nope2", "CXPM_TEST_BLANK"},
        };
        Map<String, Plugin> plugins = new LinkedHashMap<>();
        Map<String, java.util.List<Prerequisite>> expected = new LinkedHashMap<>();
        for (String[] c : cases) {
            Plugin p = plugin(c[0], manifest.formatted(c[0], c[3], c[4]), servers.formatted(c[1], c[2]));
            plugins.put(c[0] + "@fx", p);
            java.util.List<Prerequisite> lacks = Prerequisite.missing(p, vars, dir);
            if (!lacks.isEmpty()) {
                expected.put(c[0] + "@fx", lacks);
            }
        }
        Plugin bare = plugin("bare", "{\"name\": \"bare\"}", null);
        plugins.put("bare@fx", bare);
        assertThat(expected).containsOnlyKeys("server-command@fx", "server-env@fx", "server-env-blank@fx", "declared-command@fx",
                "declared-env@fx", "everything@fx");
        assertThat(MissingPrerequisites.check(plugins, vars, dir).byPlugin()).isEqualTo(expected);
    }
}
