package dev.cxpm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small marketplaces and plugins written into a test's temp dir, and git repositories served to both
 * cxpm and the real Codex CLI as {@code https://git.example.test/team/<name>.git} through
 * {@code url.insteadOf} in the test HOME's .gitconfig (Codex refuses file:// URLs).
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** A local marketplace called name with one plugin per (plugin, version) pair; version null = none. */
    public static Path marketplace(Path dir, String name, String... pluginsAndVersions) throws IOException {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < pluginsAndVersions.length; i += 2) {
            String plugin = pluginsAndVersions[i];
            String version = pluginsAndVersions[i + 1];
            if (i > 0) {
                entries.append(", ");
            }
            entries.append("{\"name\": \"").append(plugin).append("\", \"source\": {\"source\": \"local\", \"path\": \"./plugins/")
                    .append(plugin).append("\"}}");
            plugin(dir.resolve("plugins").resolve(plugin), "{\"name\": \"" + plugin + "\""
                    + (version == null ? "" : ", \"version\": \"" + version + "\"") + ", \"description\": \"The " + plugin + " plugin\"}");
        }
        Files.createDirectories(dir.resolve(".agents/plugins"));
        Files.writeString(dir.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"" + name + "\", \"plugins\": [" + entries + "]}\n");
        return dir;
    }

    public static Path plugin(Path dir, String manifest) throws IOException {
        Files.createDirectories(dir.resolve(".codex-plugin"));
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"), manifest + "\n");
        Files.createDirectories(dir.resolve("skills/hello"));
        Files.writeString(dir.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says hello\n---\nSay hello.\n");
        return dir;
    }

    /** Makes dir a git repo with one commit, a bare clone beside it, and maps the https URL to it for home. */
    static String gitRepo(Path dir, Path home, String name) throws IOException {
        git(dir, "init", "-q", "-b", "main");
        commitAll(dir, "initial");
        Path bare = dir.resolveSibling(name + ".git");
        git(dir.getParent(), "clone", "-q", "--bare", dir.toString(), bare.toString());
        String url = "https://git.example.test/team/" + name + ".git";
        Files.createDirectories(home);
        git(home, "config", "-f", home.resolve(".gitconfig").toString(), "url.file://" + bare + ".insteadOf", url);
        return url;
    }

    static void commitAll(Path dir, String message) throws IOException {
        git(dir, "add", "-A");
        git(dir, "-c", "user.name=test", "-c", "user.email=test@example.test", "commit", "-q", "-m", message);
    }

    static void push(Path dir, String name) throws IOException {
        git(dir, "push", "-q", dir.resolveSibling(name + ".git").toString(), "main");
    }

    static String git(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("git " + cmd + " failed: " + out);
            }
            return out.strip();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    public static Map<String, String> env(Path codexHome, Path home) {
        return Map.of("CODEX_HOME", codexHome.toString(), "HOME", home.toString(), "PATH", System.getenv("PATH"));
    }
}
