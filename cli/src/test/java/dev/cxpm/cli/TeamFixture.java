package dev.cxpm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local marketplace ({@code market/}, named {@code fx}) with plugins written as real files, a project
 * directory, and the environment that points cxpm at a Codex home and a store inside the temp dir.
 */
public final class TeamFixture {

    final Path dir;
    final Path market;
    public final Path project;
    private final List<String> entries = new ArrayList<>();

    public TeamFixture(Path dir) {
        this.dir = dir;
        this.market = dir.resolve("market");
        this.project = dir.resolve("project");
        try {
            Files.createDirectories(project);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeMarketplace();
    }

    /** Adds (or replaces) plugin NAME at VERSION with dependencies "dep": "range", ... */
    public TeamFixture plugin(String name, String version, String... deps) {
        Path root = market.resolve("plugins").resolve(name);
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < deps.length; i += 2) {
            d.append(d.isEmpty() ? "" : ", ").append('"').append(deps[i]).append("\": \"").append(deps[i + 1]).append('"');
        }
        write(root.resolve(".codex-plugin/plugin.json"), """
                {
                  "name": "%s",
                  "version": "%s",
                  "description": "The %s plugin.",
                  "dependencies": {%s}
                }
                """.formatted(name, version, name, d));
        write(root.resolve("skills/" + name + "-skill/SKILL.md"), """
                ---
                name: %s-skill
                description: Does %s things.
                ---
                Version %s.
                """.formatted(name, name, version));
        if (!entries.contains(name)) {
            entries.add(name);
        }
        writeMarketplace();
        return this;
    }

    TeamFixture toml(String text) {
        write(project.resolve("cxpm.toml"), text);
        return this;
    }

    /** cxpm.toml declaring the fixture marketplace and these plugins ("name", "range", ...). */
    public TeamFixture needs(String... pluginsAndRanges) {
        StringBuilder b = new StringBuilder("# our plugins\n[marketplaces]\nfx = \"../market\"\n\n[plugins]\n");
        for (int i = 0; i < pluginsAndRanges.length; i += 2) {
            b.append(pluginsAndRanges[i]).append(" = \"").append(pluginsAndRanges[i + 1]).append("\"\n");
        }
        return toml(b.toString());
    }

    public Map<String, String> env(String home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CODEX_HOME", dir.resolve(home).toString());
        env.put("CXPM_STORE", dir.resolve("store").toString());
        env.put("HOME", dir.resolve("home").toString());
        return env;
    }

    CliRun cxpm(String... args) {
        return cxpmIn(project, "codex-home", args);
    }

    CliRun cxpmIn(Path cwd, String home, String... args) {
        return CliRun.in(cwd, env(home), args);
    }

    Path codexHome() {
        return dir.resolve("codex-home");
    }

    String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under dir with its bytes, relative path sorted, for byte-for-byte comparisons. */
    static Map<String, String> tree(Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                out.put(dir.relativize(f).toString(), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void writeMarketplace() {
        StringBuilder b = new StringBuilder("{\"name\": \"fx\", \"plugins\": [");
        for (int i = 0; i < entries.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(entries.get(i))
                    .append("\", \"source\": \"./plugins/").append(entries.get(i)).append("\"}");
        }
        write(market.resolve(".agents/plugins/marketplace.json"), b.append("]}\n").toString());
    }
}
