package dev.cxpm.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every plugin rule with a failing and a passing case. */
class PluginValidatorTest {
    @TempDir
    Path dir;

    private static final String GOOD_SKILL = "---\nname: hello\ndescription: Say hello\n---\nSay hello.\n";

    /** A plugin dir from alternating (relative path, content) pairs. */
    private Path plugin(String... files) {
        Path root = dir.resolve("p" + Math.abs(System.nanoTime() % 1_000_000));
        for (int i = 0; i < files.length; i += 2) {
            TestFiles.write(root, files[i], files[i + 1]);
        }
        return root;
    }

    private Path codex(String manifest, String... more) {
        String[] all = new String[more.length + 2];
        all[0] = ".codex-plugin/plugin.json";
        all[1] = manifest;
        System.arraycopy(more, 0, all, 2, more.length);
        return plugin(all);
    }

    private static List<Problem> check(Path root, boolean strict) {
        return new PluginValidator(strict).validate(root);
    }

    private static List<Problem> check(Path root) {
        return check(root, false);
    }

    private static List<String> errors(List<Problem> ps) {
        return ps.stream().filter(Problem::isError).map(Problem::code).toList();
    }

    private static List<String> warnings(List<Problem> ps) {
        return ps.stream().filter(p -> !p.isError()).map(Problem::code).toList();
    }

    private static final String OK = "{\"name\": \"p\", \"version\": \"1.0.0\", \"description\": \"d\"}";

    @Test
    void aCleanPluginHasNoProblemAtAll() {
        assertThat(check(codex(OK, "skills/hello/SKILL.md", GOOD_SKILL), true)).isEmpty();
    }

    @Test
    void missingManifestIsAnError() {
        assertThat(errors(check(plugin("README.md", "x")))).containsExactly("manifest.missing");
    }

    @Test
    void invalidJsonIsAnErrorWithItsLine() {
        List<Problem> ps = check(codex("{\n  \"name\": \"p\",\n}"));
        assertThat(errors(ps)).containsExactly("manifest.invalid-json");
        assertThat(ps.getFirst().line()).isEqualTo(3);
        assertThat(ps.getFirst().message()).contains("failed to parse plugin.json");
    }

    @Test
    void hostileManifestsGetAClearErrorNotACrash() throws IOException {
        Path deep = codex("{\"a\": " + "[".repeat(50_000) + "]".repeat(50_000) + "}");
        assertThat(errors(check(deep))).containsExactly("manifest.invalid-json");
        Path binary = codex("{}");
        Files.write(binary.resolve(".codex-plugin/plugin.json"), new byte[] {0, (byte) 0xff, (byte) 0xc3, 0x28, 7});
        assertThat(check(binary)).singleElement().satisfies(p -> assertThat(p.message()).contains("not UTF-8"));
        Path dirAsManifest = plugin("x", "y");
        Files.createDirectories(dirAsManifest.resolve(".codex-plugin/plugin.json"));
        assertThat(errors(check(dirAsManifest))).containsExactly("manifest.missing");
    }

    @Test
    void manifestThatIsNotAnObjectIsAnErrorButAnArrayIsReadPositionally() {
        assertThat(errors(check(codex("\"demo\"")))).containsExactly("manifest.not-object");
        assertThat(errors(check(codex("[\"1.0.0\"]")))).isEmpty();
    }

    @Test
    void installRejectionsAreCodexErrorsOnlyAndJudgeAClaudeOnlyManifestToo() {
        Path claudeOnly = plugin(".claude-plugin/plugin.json", "{\"name\": \"p\", \"version\": 1}");
        assertThat(errors(check(claudeOnly))).doesNotContain("version.not-string"); // Claude Code judges validate
        assertThat(PluginValidator.installRejections(claudeOnly, "p")).extracting(Problem::code)
                .containsExactly("version.not-string"); // but Codex reads this manifest when it installs
        Path loose = codex("{\"name\": \"p\"}", ".mcp.json", "{\"mcpServers\": {\"s\": {\"command\": \"npx\", "
                + "\"env\": {\"GITHUB_TOKEN\": \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"}}}}");
        assertThat(PluginValidator.installRejections(loose, "p")).isEmpty(); // no SemVer, secret: cxpm's rules, not Codex's
        assertThat(PluginValidator.installRejections(loose, "other")).extracting(Problem::code)
                .containsExactly("name.marketplace-mismatch");
    }

    @Test
    void typedFieldsOfTheWrongTypeAreErrors() {
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"keywords\": \"a\"}"))))
                .containsExactly("manifest.field-type");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"interface\": []}"))))
                .containsExactly("manifest.field-type");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"interface\": {\"displayName\": 5}}"))))
                .containsExactly("manifest.field-type");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"apps\": 5}"))))
                .containsExactly("manifest.field-type");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"keywords\": [\"a\"], \"interface\": "
                + "{\"displayName\": \"P\", \"capabilities\": [\"x\"]}}")))).isEmpty();
    }

    @Test
    void nameWithCharactersCodexRejectsIsAnError() {
        assertThat(errors(check(codex("{\"name\": \"my plugin\", \"version\": \"1.0.0\"}")))).containsExactly("name.invalid");
        assertThat(errors(check(codex("{\"name\": \"My_plugin.v2-x\", \"version\": \"1.0.0\"}")))).isEmpty();
    }

    @Test
    void versionRulesFollowCodex() {
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": 1}")))).containsExactly("version.not-string");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"  \"}")))).containsExactly("version.blank");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \"../1\"}")))).containsExactly("version.invalid-chars");
        assertThat(errors(check(codex("{\"name\": \"p\", \"version\": \" 1.2.3 \"}")))).isEmpty();
    }

    @Test
    void semverVersionIsRequiredOnlyUnderStrict() {
        Path missing = codex("{\"name\": \"p\"}");
        assertThat(warnings(check(missing))).contains("version.missing");
        assertThat(errors(check(missing, true))).contains("version.missing");
        Path notSemver = codex("{\"name\": \"p\", \"version\": \"1.0\"}");
        assertThat(warnings(check(notSemver))).contains("version.not-semver");
        assertThat(errors(check(notSemver, true))).contains("version.not-semver");
        assertThat(check(codex("{\"name\": \"p\", \"version\": \"2.1.0-beta.1+build.5\"}"), true)).isEmpty();
    }

    @Test
    void fieldsCodexIgnoresAreWarnings() {
        List<Problem> ps = check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"skills\": 5, \"mcpServers\": 3, "
                + "\"interface\": {\"defaultPrompt\": [\"a\", \"b\", \"c\", \"d\"]}}"));
        assertThat(errors(ps)).isEmpty();
        assertThat(warnings(ps)).contains("manifest.ignored-field", "manifest.default-prompt");
    }

    @Test
    void referencedPathsMustFollowCodexRulesExistAndStayInside() throws IOException {
        List<Problem> ps = check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"skills\": \"skills\", "
                + "\"apps\": \"./missing.json\", \"hooks\": [\"./h/../../x\"]}"));
        assertThat(errors(ps)).isEmpty();
        assertThat(warnings(ps)).containsExactlyInAnyOrder("path.invalid", "path.missing", "path.invalid");
        Path outside = TestFiles.write(dir, "elsewhere/app.json", "{}");
        Path root = codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"apps\": \"./app.json\"}");
        Files.createSymbolicLink(root.resolve("app.json"), outside);
        assertThat(errors(check(root, true))).containsExactly("path.outside");
        assertThat(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"apps\": \"./a.json\"}", "a.json", "{\"apps\": {}}"), true))
                .isEmpty();
    }

    @Test
    void skillsNeedFrontMatterWithNameAndDescription() {
        assertThat(warnings(check(codex(OK, "skills/a/SKILL.md", "no front matter")))).containsExactly("skill.frontmatter");
        assertThat(warnings(check(codex(OK, "skills/a/SKILL.md", "---\ndescription: d\n---\n")))).containsExactly("skill.name-missing");
        assertThat(errors(check(codex(OK, "skills/a/SKILL.md", "---\nname: a\n---\n"), true))).containsExactly("skill.description-missing");
        assertThat(check(codex(OK, "skills/a/SKILL.md", GOOD_SKILL), true)).isEmpty();
    }

    /** SKILL.md front matter read as the real Codex CLI reads it (SkillFrontMatterAsCodexTest holds the measured table). */
    @Test
    void aSkillCodexDoesNotLoadIsToldAtItsLineWithTheFixAndOneItLoadsIsNotRefused() {
        // Codex installs the plugin (plugin add accepts it) and leaves the skill out: a warning never summed up as
        // valid (an error under --strict), as for the other parts Codex installs and cannot use
        assertThat(check(codex(OK, "skills/a/SKILL.md", "---\nname: a\nname: b\ndescription: d\n---\n")))
                .singleElement().satisfies(p -> assertThat(p.unusableByCodex()).isTrue());
        List<Problem> twice = check(codex(OK, "skills/a/SKILL.md", "---\nname: a\nname: b\ndescription: d\n---\n"), true);
        assertThat(twice).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(Severity.ERROR);
            assertThat(p.code()).isEqualTo("skill.frontmatter");
            assertThat(p.file().toString()).endsWith("SKILL.md");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).isEqualTo("SKILL.md front matter: `name` is given twice (lines 2 and 3)");
            assertThat(p.hint()).isEqualTo("keep one `name` line: Codex does not load the skill until then");
        });
        assertThat(errors(check(codex(OK, "skills/a/SKILL.md", "\uFEFF" + GOOD_SKILL), true))).contains("skill.frontmatter");
        assertThat(check(codex(OK, "skills/a/SKILL.md", "---\nname: a\n---\n"))).singleElement()
                .satisfies(p -> assertThat(p.unusableByCodex()).isTrue());
        assertThat(check(codex(OK, "skills/a/SKILL.md", "---\nname: a\ndescription: d\nx: [\n---\n"), true)).isEmpty();
        assertThat(check(codex(OK, "skills/a/SKILL.md", "---\nname: [b6\ndescription: d\n---\n"), true)).isEmpty();
    }

    @Test
    void aSkillTooLargeToReadIsToldSoAndNotAsAFrontMatterProblem() {
        List<Problem> ps = check(codex(OK, "skills/a/SKILL.md", GOOD_SKILL + "x".repeat(1024 * 1024)));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("skill.unreadable");
            assertThat(p.message()).startsWith("SKILL.md cannot be read: ").contains("larger than the 1048576 bytes");
            assertThat(p.hint()).isEqualTo("keep SKILL.md under 1 MiB of UTF-8 text: move long reference material into other"
                    + " files of the skill and name them in SKILL.md");
        });
    }

    @Test
    void hiddenOrBidiUnicodeInSkillsIsReportedWithItsLine() {
        List<Problem> ps = check(codex(OK, "skills/a/SKILL.md", GOOD_SKILL + "ok\nrun \u202Erm -rf\u202C now\n"));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("skill.hidden-unicode");
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).contains("U+202E");
        });
        assertThat(errors(check(codex(OK, "skills/a/SKILL.md", GOOD_SKILL + "zero\u200Bwidth"), true)))
                .containsExactly("skill.hidden-unicode");
        assertThat(check(codex(OK, "skills/a/SKILL.md", GOOD_SKILL + "émoji 🎉 and ünïcode are fine"), true)).isEmpty();
    }

    @Test
    void literalSecretsInMcpEnvAreErrorsEvenWithoutStrict() {
        String mcp = "{\"mcpServers\": {\"gh\": {\"command\": \"npx\", \"env\": {\"GITHUB_TOKEN\": \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"}}}}";
        String pre = "{\"name\": \"p\", \"version\": \"1.0.0\", \"prerequisites\": {\"commands\": {\"npx\": \"Node\"}, "
                + "\"env\": {\"GITHUB_TOKEN\": \"a token\"}}}";
        List<Problem> ps = check(codex(pre, ".mcp.json", mcp));
        assertThat(errors(ps)).containsExactly("mcp.secret-literal");
        assertThat(ps.getFirst().file().getFileName().toString()).isEqualTo(".mcp.json");
        assertThat(errors(check(codex(pre, ".mcp.json", mcp.replace("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "s3cr3tValue99")))))
                .containsExactly("mcp.secret-literal");
        assertThat(check(codex(pre, ".mcp.json", mcp.replace("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "${GITHUB_TOKEN}")), true))
                .isEmpty();
        assertThat(errors(check(codex(pre, ".mcp.json", "{\"mcpServers\": {\"x\": {\"command\": \"npx\", "
                + "\"args\": [\"--key\", \"sk-proj-abcdefghijklmnopqrstuvwx\"]}}}")))).containsExactly("mcp.secret-literal");
    }

    @Test
    void mcpCommandsAndRequiredEnvMustBeDeclaredAsPrerequisites() {
        String mcp = "{\"mcpServers\": {\"gh\": {\"command\": \"npx\", \"args\": [\"-y\", \"srv\"], "
                + "\"env\": {\"GITHUB_TOKEN\": \"${GITHUB_TOKEN}\", \"ROOT\": \"${CLAUDE_PLUGIN_ROOT}\", \"OPT\": \"${OPT:-x}\"}},"
                + " \"local\": {\"command\": \"${CLAUDE_PLUGIN_ROOT}/bin/srv\"}}}";
        List<Problem> ps = check(codex(OK, ".mcp.json", mcp));
        assertThat(warnings(ps)).containsExactlyInAnyOrder("prereq.command-undeclared", "prereq.env-undeclared");
        assertThat(errors(check(codex(OK, ".mcp.json", mcp), true)))
                .containsExactlyInAnyOrder("prereq.command-undeclared", "prereq.env-undeclared");
        String declared = "{\"name\": \"p\", \"version\": \"1.0.0\", \"prerequisites\": {\"commands\": {\"npx\": \"Node.js 18+\"}, "
                + "\"env\": {\"GITHUB_TOKEN\": \"a token\"}}}";
        assertThat(check(codex(declared, ".mcp.json", mcp), true)).isEmpty();
        assertThat(warnings(check(codex("{\"name\": \"p\", \"version\": \"1.0.0\", \"prerequisites\": []}"))))
                .containsExactly("prerequisites.invalid");
    }

    @Test
    void unreadableMcpConfigIsAWarningBecauseCodexInstallsAnyway() {
        assertThat(warnings(check(codex(OK, ".mcp.json", "{\"mcpServers\": ")))).containsExactly("mcp.invalid-json");
        assertThat(errors(check(codex(OK, ".mcp.json", "{\"mcpServers\": "), true))).containsExactly("mcp.invalid-json");
    }

    @Test
    void marketplaceEntryMarkedNotAvailableMakesThePluginUninstallable() {
        Path m = dir.resolve("m");
        TestFiles.write(m, ".agents/plugins/marketplace.json", "{\"name\": \"fx\", \"plugins\": [{\"name\": \"p\", "
                + "\"source\": \"./plugins/p\", \"policy\": {\"installation\": \"NOT_AVAILABLE\"}}, "
                + "{\"name\": \"q\", \"source\": \"./plugins/q\"}, {\"name\": \"r\", \"source\": \"./plugins/r\"}]}");
        TestFiles.write(m, "plugins/p/.codex-plugin/plugin.json", OK.replace("\"p\"", "\"p\""));
        TestFiles.write(m, "plugins/q/.codex-plugin/plugin.json", OK.replace("\"p\"", "\"q\""));
        TestFiles.write(m, "plugins/r/.codex-plugin/plugin.json", OK.replace("\"p\"", "\"other\""));
        assertThat(errors(check(m.resolve("plugins/p")))).containsExactly("marketplace.not-available");
        assertThat(errors(check(m.resolve("plugins/q")))).isEmpty();
        assertThat(errors(check(m.resolve("plugins/r")))).containsExactly("name.marketplace-mismatch");
    }

    @Test
    void claudeManifestRulesAreErrorsLikeClaudePluginValidate() {
        String[] bad = {
            "{}", "claude.name-missing",
            "{\"name\": \"\"}", "claude.name-empty",
            "{\"name\": \"my plugin\"}", "claude.name-spaces",
            "{\"name\": \"p\", \"author\": \"me\"}", "claude.field-type",
            "{\"name\": \"p\", \"version\": 1}", "claude.field-type",
            "{\"name\": \"p\", \"homepage\": \"notaurl\"}", "claude.url-invalid",
            "{\"name\": \"p\", \"commands\": \"commands\"}", "claude.path-invalid",
            "{\"name\": \"p\", \"commands\": \"./c/../../x\"}", "claude.path-traversal",
            "{\"name\": \"p\", \"agents\": [\"./agents/missing.md\"]}", "claude.path-missing",
            "{\"name\": \"p\", \"hooks\": 5}", "claude.field-type",
            "{\"name\": \"p\", \"mcpServers\": {\"x\": 5}}", "claude.field-type",
            "[\"p\"]", "claude.not-object",
            "{\"name\": \"p\",}", "claude.invalid-json",
        };
        for (int i = 0; i < bad.length; i += 2) {
            Path root = plugin(".claude-plugin/plugin.json", bad[i]);
            assertThat(errors(check(root))).as(bad[i]).contains(bad[i + 1]);
        }
        Path good = plugin(".claude-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1.0.0\", \"author\": {\"name\": \"a\"}, "
                + "\"homepage\": \"https://x.dev\", \"commands\": [\"./commands/c.md\"], \"foo\": 1}", "commands/c.md", "---\ndescription: d\n---\n");
        assertThat(errors(check(good))).isEmpty();
    }

    @Test
    void claudeReportsBrokenFrontMatterAndHooksFile() {
        String m = "{\"name\": \"p\", \"version\": \"1.0.0\"}";
        assertThat(errors(check(plugin(".claude-plugin/plugin.json", m, "skills/s/SKILL.md", "---\nname: s\ndescription: use when: x\n---\n"))))
                .containsExactly("claude.frontmatter");
        assertThat(errors(check(plugin(".claude-plugin/plugin.json", m, "commands/sub/c.md", "---\ndescription: `x`\n---\n"))))
                .containsExactly("claude.frontmatter");
        assertThat(errors(check(plugin(".claude-plugin/plugin.json", m, "hooks/hooks.json", "{bad"))))
                .containsExactly("claude.invalid-json");
        assertThat(errors(check(plugin(".claude-plugin/plugin.json", m, "hooks/hooks.json", "{\"hooks\": 5}"))))
                .containsExactly("claude.field-type");
        assertThat(errors(check(plugin(".claude-plugin/plugin.json", m, "skills/s/SKILL.md", "no front matter", "hooks/hooks.json",
                "{\"hooks\": {}}")))).isEmpty();
    }

    @Test
    void codexRejectionsOnlyWarnWhenClaudeIsTheJudge() {
        Path claudeOnly = plugin(".claude-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1 0\"}");
        assertThat(errors(check(claudeOnly))).isEmpty();
        assertThat(warnings(check(claudeOnly))).contains("version.invalid-chars");
        Path both = plugin(".claude-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1 0\"}",
                ".codex-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1 0\"}");
        assertThat(errors(check(both))).containsExactly("version.invalid-chars");
    }

    @Test
    void symlinkLoopsAndTenThousandFilesNeitherHangNorCrash() throws IOException {
        Path root = codex(OK, "skills/hello/SKILL.md", GOOD_SKILL);
        Files.createSymbolicLink(root.resolve("skills/loop"), root.resolve("skills/loop"));
        Files.createSymbolicLink(root.resolve("commands"), root);
        Path many = Files.createDirectories(root.resolve("skills/many"));
        for (int i = 0; i < 10_000; i++) {
            Files.createFile(many.resolve("f" + i + ".md"));
        }
        TestFiles.write(root, ".claude-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1.0.0\", \"author\": {\"name\": \"a\"}}");
        assertThat(errors(check(root))).isEmpty();
    }
}
