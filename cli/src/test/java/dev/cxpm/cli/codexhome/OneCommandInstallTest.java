package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.testkit.CodexClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's promise of one command: {@code cxpm install NAME} from the one marketplace that has it,
 * {@code --registry URL} and a registry page's address adding the registry first, a default registry for
 * names no marketplace has, and the registry page's command run as shown on a machine that never saw the
 * registry, with the real Codex CLI seeing the plugin enabled. A real registry on 127.0.0.1 throughout.
 */
class OneCommandInstallTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path data;
    Registry registry;
    RegistryServer server;
    String url;
    /** A machine that has never seen the registry: empty Codex home, empty HOME. */
    Path codexHome;
    Path home;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        Path publisher = tmp.resolve("publisher-home");
        Map<String, String> publisherEnv = Fixtures.env(tmp.resolve("publisher-codex"), publisher);
        CliRun token = CliRun.in(tmp, publisherEnv, "token", "create", "--data", data.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        Fixtures.plugin(tmp.resolve("src/team-tools"), "{\"name\": \"team-tools\", \"version\": \"1.2.0\", \"description\": \"Tools for the team\"}");
        CliRun publish = CliRun.in(tmp, withToken(publisherEnv, token.stdout().strip()), "publish", tmp.resolve("src/team-tools").toString(),
                "--registry", url);
        assertThat(publish.exitCode()).as(publish.stderr()).isZero();

        codexHome = tmp.resolve("codex-home");
        home = tmp.resolve("home");
        env = new HashMap<>(Fixtures.env(codexHome, home));
    }

    private static Map<String, String> withToken(Map<String, String> env, String token) {
        Map<String, String> m = new HashMap<>(env);
        m.put("CXPM_TOKEN", token);
        return m;
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    void assertCodexSeesTeamToolsEnabled() throws Exception {
        CodexClient.Result list = new CodexClient(codexHome, home).run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        JsonNode installed = JSON.readTree(list.stdout()).path("installed");
        assertThat(installed).hasSize(1);
        assertThat(installed.get(0).path("pluginId").asText()).isEqualTo("team-tools@cxpm-registry");
        assertThat(installed.get(0).path("version").asText()).isEqualTo("1.2.0");
        assertThat(installed.get(0).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void theCommandTheRegistryPageShowsInstallsOnAMachineThatNeverSawTheRegistry() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/plugins/team-tools")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher shown = Pattern.compile("<code id=install-command>([^<]*)</code>").matcher(page.body());
        assertThat(shown.find()).as(page.body()).isTrue();
        String command = shown.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        assertThat(command).isEqualTo("cxpm install team-tools --registry " + url);
        assertThat(codexHome).doesNotExist();

        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        assertThat(args.remove(0)).isEqualTo("cxpm");
        CliRun r = cxpm(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("Added plugin `team-tools` from marketplace `cxpm-registry`.");
        assertCodexSeesTeamToolsEnabled();

        CliRun again = cxpm(args.toArray(String[]::new));
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(Files.readString(codexHome.resolve("config.toml"))).containsOnlyOnce("[marketplaces.cxpm-registry]");
        assertCodexSeesTeamToolsEnabled();
    }

    @Test
    void theRegistryPagesAddressInstallsToo() throws Exception {
        CliRun r = cxpm("install", url + "/plugins/team-tools");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertCodexSeesTeamToolsEnabled();
    }

    @Test
    void aDefaultRegistryInCxpmsConfigIsWhereABareNameNoMarketplaceHasIsFound() throws Exception {
        Path config = home.resolve(".config/cxpm/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "# my registry\nregistry = \"" + url + "\"\n");
        CliRun r = cxpm("install", "team-tools");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertCodexSeesTeamToolsEnabled();
    }

    @Test
    void configSetRegistryKeepsTheFilesOtherLinesAndIsTheDefaultForInstall() throws Exception {
        Path config = home.resolve(".config/cxpm/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "# mine\nregistry = \"http://old.example\"\n");
        CliRun set = cxpm("config", "set", "registry", url);
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(Files.readString(config)).isEqualTo("# mine\nregistry = \"" + url + "\"\n");
        assertThat(cxpm("config", "get", "registry").stdout().strip()).isEqualTo(url);
        CliRun r = cxpm("install", "team-tools");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertCodexSeesTeamToolsEnabled();

        assertThat(cxpm("config", "unset", "registry").exitCode()).isZero();
        assertThat(Files.readString(config)).isEqualTo("# mine\n");
        assertThat(cxpm("config", "get", "registry").exitCode()).isEqualTo(3);
        assertThat(cxpm("config", "set", "registry", "ftp://x").exitCode()).isEqualTo(2);
        assertThat(cxpm("config", "set", "colour", "red").exitCode()).isEqualTo(2);
        assertThat(Files.readString(config)).isEqualTo("# mine\n");
    }

    @Test
    void cxpmRegistryInTheEnvironmentIsTheDefaultRegistryAsForPublish() throws Exception {
        env.put("CXPM_REGISTRY", url);
        CliRun r = cxpm("install", "team-tools");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertCodexSeesTeamToolsEnabled();
    }

    @Test
    void aNameTheDefaultRegistryLacksIsNotFoundAndAddsNothing() throws Exception {
        env.put("CXPM_REGISTRY", url);
        CliRun r = cxpm("install", "team-tool");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).contains("plugin `team-tool` was not found; searched the registry at " + url);
        assertThat(codexHome.resolve("config.toml")).doesNotExist();
    }

    @Test
    void aBadDefaultRegistryNamesTheFileAndLine() throws Exception {
        Path config = home.resolve(".config/cxpm/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "\nregistry = \"ftp://nowhere\"\n");
        CliRun r = cxpm("install", "team-tools");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains(config + ":2: not a registry URL: ftp://nowhere");
    }

    @Test
    void servesPublicUrlMustBeOneAShellReadsAsOneWord() {
        for (String option : new String[] {"--public-url", "--mirror"}) { // a mirror's upstream is held to the same
            for (String bad : new String[] {"https://x$(id).example", "https://plugins.example.com/x';reboot;'"}) {
                CliRun r = cxpm("serve", "--port", "0", "--data", tmp.resolve("other-data").toString(), option, bad);
                assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
                assertThat(r.stderr()).contains(bad);
                if (bad.contains("'")) { // a URL the client reads, but no shell as one word
                    assertThat(r.stderr()).contains(option + " " + bad + " is not a plain http(s)://host[:port][/path] URL",
                            "e.g. " + option + " https://plugins.example.com");
                }
                assertThat(tmp.resolve("other-data")).doesNotExist();
            }
        }
    }

    @Test
    void aUrlWhereNoRegistryAnswersIsRefusedAndAddsNothing() throws Exception {
        CliRun r = cxpm("install", "team-tools", "--registry", url + "/nothing-here");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).contains("no cxpm registry answers at " + url + "/nothing-here");
        assertThat(codexHome.resolve("config.toml")).doesNotExist();
        CliRun page = cxpm("install", url + "/plugins/../../etc");
        assertThat(page.exitCode()).as(page.stderr()).isEqualTo(2);
        assertThat(codexHome.resolve("config.toml")).doesNotExist();
    }

    @Test
    void aBareNameInOneMarketplaceInstallsSeveralAreListedAndNoneSuggestsTheNearest() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk-a"), "alpha", "demo", "1.0.0", "github-triage", "1.0.0");
        Fixtures.marketplace(tmp.resolve("mk-b"), "beta", "demo", "2.0.0");
        assertThat(cxpm("marketplace", "add", "mk-a").exitCode()).isZero();
        assertThat(cxpm("marketplace", "add", "mk-b").exitCode()).isZero();

        CliRun one = cxpm("install", "github-triage");
        assertThat(one.exitCode()).as(one.stderr()).isZero();
        assertThat(one.stdout()).contains("Added plugin `github-triage` from marketplace `alpha`.");

        CliRun several = cxpm("install", "demo");
        assertThat(several.exitCode()).as(several.stderr()).isEqualTo(2);
        assertThat(several.stderr()).contains("plugin `demo` is in 2 marketplaces; say which:\n  demo@alpha\n  demo@beta");
        assertThat(codexHome.resolve("plugins/cache/alpha/demo")).doesNotExist();
        assertThat(codexHome.resolve("plugins/cache/beta/demo")).doesNotExist();

        CliRun none = cxpm("install", "githb-triage");
        assertThat(none.exitCode()).as(none.stderr()).isEqualTo(3);
        assertThat(none.stderr()).contains("plugin `githb-triage` was not found; searched marketplace `alpha`, marketplace `beta`",
                "did you mean github-triage@alpha?");
    }
}
