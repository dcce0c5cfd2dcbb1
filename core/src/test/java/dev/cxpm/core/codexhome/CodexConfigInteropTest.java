package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge: for each starting config.toml and sequence of operations, the real Codex CLI and
 * {@link CodexConfig} must leave byte-identical files.
 */
class CodexConfigInteropTest {

    @TempDir
    Path tmp;
    Path market;
    Path market2;

    record Case(String name, String initial, List<String> ops) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        String userConfig = """
                # my config
                model = "o3"   # trailing comment

                [profiles.x]
                model = "gpt"
                [plugins."old@zz"]
                enabled = false
                # comment after plugin

                [tui]
                theme = "dark"
                """;
        return List.of(
                new Case("empty file", "", List.of("mk+ fx", "add demo@fx")),
                new Case("user config keeps comments", userConfig, List.of("mk+ fx", "add demo@fx")),
                new Case("no trailing newline", "model = \"x\"", List.of("mk+ fx")),
                new Case("comment at end stays last", "[a]\nx = 1\n# end comment\n", List.of("mk+ fx")),
                new Case("blank lines at end stay last", "[a]\nx = 1\n\n\n", List.of("mk+ fx")),
                new Case("only a comment", "# hello\n", List.of("mk+ fx")),
                new Case("two marketplaces and plugins", "", List.of("mk+ fx", "mk+ fy", "add demo@fx", "add demo@fy")),
                new Case("new marketplace after the last one", "[marketplaces.zz]\nsource_type = \"local\"\nsource = \"/nonexistent\"\n\n[tui]\nx = 1\n", List.of("mk+ fx")),
                new Case("remove the only marketplace", "", List.of("mk+ fx", "mk- fx")),
                new Case("remove marketplace keeps plugin", "", List.of("mk+ fx", "add demo@fx", "mk- fx")),
                new Case("remove plugin takes its leading comments",
                        "# top\n[plugins.\"a@b\"]\nenabled = true\n# c1\n\n[plugins.\"old@zz\"]\nenabled = false # why\n# c2\n\n[tui]\nx = 1\n",
                        List.of("mk+ fx", "add demo@fx", "rm old@zz")),
                new Case("re-add keeps spacing and comment",
                        "[plugins.\"demo@fx\"]\nenabled  =  false # why\nextra = 1\n", List.of("mk+ fx", "add demo@fx")),
                new Case("crlf becomes lf", "a = 1\r\n\r\n[x]\r\nb = 2\r\n", List.of("mk+ fx")),
                new Case("dotted plugin keys in root", "plugins.\"z@fx\".enabled = true\n", List.of("mk+ fx", "add demo@fx")),
                new Case("byte order mark is dropped", "\uFEFF# top\n[plugins.\"old@zz\"]\nenabled = false\n", List.of("mk+ fx", "add demo@fx")),
                new Case("dotted enabled edited in place", "plugins.\"demo@fx\".enabled = false # off\n", List.of("mk+ fx", "add demo@fx")),
                new Case("crlf and comments after values", "a = 1 # c\r\n\r\n[plugins.\"demo@fx\"]\r\nenabled = false # why\r\n",
                        List.of("mk+ fx", "add demo@fx")),
                new Case("inline plugin entry removed alone",
                        "[plugins]\n\"demo@fx\" = { enabled = true } # mine\n\"old@zz\" = { enabled = true }\n", List.of("mk+ fx", "rm demo@fx")),
                new Case("dotted plugin in [plugins] removed", "[plugins]\n\"demo@fx\".enabled = true # c\n", List.of("mk+ fx", "rm demo@fx")),
                // One edit for many plugins (sync's) against Codex adding or removing them one at a time.
                new Case("several plugins added in one edit", "[tui]\nx = 1\n", List.of("mk+ fx", "mk+ fy", "add* demo@fx,demo@fy")),
                new Case("several plugins removed in one edit",
                        "[plugins]\n\"old@zz\" = { enabled = true }\n\n[plugins.\"a@b\"]\nenabled = true\n# c\n\n[tui]\nx = 1\n",
                        List.of("mk+ fx", "mk+ fy", "add* demo@fx,demo@fy", "rm* old@zz,demo@fx")),
                new Case("multi-line array before tables", "arr = [\n  \"[not a header]\",\n  2, # c\n]\ns = \"\"\"\n[nor this]\n\"\"\"\n", List.of("mk+ fx", "add demo@fx")));
    }

    @BeforeEach
    void marketplaces() throws IOException {
        market = marketplace("fx");
        market2 = marketplace("fy");
    }

    private Path marketplace(String name) throws IOException {
        Path m = tmp.resolve("m-" + name);
        Files.createDirectories(m.resolve(".agents/plugins"));
        Files.writeString(m.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"" + name + "\", \"plugins\": [{\"name\": \"demo\", \"source\": {\"source\": \"local\", \"path\": \"./plugins/demo\"}}]}");
        Files.createDirectories(m.resolve("plugins/demo/.codex-plugin"));
        Files.writeString(m.resolve("plugins/demo/.codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\"}");
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void editsMatchTheRealCodexCliByteForByte(Case c) throws IOException {
        Path codexHome = tmp.resolve("codex-home");
        Files.createDirectories(codexHome);
        Files.writeString(codexHome.resolve("config.toml"), c.initial());
        CodexClient codex = new CodexClient(codexHome, tmp.resolve("home"));

        Path ours = tmp.resolve("ours/config.toml");
        Files.createDirectories(ours.getParent());
        Files.writeString(ours, c.initial());

        for (String op : c.ops()) {
            String[] parts = op.split(" ");
            String arg = parts[1];
            CodexConfig cfg = CodexConfig.read(ours);
            CodexClient.Result r = switch (parts[0]) {
                case "mk+" -> {
                    Path root = arg.equals("fx") ? market : market2;
                    cfg = cfg.withMarketplace(arg, CodexConfig.MarketplaceEntry.local(root.toString()));
                    yield codex.run("plugin", "marketplace", "add", root.toString());
                }
                case "mk-" -> {
                    cfg = cfg.withoutMarketplace(arg);
                    yield codex.run("plugin", "marketplace", "remove", arg);
                }
                case "add" -> {
                    cfg = cfg.withPlugin(arg, true);
                    yield codex.run("plugin", "add", arg);
                }
                case "add*" -> {
                    java.util.LinkedHashMap<String, Boolean> flags = new java.util.LinkedHashMap<>();
                    CodexClient.Result last = null;
                    for (String id : arg.split(",")) {
                        flags.put(id, true);
                        last = codex.run("plugin", "add", id);
                        assertThat(last.exitCode()).as("codex add %s: %s", id, last.output()).isZero();
                    }
                    cfg = cfg.withPlugins(flags);
                    yield last;
                }
                case "rm*" -> {
                    CodexClient.Result last = null;
                    for (String id : arg.split(",")) {
                        last = codex.run("plugin", "remove", id);
                        assertThat(last.exitCode()).as("codex remove %s: %s", id, last.output()).isZero();
                    }
                    cfg = cfg.withoutPlugins(List.of(arg.split(",")));
                    yield last;
                }
                case "rm" -> {
                    cfg = cfg.withoutPlugin(arg);
                    yield codex.run("plugin", "remove", arg);
                }
                default -> throw new IllegalArgumentException(op);
            };
            assertThat(r.exitCode()).as("codex %s: %s", op, r.output()).isZero();
            cfg.write();
        }
        assertThat(Files.readString(ours)).isEqualTo(Files.readString(codexHome.resolve("config.toml")));
    }
}
