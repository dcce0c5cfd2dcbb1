package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm marketplace add}, {@code update} and {@code remove} of a git marketplace, each killed with SIGKILL at random
 * points. After every kill {@code config.toml} parses, the real Codex CLI still lists plugins and marketplaces (exit 0),
 * cxpm lists its marketplaces, and the marketplace is either there whole (its clone holds its manifest) or not there;
 * the next command of the same kind finishes.
 */
class MarketplaceKillTest {

    @TempDir
    Path tmp;

    @Test
    void marketplaceAddUpdateAndRemoveKilledAtRandomPointsLeaveItWhollyThereOrGoneAndCodexWorking() throws Exception {
        Path home = tmp.resolve("home");
        Path codexHome = tmp.resolve("codex-home");
        Path repo = tmp.resolve("team");
        Fixtures.marketplace(repo, "team", "alpha", "1.0.0", "beta", "1.0.0");
        for (int i = 0; i < 400; i++) { // enough that a clone takes a while, so kills land mid-clone too
            Files.writeString(repo.resolve("plugins/alpha/skills/hello/f" + i + ".txt"), ("text " + i + " ").repeat(400));
        }
        String url = Fixtures.gitRepo(repo, home, "team");
        Map<String, String> env = new HashMap<>(Fixtures.env(codexHome, home));
        env.put("CXPM_STORE", tmp.resolve("store").toString());
        CodexClient codex = new CodexClient(codexHome, home);
        ObjectMapper om = new ObjectMapper();

        // how long a whole add takes in its own JVM here: the kills are spread over about that
        long started = System.nanoTime();
        Process first = CxpmProcess.start(tmp, env, tmp.resolve("first.log"), "marketplace", "add", url);
        assertThat(first.waitFor()).as(Files.readString(tmp.resolve("first.log"))).isZero();
        int wholeMs = (int) Math.max(300, (System.nanoTime() - started) / 1_000_000);
        assertThat(known(om, codex, tmp, env)).isTrue();

        Random random = new Random(5);
        String[][] commands = {{"marketplace", "add", url}, {"marketplace", "update", "team"}, {"marketplace", "remove", "team"}};
        int[] there = new int[2];
        for (int round = 0; round < 15; round++) {
            String[] command = commands[random.nextInt(commands.length)];
            if (command[1].equals("update")) {
                Files.writeString(repo.resolve("plugins/beta/skills/hello/round.txt"), "round " + round);
                Fixtures.commitAll(repo, "round " + round);
                Fixtures.push(repo, "team");
            }
            Process p = CxpmProcess.start(tmp, env, tmp.resolve("kill.log"), command);
            Thread.sleep(wholeMs / 3 + random.nextInt(wholeMs));
            p.destroyForcibly();
            p.waitFor();

            if (Files.exists(codexHome.resolve("config.toml"))) {
                CodexConfig.read(codexHome.resolve("config.toml"));
            }
            boolean known = known(om, codex, tmp, env);
            there[known ? 1 : 0]++;
            if (known) {
                assertThat(clone(codexHome).resolve(".agents/plugins/marketplace.json"))
                        .as("round %d (%s): a marketplace that is there is whole", round, String.join(" ", command)).isRegularFile();
            }
        }
        // whatever the last kill left, add and then remove finish, and Codex agrees at each step
        CliRun add = CliRun.in(tmp, env, "marketplace", "add", url);
        assertThat(add.exitCode()).as(add.stderr()).isIn(0, 6); // 6: already added
        assertThat(known(om, codex, tmp, env)).isTrue();
        CliRun remove = CliRun.in(tmp, env, "marketplace", "remove", "team");
        assertThat(remove.exitCode()).as(remove.stderr()).isZero();
        assertThat(known(om, codex, tmp, env)).isFalse();
        System.out.println("marketplace kill test: the marketplace was gone after " + there[0] + " kills and there after " + there[1]);
    }

    private static Path clone(Path codexHome) {
        return codexHome.resolve(".tmp/marketplaces/team");
    }

    /**
     * Whether the marketplace is known, as cxpm and the real Codex CLI list it: both must list (exit 0) and agree, and
     * Codex must still list its plugins.
     */
    private static boolean known(ObjectMapper om, CodexClient codex, Path cwd, Map<String, String> env) throws Exception {
        CodexClient.Result plugins = codex.run("plugin", "list", "--json");
        assertThat(plugins.exitCode()).as(plugins.stdout() + plugins.stderr()).isZero();
        CodexClient.Result markets = codex.run("plugin", "marketplace", "list", "--json");
        assertThat(markets.exitCode()).as(markets.stdout() + markets.stderr()).isZero();
        boolean codexKnows = markets.stdout().contains("\"team\"");
        CliRun ours = CliRun.in(cwd, env, "marketplace", "list", "--json");
        assertThat(ours.exitCode()).as(ours.stderr()).isZero();
        boolean cxpmKnows = false;
        for (JsonNode m : om.readTree(ours.stdout()).path("marketplaces")) {
            cxpmKnows |= m.path("name").asText().equals("team");
        }
        assertThat(cxpmKnows).as("cxpm and Codex agree: %s / %s", ours.stdout(), markets.stdout()).isEqualTo(codexKnows);
        return cxpmKnows;
    }
}
