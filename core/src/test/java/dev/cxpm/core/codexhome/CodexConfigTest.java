package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodexConfigTest {

    @TempDir
    Path tmp;

    @Test
    void readsMarketplacesAndPluginsWrittenByCodex() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), """
                [marketplaces.fx]
                source_type = "git"
                source = "https://git.example.test/team/mk.git"
                ref = "main"
                sparse_paths = [".agents", "plugins/demo"]

                [plugins."demo@fx"]
                enabled = false

                [plugins."other@fx"]
                """);
        assertThat(cfg.marketplaces()).containsExactly(Map.entry("fx", new CodexConfig.MarketplaceEntry("git",
                "https://git.example.test/team/mk.git", Optional.of("main"), java.util.List.of(".agents", "plugins/demo"))));
        assertThat(cfg.plugins()).containsExactly(Map.entry("demo@fx", false), Map.entry("other@fx", true));
    }

    @Test
    void missingFileIsAnEmptyConfig() {
        CodexConfig cfg = CodexConfig.read(tmp.resolve("nope/config.toml"));
        assertThat(cfg.text()).isEmpty();
        assertThat(cfg.marketplaces()).isEmpty();
    }

    @Test
    void invalidTomlIsRefusedWithItsLine() {
        assertThatThrownBy(() -> CodexConfig.parse(tmp.resolve("config.toml"), "a = 1\nb = = 2\n"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("config.toml:2:")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
    }

    @Test
    void inlineMarketplacesTableBecomesATableBeforeANewMarketplaceIsAdded() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), "marketplaces = { fx = { source_type = \"local\", source = \"/x\" } }\n")
                .withMarketplace("fy", CodexConfig.MarketplaceEntry.local("/y"));
        assertThat(cfg.text()).isEqualTo("""
                [marketplaces]
                fx = { source_type = "local", source = "/x" }

                [marketplaces.fy]
                source_type = "local"
                source = "/y"
                """);
        assertThat(cfg.marketplaces()).containsOnlyKeys("fx", "fy");
    }

    @Test
    void byteOrderMarkIsReadAndDroppedOnWriteAsCodexDoes() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), "\uFEFF[plugins.\"other@fx\"]\nenabled = false\n");
        assertThat(cfg.plugins()).containsExactly(Map.entry("other@fx", false));
        assertThat(cfg.withPlugin("demo@fx", true).text())
                .isEqualTo("[plugins.\"other@fx\"]\nenabled = false\n\n[plugins.\"demo@fx\"]\nenabled = true\n");
    }

    @Test
    void inlinePluginsTableBecomesATableWhenAPluginIsAdded() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), """
                plugins = {"other@fx" = {enabled = false}} # gone with the inline table, as Codex drops it

                [marketplaces.fx]
                source = "/m"
                """).withPlugin("demo@fx", true);
        assertThat(cfg.text()).isEqualTo("""
                [plugins]
                "other@fx" = {enabled = false}

                [plugins."demo@fx"]
                enabled = true

                [marketplaces.fx]
                source = "/m"
                """);
        assertThat(cfg.plugins()).containsExactly(Map.entry("demo@fx", true), Map.entry("other@fx", false));
    }

    @Test
    void pluginWrittenAsAnInlineTableIsEnabledAsATableKeepingItsOtherKeys() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), """
                [plugins]
                "other@fx" = { enabled = true } # keep
                "demo@fx" = { enabled = false, note = "x, y" }
                """).withPlugin("demo@fx", true);
        assertThat(cfg.text()).isEqualTo("""
                [plugins]
                "other@fx" = { enabled = true } # keep

                [plugins."demo@fx"]
                enabled = true
                note = "x, y"
                """);
    }

    @Test
    void dottedEnabledIsEditedInPlaceKeepingItsComment() {
        String text = "model = \"o3\"\nplugins.\"demo@fx\".enabled = false # off for now\n\n[tui]\nx = 1\n";
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), text).withPlugin("demo@fx", true);
        assertThat(cfg.text()).isEqualTo(text.replace("enabled = false", "enabled = true"));
        CodexConfig inPlugins = CodexConfig.parse(tmp.resolve("config.toml"), "[plugins]\n\"demo@fx\".enabled=true\n")
                .withPlugin("demo@fx", false);
        assertThat(inPlugins.text()).isEqualTo("[plugins]\n\"demo@fx\".enabled=false\n");
    }

    @Test
    void removingAPluginWrittenInlineOrDottedRemovesOnlyIt() {
        CodexConfig inline = CodexConfig.parse(tmp.resolve("config.toml"),
                "[plugins]\n\"demo@fx\" = { enabled = true } # mine\n\"other@fx\" = { enabled = true }\n").withoutPlugin("demo@fx");
        assertThat(inline.text()).isEqualTo("[plugins]\n\"other@fx\" = { enabled = true }\n");
        CodexConfig dotted = CodexConfig.parse(tmp.resolve("config.toml"),
                "plugins.\"demo@fx\".enabled = true\nplugins.\"demo@fx\".note = \"n\"\nplugins.\"other@fx\".enabled = true\n").withoutPlugin("demo@fx");
        assertThat(dotted.text()).isEqualTo("plugins.\"other@fx\".enabled = true\n");
        CodexConfig rootInline = CodexConfig.parse(tmp.resolve("config.toml"),
                "plugins = { \"demo@fx\" = { enabled = true }, \"other@fx\" = { enabled = false } }\n").withoutPlugin("demo@fx");
        assertThat(rootInline.plugins()).containsExactly(Map.entry("other@fx", false));
    }

    @Test
    void pluginDefinedByDottedKeysWithoutEnabledIsRefusedWithItsLineAndTheFix() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), "model = \"o3\"\nplugins.\"demo@fx\".note = \"n\"\n");
        assertThatThrownBy(() -> cfg.withPlugin("demo@fx", true))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("config.toml:2")
                .satisfies(e -> assertThat(((UserError) e).hint()).contains("[plugins.\"demo@fx\"]"))
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
    }

    @Test
    void everyValidShapeIsEditedToWhatWasAskedOrRefusedAsInvalidInputNeverCorrupted() {
        List<String> shapes = List.of(
                "plugins = {}\n",
                "plugins = { \"demo@fx\" = {} }\n",
                "[plugins]\n\"demo@fx\" = {}\n\"other@fx\" = { enabled = false }\n",
                "plugins.\"demo@fx\" = { enabled = false }\nplugins.\"other@fx\".enabled = false\n",
                "[plugins.\"demo@fx\"]\nenabled = false\n[plugins.\"demo@fx\".extra]\nx = 1\n",
                "a = \"\"\"\n[plugins.\"demo@fx\"]\nenabled = false\n\"\"\"\n[plugins.\"other@fx\"]\nenabled = false\n",
                "'plugins' = { 'demo@fx' = { 'enabled' = false }, 'other@fx' = { enabled = false } }\n",
                "plugins = { \"demo@fx\".enabled = false, \"other@fx\" = { enabled = false } }\n",
                "[plugins]\n\"demo@fx\" = { enabled = false } # c\n[[other]]\nx = 1\n[marketplaces.fx]\nsource = \"/m\"\n",
                "\uFEFF[marketplaces]\r\nfx = { source_type = \"local\", source = \"/m\" } # c\r\n[plugins]\r\n\"other@fx\".enabled = false\r\n",
                "marketplaces.fx = { source = \"/m\" }\n[plugins.\"demo@fx\"] # why\nenabled = false # off\n");
        for (String shape : shapes) {
            CodexConfig cfg = CodexConfig.parse(tmp.resolve("config.toml"), shape);
            Boolean other = cfg.plugins().get("other@fx");
            for (boolean enabled : new boolean[] {true, false}) {
                CodexConfig edited = cfg.withPlugin("demo@fx", enabled);
                assertThat(edited.plugins()).as(shape).containsEntry("demo@fx", enabled);
                assertThat(edited.plugins().get("other@fx")).as(shape).isEqualTo(other);
            }
            CodexConfig removed = cfg.withoutPlugin("demo@fx");
            assertThat(removed.plugins()).as(shape).doesNotContainKey("demo@fx");
            assertThat(removed.plugins().get("other@fx")).as(shape).isEqualTo(other);
            try {
                CodexConfig mk = cfg.withMarketplace("fx", CodexConfig.MarketplaceEntry.local("/n")).withMarketplace("fy", CodexConfig.MarketplaceEntry.local("/y"));
                assertThat(mk.marketplaces().get("fx").source()).as(shape).isEqualTo("/n");
                assertThat(mk.plugins()).as(shape).isEqualTo(cfg.plugins());
            } catch (UserError e) {
                assertThat(e.kind()).as(shape + ": " + e.getMessage()).isEqualTo(UserError.Kind.INVALID_INPUT);
                assertThat(e.getMessage()).contains("config.toml:");
            }
            assertThat(cfg.withoutMarketplace("fx").marketplaces()).as(shape).doesNotContainKey("fx");
        }
    }

    @Test
    void marketplaceDefinedByDottedKeysIsRemovedButNotRewritten() {
        String text = "marketplaces.fx.source_type = \"local\"\nmarketplaces.fx.source = \"/x\"\nmodel = \"o3\"\n";
        assertThat(CodexConfig.parse(tmp.resolve("config.toml"), text).withoutMarketplace("fx").text()).isEqualTo("model = \"o3\"\n");
        assertThatThrownBy(() -> CodexConfig.parse(tmp.resolve("config.toml"), text).withMarketplace("fx", CodexConfig.MarketplaceEntry.local("/y")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("config.toml:1")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
    }

    @Test
    void gitMarketplaceWritesRefAndSparsePathsOnlyWhenGiven() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("c.toml"), "")
                .withMarketplace("a", CodexConfig.MarketplaceEntry.git("https://h/a.git", Optional.empty()))
                .withMarketplace("b", new CodexConfig.MarketplaceEntry("git", "https://h/b.git", Optional.of("v1"), java.util.List.of("p")));
        assertThat(cfg.text()).isEqualTo("""
                [marketplaces.a]
                source_type = "git"
                source = "https://h/a.git"

                [marketplaces.b]
                source_type = "git"
                source = "https://h/b.git"
                ref = "v1"
                sparse_paths = ["p"]
                """);
    }

    @Test
    void disablingKeepsTheRestOfTheTable() {
        CodexConfig cfg = CodexConfig.parse(tmp.resolve("c.toml"), "[plugins.\"demo@fx\"]\nenabled = true # keep\nx = 1\n")
                .withPlugin("demo@fx", false);
        assertThat(cfg.text()).isEqualTo("[plugins.\"demo@fx\"]\nenabled = false # keep\nx = 1\n");
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTempFiles() throws Exception {
        Path file = tmp.resolve("config.toml");
        Files.writeString(file, "a = 1\n");
        CodexConfig.read(file).withPlugin("demo@fx", true).write();
        assertThat(Files.readString(file)).isEqualTo("a = 1\n\n[plugins.\"demo@fx\"]\nenabled = true\n");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void homeLockHeldElsewhereFailsWithConflictAfterTheTimeout() {
        CodexHome home = new CodexHome(tmp.resolve("ch"));
        try (HomeLock held = HomeLock.acquire(home, Duration.ofSeconds(5))) {
            UserError[] seen = new UserError[1];
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    HomeLock.acquire(home, Duration.ofMillis(100)).close();
                } catch (UserError e) {
                    seen[0] = e;
                }
            });
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertThat(seen[0]).isNotNull();
            assertThat(seen[0].kind()).isEqualTo(UserError.Kind.CONFLICT);
            assertThat(seen[0].getMessage()).contains(".cxpm.lock");
        }
        try (HomeLock again = HomeLock.acquire(home, Duration.ofMillis(100))) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void codexHomeComesFromCodexHomeElseHome() {
        assertThat(CodexHome.resolve(Map.of("CODEX_HOME", "/x/ch", "HOME", "/h"), Path.of("/")).dir()).isEqualTo(Path.of("/x/ch"));
        assertThat(CodexHome.resolve(Map.of("HOME", "/h"), Path.of("/")).dir()).isEqualTo(Path.of("/h/.codex"));
        assertThatThrownBy(() -> CodexHome.resolve(Map.of(), Path.of("/"))).isInstanceOf(UserError.class);
    }

    @Test
    void binaryJunkInConfigTomlIsAnInvalidInputErrorNamingTheFile(@TempDir Path junkDir) throws Exception {
        Path file = junkDir.resolve("config.toml");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3, 0x28});
        assertThatThrownBy(() -> CodexConfig.read(file))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not UTF-8")
                .satisfies(e -> assertThat(((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT));
        assertThat(Files.readAllBytes(file)).hasSize(5);
    }

    /** config.toml's bytes are the strict encoder's: the same bytes for any valid text, and a lone surrogate refused, not written as '?'. */
    @Test
    void writesTheStrictEncodersBytesAndRefusesALoneSurrogate() throws Exception {
        for (String text : new String[] {"", "[plugins.\"a@b\"]\nenabled = true\n", "name = \"caf\u00e9 \u2028 \ud83d\ude00\"\n"}) {
            java.nio.ByteBuffer strict = java.nio.charset.StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(text));
            assertThat(CodexConfig.utf8(text)).as(text).isEqualTo(strict);
        }
        for (String lone : new String[] {"a = \"\ud83d\"\n", "a = \"\ude00x\"", "\ud83d"}) {
            assertThatThrownBy(() -> CodexConfig.utf8(lone)).as(lone).isInstanceOf(java.nio.charset.CharacterCodingException.class);
        }
    }
}
