package dev.cxpm.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.TestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every marketplace rule with a failing and a passing case. */
class MarketplaceValidatorTest {
    @TempDir
    Path dir;

    private int n;

    private Path market(String agentsJson, String... more) {
        Path root = dir.resolve("m" + n++);
        if (agentsJson != null) {
            TestFiles.write(root, ".agents/plugins/marketplace.json", agentsJson);
        }
        for (int i = 0; i < more.length; i += 2) {
            TestFiles.write(root, more[i], more[i + 1]);
        }
        return root;
    }

    private static List<String> errors(Path root, boolean strict) {
        return new MarketplaceValidator(strict).validate(root).stream().filter(Problem::isError).map(Problem::code).toList();
    }

    private static List<String> errors(Path root) {
        return errors(root, false);
    }

    private static List<String> warnings(Path root) {
        return new MarketplaceValidator(false).validate(root).stream().filter(p -> !p.isError()).map(Problem::code).toList();
    }

    private static final String PLUGIN = "{\"name\": \"demo\", \"version\": \"1.0.0\"}";
    private static final String OK = "{\"name\": \"fx\", \"plugins\": [{\"name\": \"demo\", \"source\": \"./plugins/demo\"}]}";

    @Test
    void aCleanMarketplaceHasNoProblem() {
        assertThat(new MarketplaceValidator(true).validate(market(OK, "plugins/demo/.codex-plugin/plugin.json", PLUGIN))).isEmpty();
    }

    @Test
    void missingOrUnparseableManifestIsAnError() {
        assertThat(errors(market(null, "marketplace.json", OK))).containsExactly("marketplace.missing");
        assertThat(errors(market("{\"name\": \"fx\",}"))).containsExactly("marketplace.invalid-json");
    }

    @Test
    void wholeFileErrorsOfCodexAreErrors() {
        assertThat(errors(market("{\"plugins\": []}"))).containsExactly("marketplace.name-missing");
        assertThat(errors(market("{\"name\": \"f x\", \"plugins\": []}"))).containsExactly("marketplace.name-invalid");
        assertThat(errors(market("{\"name\": \"openai-curated\", \"plugins\": []}"))).containsExactly("marketplace.name-reserved");
        assertThat(errors(market("{\"name\": \"fx\", \"plugins\": {}}"))).containsExactly("marketplace.plugins-type");
        assertThat(errors(market("{\"name\": \"fx\", \"plugins\": [{\"name\": \"a\"}]}"))).containsExactly("marketplace.source-missing");
        assertThat(errors(market("{\"name\": \"fx\", \"plugins\": [{\"name\": \"a\", \"source\": \"./a\", "
                + "\"policy\": {\"installation\": \"SOMETIMES\"}}]}"))).containsExactly("marketplace.policy-invalid");
        assertThat(errors(market("{\"name\": \"fx\", \"plugins\": []}"))).isEmpty();
    }

    @Test
    void entriesCodexSkipsAreWarningsAndErrorsUnderStrict() {
        Path root = market("{\"name\": \"fx\", \"plugins\": [{\"name\": \"a\", \"source\": \"plugins/a\"}, "
                + "{\"name\": \"b c\", \"source\": \"./b\"}, {\"name\": \"d\", \"source\": {\"source\": \"ftp\"}}, "
                + "{\"name\": \"e\", \"source\": \"../e\"}]}");
        assertThat(errors(root)).isEmpty();
        assertThat(warnings(root)).containsExactlyInAnyOrder("marketplace.source-path", "marketplace.entry-name-invalid",
                "marketplace.source-unknown", "marketplace.source-path");
        assertThat(errors(root, true)).hasSize(4);
    }

    @Test
    void localEntriesMustPointAtAPluginWithTheSameName() {
        assertThat(warnings(market(OK))).containsExactly("marketplace.plugin-missing");
        assertThat(warnings(market(OK, "plugins/demo/README.md", "x"))).containsExactly("marketplace.plugin-manifest-missing");
        assertThat(warnings(market(OK, "plugins/demo/.codex-plugin/plugin.json", "{\"name\": \"other\"}")))
                .containsExactly("name.marketplace-mismatch");
        assertThat(errors(market(OK, "plugins/demo/.codex-plugin/plugin.json", "{\"name\": \"other\"}"), true))
                .containsExactly("name.marketplace-mismatch");
        assertThat(warnings(market(OK, "plugins/demo/.codex-plugin/plugin.json", PLUGIN))).isEmpty();
    }

    @Test
    void claudeMarketplaceRulesAreErrorsLikeClaudePluginValidate() {
        String[] bad = {
            "{\"name\": \"mk\", \"plugins\": []}", "claude.owner",
            "{\"name\": \"mk\", \"owner\": \"o\", \"plugins\": []}", "claude.owner",
            "{\"owner\": {\"name\": \"o\"}, \"plugins\": []}", "claude.name-missing",
            "{\"name\": \"m k\", \"owner\": {\"name\": \"o\"}, \"plugins\": []}", "claude.name-spaces",
            "{\"name\": \"mk\", \"owner\": {\"name\": \"o\"}}", "claude.plugins",
            "{\"name\": \"mk\", \"owner\": {\"name\": \"o\"}, \"plugins\": [{\"name\": \"a\", \"source\": \"plugins/a\"}]}", "claude.source",
            "{\"name\": \"mk\", \"owner\": {\"name\": \"o\"}, \"plugins\": [{\"name\": \"a\", \"source\": {\"source\": \"local\", \"path\": \"./a\"}}]}", "claude.source",
            "{\"name\": \"mk\", \"owner\": {\"name\": \"o\"}, \"plugins\": [{\"name\": \"a\", \"source\": \"./a\"}, {\"name\": \"a\", \"source\": \"./a\"}]}", "claude.duplicate",
            "{\"name\": \"mk\", \"owner\": {\"name\": \"o\"}, \"plugins\": [{\"name\": \"a\", \"source\": \"./a\", \"version\": 5}]}", "claude.field-type",
        };
        for (int i = 0; i < bad.length; i += 2) {
            Path root = market(null, ".claude-plugin/marketplace.json", bad[i]);
            assertThat(errors(root)).as(bad[i]).contains(bad[i + 1]);
        }
        Path good = market(null, ".claude-plugin/marketplace.json", "{\"name\": \"mk\", \"owner\": {\"name\": \"o\"}, \"plugins\": "
                + "[{\"name\": \"a\", \"source\": \"./\"}, {\"name\": \"b\", \"source\": {\"source\": \"github\", \"repo\": \"o/r\"}}, "
                + "{\"name\": \"c\", \"source\": {\"source\": \"npm\", \"package\": \"x\"}}]}", ".claude-plugin/plugin.json", "{\"name\": \"a\"}");
        assertThat(errors(good)).isEmpty();
    }
}
