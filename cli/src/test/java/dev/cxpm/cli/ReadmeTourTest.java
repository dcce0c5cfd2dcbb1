package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's tour, run as a new user would: the commands are read from the README's fenced blocks (so when the
 * README and the commands drift apart this test breaks), run by bash in an empty HOME with {@code ./cxpm} and
 * {@code cxpm} being this build's Main, against the registry the tour's own {@code serve --demo} starts (on a free
 * port instead of 8686). What the README promises about each step is checked: exit 0, the page a comment names,
 * the install command the plugin page shows, the real Codex CLI seeing the plugin enabled, and the team setup's
 * {@code cxpm.toml} synced into the lockfile it describes, byte for byte the same for a second teammate.
 */
class ReadmeTourTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BASH = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    Process serve;
    int port;

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theTwoCommandsTourAndTheTeamSetupWorkAsWritten() throws Exception {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        String tour = section(readme, "## Two commands");
        List<List<String>> blocks = bashBlocks(tour);
        assertThat(blocks).as("the tour's bash blocks").hasSizeGreaterThanOrEqualTo(2);
        port = freePort();

        // the first terminal: the registry with example plugins, at the URL it prints
        String serveLine = blocks.get(0).stream().filter(l -> l.startsWith("./cxpm serve")).findFirst().orElseThrow();
        Path author = Files.createDirectories(tmp.resolve("author"));
        Path authorHome = tmp.resolve("author-home");
        String printed = startServe(command(serveLine) + " --port " + port, author, authorHome);
        Matcher serving = Pattern.compile("cxpm registry serving (\\S+?)/? \\(data: ([^,)]+)").matcher(printed);
        assertThat(serving.find()).as(printed).isTrue();
        assertThat(serving.group(1)).isEqualTo("http://127.0.0.1:" + port);
        assertThat(get(serving.group(1) + "/").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get(serving.group(1) + "/api/v1/search").body()).path("total").asInt()).as("example plugins").isPositive();
        // "--data defaults to ~/...": where serve put its data, which token create --data is pointed at next
        Matcher dataDefault = Pattern.compile("`--data` defaults to\\s+`~/([^`]+)`").matcher(tour);
        assertThat(dataDefault.find()).as("the README names serve's default data directory").isTrue();
        assertThat(Path.of(serving.group(2))).isEqualTo(authorHome.resolve(dataDefault.group(1)));

        // the second terminal: author, log in, publish; each comment's URL serves what it says
        List<String> authoring = blocks.get(1);
        assertThat(authoring).as("init, token create | login, publish").hasSizeGreaterThanOrEqualTo(3);
        for (String line : authoring) {
            Result r = bash(withPort(command(line)), author, authorHome);
            assertThat(r.code).as(line + "\n" + r.output).isZero();
            for (String url : urls(withPort(comment(line)))) {
                HttpResponse<String> page = get(url);
                assertThat(page.statusCode()).as(url).isEqualTo(200);
                assertThat(page.body()).as(url + " lists the plugin").contains("href=\"/plugins/demo\"");
            }
        }

        // any machine: the plugin page's command, as the README writes it
        Matcher install = Pattern.compile("`(cxpm install demo [^`]*)`").matcher(tour);
        assertThat(install.find()).as("the README's install command").isTrue();
        String installCommand = withPort(install.group(1));
        String pageShows = get("http://127.0.0.1:" + port + "/plugins/demo").body();
        assertThat(pageShows).as("the plugin page shows that command").contains("<code id=install-command>" + installCommand + "</code>");
        Path other = Files.createDirectories(tmp.resolve("other"));
        Path otherHome = tmp.resolve("other-home");
        Result installed = bash(installCommand, other, otherHome);
        assertThat(installed.code).as(installed.output).isZero();
        JsonNode list = codexPluginList(otherHome);
        assertThat(list.path("installed")).as(list.toString()).anySatisfy(p -> {
            assertThat(p.path("pluginId").asText()).startsWith("demo@");
            assertThat(p.path("enabled").asBoolean()).isTrue();
        });

        teamSetup(readme, author, authorHome);
    }

    /**
     * The team section's cxpm.toml as written, its registry pointed at the tour's and its git URL (through git's
     * {@code insteadOf}) at a local repository holding {@code linter}: {@code cxpm sync} writes the lockfile the
     * README describes, Codex sees what it says, {@code sync --frozen} passes, a second teammate gets the same bytes,
     * and an edited installed file fails {@code --frozen} with exit 5.
     */
    private void teamSetup(String readme, Path author, Path authorHome) throws Exception {
        String team = section(readme, "## Team setup");
        Matcher toml = Pattern.compile("```toml\\n(.*?)```", Pattern.DOTALL).matcher(team);
        assertThat(toml.find()).as("the team section's cxpm.toml").isTrue();
        String manifest = toml.group(1);
        Matcher gitUrl = Pattern.compile("team = \"(https://[^\"]+)\"").matcher(manifest);
        Matcher registryUrl = Pattern.compile("cxpm-registry = \"(https?://[^\"]+)\"").matcher(manifest);
        assertThat(gitUrl.find() && registryUrl.find()).as(manifest).isTrue();
        String registry = "http://127.0.0.1:" + port;
        manifest = manifest.replace(registryUrl.group(1), registry);

        // what the manifest asks for: github ^1.2 (on the registry) and linter ~2.0 from the team's git marketplace
        Path github = Fixtures.plugin(tmp.resolve("src/github"), "{\"name\": \"github\", \"version\": \"1.2.3\", \"description\": \"GitHub for the team\"}");
        Result published = bash("./cxpm publish " + github, author, authorHome);
        assertThat(published.code).as(published.output).isZero();
        Path teamRepo = Fixtures.marketplace(tmp.resolve("codex-plugins"), "team", "linter", "2.0.1");
        Path teamHome = tmp.resolve("team-home");
        Path secondHome = tmp.resolve("second-home");
        String bare = "file://" + tmp.resolve("codex-plugins.git");
        Fixtures.git(teamRepo, "init", "-q", "-b", "main");
        Fixtures.commitAll(teamRepo, "linter 2.0.1");
        Fixtures.git(tmp, "clone", "-q", "--bare", teamRepo.toString(), tmp.resolve("codex-plugins.git").toString());
        for (Path home : List.of(teamHome, secondHome)) {
            Files.createDirectories(home);
            Fixtures.git(home, "config", "-f", home.resolve(".gitconfig").toString(), "url." + bare + ".insteadOf", gitUrl.group(1));
        }

        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), manifest);
        Result sync = bash("cxpm sync", project, teamHome);
        assertThat(sync.code).as(sync.output).isZero();
        String lock = Files.readString(project.resolve("cxpm.lock"));
        // one [[plugin]] per plugin sorted by name, each source as the README lists them
        assertThat(lock.indexOf("name = \"github\"")).as(lock).isPositive().isLessThan(lock.indexOf("name = \"linter\""));
        assertThat(lock).contains("source = \"registry+" + registry + "/api/v1/blobs/")
                .containsPattern("source = \"git\\+" + Pattern.quote(gitUrl.group(1)) + "\\?path=plugins/linter#[0-9a-f]{40}\"")
                .contains("integrity = \"sha512-").contains("version = \"1.2.3\"").contains("version = \"2.0.1\"");
        JsonNode installed = codexPluginList(teamHome).path("installed");
        assertThat(installed).as(installed.toString()).anySatisfy(p -> {
            assertThat(p.path("pluginId").asText()).isEqualTo("github@cxpm-registry");
            assertThat(p.path("enabled").asBoolean()).isTrue();
        }).anySatisfy(p -> {
            assertThat(p.path("pluginId").asText()).isEqualTo("linter@team");
            assertThat(p.path("enabled").asBoolean()).isFalse();
        });
        Result again = bash("cxpm sync", project, teamHome);
        assertThat(again.code).as(again.output).isZero();
        assertThat(again.output).as("plain sync says it trusted its last run").contains("Already in sync").contains("not re-read");
        Result frozen = bash("cxpm sync --frozen", project, teamHome);
        assertThat(frozen.code).as(frozen.output).isZero();

        // a new teammate with the committed files gets the same plugins, byte for byte
        Result second = bash("cxpm sync --frozen", project, secondHome);
        assertThat(second.code).as(second.output).isZero();
        assertThat(Files.readString(project.resolve("cxpm.lock"))).isEqualTo(lock);
        assertThat(TeamFixture.tree(secondHome.resolve(".codex/plugins/cache")))
                .isEqualTo(TeamFixture.tree(teamHome.resolve(".codex/plugins/cache")));

        Path skill = teamHome.resolve(".codex/plugins/cache/cxpm-registry/github/1.2.3/skills/hello/SKILL.md");
        Files.writeString(skill, "edited by hand\n");
        Result drift = bash("cxpm sync --frozen", project, teamHome);
        assertThat(drift.code).as(drift.output).isEqualTo(5);
        assertThat(drift.output).contains("github");
    }

    /** The README's text from this heading to the next one of its level. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading);
        assertThat(start).as("README has " + heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Each bash block's commands, a line ending in a backslash joined with the next as bash joins them. */
    private static List<List<String>> bashBlocks(String text) {
        List<List<String>> blocks = new ArrayList<>();
        Matcher m = BASH.matcher(text);
        while (m.find()) {
            List<String> lines = new ArrayList<>();
            for (String line : m.group(1).replaceAll("\\\\\\n\\s*", "").split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            blocks.add(lines);
        }
        return blocks;
    }

    private static String command(String line) {
        int hash = line.indexOf(" #");
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    private static String comment(String line) {
        int hash = line.indexOf(" #");
        return hash < 0 ? "" : line.substring(hash + 2).strip();
    }

    private static List<String> urls(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("https?://[^\\s`),]+").matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private String withPort(String text) {
        return text.replace("127.0.0.1:8686", "127.0.0.1:" + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("README.md")) || !Files.exists(dir.resolve("cxpm"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    /** A bin directory with {@code cxpm} being this build's Main (the launcher's job), also copied as {@code ./cxpm} into cwd. */
    private Path bin(Path cwd) throws IOException {
        Path bin = tmp.resolve("bin");
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' dev.cxpm.cli.Main \"$@\"\n";
        for (Path p : List.of(bin.resolve("cxpm"), cwd.resolve("cxpm"))) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, script);
            p.toFile().setExecutable(true);
        }
        return bin;
    }

    /** A new user's environment: nothing but HOME (XDG and Codex defaults under it) and PATH. */
    private Map<String, String> env(Path cwd, Path home) throws IOException {
        Files.createDirectories(home);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", bin(cwd) + ":" + System.getenv("PATH"));
        env.put("LANG", "C.UTF-8");
        env.put("CI", "true");
        return env;
    }

    private ProcessBuilder process(String command, Path cwd, Path home) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env(cwd, home));
        return pb;
    }

    /** Starts the tour's serve and returns what it printed up to its "serving URL" line. */
    private String startServe(String command, Path cwd, Path home) throws Exception {
        serve = process("exec " + command, cwd, home).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("cxpm registry serving ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the server stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return seen.toString();
            }
        }
        throw new AssertionError("serve printed no URL:\n" + seen);
    }

    private record Result(int code, String output) {
    }

    private Result bash(String command, Path cwd, Path home) throws Exception {
        Process p = process(command, cwd, home).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), "$ " + command + "\n" + output);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode codexPluginList(Path home) throws Exception {
        CodexClient.Result list = new CodexClient(home.resolve(".codex"), home).run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        return JSON.readTree(list.stdout());
    }
}
