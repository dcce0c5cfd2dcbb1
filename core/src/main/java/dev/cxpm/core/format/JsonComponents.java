package dev.cxpm.core.format;

import static dev.cxpm.core.format.OptionalFields.strings;
import static dev.cxpm.core.format.OptionalFields.text;
import static dev.cxpm.core.format.OptionalFields.toList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.Plugin.McpConfig;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.App;
import dev.cxpm.core.format.parts.Hook;
import dev.cxpm.core.format.parts.McpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plugin's components configured in JSON: its MCP servers, hooks and app connectors, each from the manifest's field
 * or the file it names, else the default file. Malformed configurations offer nothing; the validator reports them.
 */
final class JsonComponents {
    private JsonComponents() {
    }

    /**
     * The MCP configuration Codex uses: the manifest's {@code mcpServers} (an inline object, or a {@code ./path}
     * to a JSON file), else {@code ./.mcp.json}. A file may hold {@code {"mcpServers": {...}}} or the map itself.
     */
    static McpConfig mcpConfig(Plugin plugin) {
        JsonNode declared = plugin.field("mcpServers");
        if (declared.isObject()) {
            return new McpConfig(Optional.of(plugin.manifestJson()), "/mcpServers", Optional.empty());
        }
        Optional<JsonFile.Outcome> read = declared.isTextual()
                ? PluginPaths.resolveInside(plugin.root(), declared.asText()).flatMap(JsonFile::tryReadIfFile)
                : plugin.readHeld(".mcp.json");
        return read.map(JsonComponents::mcpFrom)
                .orElse(new McpConfig(Optional.empty(), "", Optional.empty()));
    }

    private static McpConfig mcpFrom(JsonFile.Outcome read) {
        // instanceof, not a switch on the type: a fresh JVM spins a class for that switch (ColdPathTest)
        if (read instanceof JsonFile.Parsed p) {
            return new McpConfig(Optional.of(p.file()), p.file().root().path("mcpServers").isObject() ? "/mcpServers" : "", Optional.empty());
        }
        return new McpConfig(Optional.empty(), "", Optional.of(((JsonFile.Failed) read).failure()));
    }

    /** The MCP servers by name (sorted); malformed configurations offer none, malformed servers are skipped. */
    static Map<String, McpServer> mcpServers(Plugin plugin) {
        McpConfig config = plugin.mcpConfig();
        if (config.json().isEmpty()) {
            return Map.of();
        }
        JsonNode map = config.json().get().root().at(config.pointer());
        if (!map.isObject()) {
            return Map.of();
        }
        Map<String, McpServer> out = new TreeMap<>();
        map.properties().forEach(e -> {
            JsonNode s = e.getValue();
            if (s.isObject()) {
                Map<String, String> env = new TreeMap<>();
                s.path("env").properties().forEach(v -> env.put(v.getKey(), v.getValue().isValueNode() ? v.getValue().asText() : v.getValue().toString()));
                out.put(e.getKey(), new McpServer(e.getKey(), text(s.path("command")), strings(s.path("args")),
                        Collections.unmodifiableMap(env), text(s.path("url"))));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The hooks, by {@link Hook#key()} (sorted): from {@code hooks/hooks.json} and from the manifest's {@code hooks}
     * (a {@code ./path} to such a file, an array of them, or the configuration inline). Malformed files and
     * entries offer none.
     */
    static List<Hook> hooks(Plugin plugin) {
        Map<String, Hook> out = new TreeMap<>();
        List<JsonNode> configs = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        plugin.held("hooks/hooks.json").ifPresent(def -> files.add(def.normalize()));
        JsonNode declared = plugin.field("hooks");
        List<JsonNode> values = declared.isArray() ? toList(declared) : List.of(declared);
        for (JsonNode v : values) {
            if (v.isTextual()) {
                PluginPaths.resolveInside(plugin.root(), v.asText()).ifPresent(f -> files.add(f.normalize()));
            } else if (v.isObject()) {
                configs.add(v);
            }
        }
        for (Path f : files) {
            if (JsonFile.tryReadIfFile(f).orElse(null) instanceof JsonFile.Parsed p) {
                configs.add(p.file().root());
            }
        }
        if (configs.isEmpty()) {
            return List.of(); // most plugins: no hooks file, no hooks field (what List.copyOf of no hooks gives)
        }
        for (JsonNode config : configs) {
            // a hooks file is {"hooks": {EVENT: [...]}}; inline in a manifest the {EVENT: [...]} map may stand alone
            JsonNode events = config.path("hooks").isObject() ? config.path("hooks") : config;
            events.properties().forEach(e -> {
                for (JsonNode entry : e.getValue()) {
                    if (!entry.isObject()) {
                        continue;
                    }
                    String matcher = entry.path("matcher").isTextual() ? entry.path("matcher").asText() : "";
                    List<String> commands = new ArrayList<>();
                    entry.path("hooks").forEach(h -> {
                        if (h.path("command").isTextual()) {
                            commands.add(h.path("command").asText());
                        }
                    });
                    Hook h = new Hook(e.getKey(), matcher, List.of());
                    Hook prev = out.getOrDefault(h.key(), h);
                    List<String> all = new ArrayList<>(prev.commands());
                    commands.stream().filter(c -> !all.contains(c)).forEach(all::add);
                    out.put(h.key(), new Hook(e.getKey(), matcher, List.copyOf(all)));
                }
            });
        }
        return List.copyOf(out.values());
    }

    /** The apps file: the manifest's {@code apps} path, else {@code ./.app.json}, when it exists inside the root. */
    static Optional<Path> appsFile(Plugin plugin) {
        JsonNode declared = plugin.field("apps");
        Optional<Path> file = declared.isTextual()
                ? PluginPaths.resolveInside(plugin.root(), declared.asText())
                : plugin.held(".app.json");
        return file.filter(Files::isRegularFile);
    }

    /** App connectors by key (sorted), from {@code {"apps": {key: {"id": ...}}}}; malformed files offer none. */
    static Map<String, App> apps(Plugin plugin) {
        Map<String, App> out = new TreeMap<>();
        plugin.appsFile().ifPresent(f -> {
            if (JsonFile.tryRead(f) instanceof JsonFile.Parsed p) {
                p.file().root().path("apps").properties().forEach(e ->
                        out.put(e.getKey(), new App(e.getKey(), text(e.getValue().path("id")))));
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
