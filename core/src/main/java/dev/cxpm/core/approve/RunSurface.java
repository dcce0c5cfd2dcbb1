package dev.cxpm.core.approve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginPaths;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a plugin makes run on the user's machine, as the user: each MCP server's command, arguments, working directory
 * and the NAMES of the environment variables it sets (values are often a user's secrets, or references to them), each
 * remote MCP server's URL, each hook's commands, each app's id and URL. Read from the exact tree that is (or would be)
 * installed, by the same reading Codex's files get everywhere else ({@link Plugin}); and the SHA-256 of each file of the
 * plugin those commands name ({@code ./server.js}, {@code ${CLAUDE_PLUGIN_ROOT}/hooks/check.sh}, {@code dist/index.js}), so
 * a script swapped under an unchanged command line is caught too. Its {@link #hash()} over one canonical text is what an
 * approval binds to, so a change to any of these parts, and nothing else, needs a new one.
 */
public record RunSurface(SortedMap<String, Server> mcpServers, SortedMap<String, List<String>> hooks,
        SortedMap<String, AppLink> apps, SortedMap<String, String> files) {

    /** Bumped if what is hashed ever changes, so an old approval can never match a differently built text. */
    static final int FORMAT = 1;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** An MCP server: a local command (with args, env names, cwd) or a remote url; absent parts are null. */
    public record Server(String command, List<String> args, SortedSet<String> env, String url, String cwd) {
        public Server {
            args = List.copyOf(args);
            env = Collections.unmodifiableSortedSet(new TreeSet<>(env));
        }
    }

    /** An app connector: its id and URL, null when absent. */
    public record AppLink(String id, String url) {
    }

    /** One line of what runs: who (an MCP server, a hook, an app), which part, and its value as shown to a person. */
    public record Entry(String subject, String field, String value) {
        /** The same part of the same thing: for single-valued parts (a command, args, a url) the value may differ. */
        String key() {
            return subject + "\u0000" + field + (MULTI.contains(field) ? "\u0000" + value : "");
        }

        @Override
        public String toString() {
            return subject + ": " + field + " " + value;
        }
    }

    private static final java.util.Set<String> MULTI = java.util.Set.of("env", "runs");
    /** At most this many files named by commands are hashed: a manifest naming more gets the first ones, sorted. */
    static final int MAX_FILES = 256;

    public RunSurface {
        mcpServers = Collections.unmodifiableSortedMap(new TreeMap<>(mcpServers));
        SortedMap<String, List<String>> h = new TreeMap<>();
        hooks.forEach((k, v) -> h.put(k, List.copyOf(v)));
        hooks = Collections.unmodifiableSortedMap(h);
        apps = Collections.unmodifiableSortedMap(new TreeMap<>(apps));
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    public static RunSurface of(Plugin plugin) {
        SortedMap<String, Server> servers = new TreeMap<>();
        JsonNode raw = plugin.mcpConfig().json().map(j -> j.root().at(plugin.mcpConfig().pointer())).orElse(null);
        for (Map.Entry<String, McpServer> e : plugin.mcpServers().entrySet()) {
            McpServer s = e.getValue();
            JsonNode cwd = raw == null ? null : raw.path(e.getKey()).path("cwd");
            servers.put(e.getKey(), new Server(s.command().orElse(null), s.args(), new TreeSet<>(s.env().keySet()),
                    s.url().orElse(null), cwd != null && cwd.isTextual() ? cwd.asText() : null));
        }
        SortedMap<String, List<String>> hooks = new TreeMap<>();
        plugin.hooks().forEach(h -> hooks.put(h.key(), h.commands()));
        SortedMap<String, AppLink> apps = new TreeMap<>();
        JsonNode rawApps = plugin.appsFile().map(f -> JsonFile.tryRead(f) instanceof JsonFile.Parsed p ? p.file().root().path("apps") : null)
                .orElse(null);
        plugin.apps().forEach((k, a) -> {
            JsonNode url = rawApps == null ? null : rawApps.path(k).path("url");
            apps.put(k, new AppLink(a.id().orElse(null), url != null && url.isTextual() ? url.asText() : null));
        });
        SortedMap<String, String> files = new TreeMap<>();
        for (String rel : CommandWords.fileCandidates(servers, hooks)) { // from the maps read, not from a surface made of them first
            if (files.size() >= MAX_FILES) {
                break;
            }
            if (!plugin.mayHold(rel)) { // relative and normalized (fileCandidates)
                continue; // not in the plugin's checked listing: not there (most words are no file: npx, a package name)
            }
            PluginPaths.resolveInside(plugin.root(), "./" + rel).filter(f -> Files.isRegularFile(f)).map(RunSurface::sha256)
                    .ifPresent(sum -> files.put(rel, sum));
        }
        return new RunSurface(servers, hooks, apps, files);
    }

    /**
     * Every word of a command line that could name a file of the plugin, as a path relative to its root: an MCP server's
     * command and each argument, each word of a hook's command; {@code ./}, {@code ${CLAUDE_PLUGIN_ROOT}/} taken off. Words
     * that are options, variables, absolute or that leave the root ({@code ..}) are not; whether the file exists decides.
     */
    java.util.SortedSet<String> fileCandidates() {
        return CommandWords.fileCandidates(mcpServers, hooks);
    }

    private static String sha256(java.nio.file.Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            dev.cxpm.core.pack.digest.Sha256 md = new dev.cxpm.core.pack.digest.Sha256(); // no security providers set up (ColdPathTest)
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    public static RunSurface none() {
        return new RunSurface(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** Nothing runs: such a plugin needs no approval. */
    public boolean isEmpty() {
        return mcpServers.isEmpty() && hooks.isEmpty() && apps.isEmpty() && files.isEmpty();
    }

    /** The hash of {@link #canonical()}. */
    public RunHash hash() {
        return RunHash.of(canonical());
    }

    /** One line of JSON, keys sorted, absent parts left out: the same text for the same surface on any machine. */
    public String canonical() {
        // toJson() with "runSurface", every object's keys sorted, on one line as Jackson's generator wrote it (escaped: a
        // quote, a backslash, \b \t \n \f \r, any other control character as u00 and two upper-case hex digits; nothing
        // else), straight from the maps (keys in their natural order) into one builder: no generator, buffers and writer
        // made, and interpreted, for each plugin of a cold sync. The top level's keys sorted are apps, files, hooks,
        // mcpServers, runSurface; a server's args, command, cwd, env, url; an app's id, url
        StringBuilder b = new StringBuilder(256).append("{\"apps\":{");
        boolean first = true;
        for (var e : natural(apps).entrySet()) {
            first = key(b, first, e.getKey());
            b.append('{');
            boolean inner = stringIfSet(b, true, "id", e.getValue().id());
            stringIfSet(b, inner, "url", e.getValue().url());
            b.append('}');
        }
        b.append("},\"files\":{");
        first = true;
        for (var e : natural(files).entrySet()) {
            first = key(b, first, e.getKey());
            string(b, e.getValue());
        }
        b.append("},\"hooks\":{");
        first = true;
        for (var e : natural(hooks).entrySet()) {
            first = key(b, first, e.getKey());
            strings(b, e.getValue());
        }
        b.append("},\"mcpServers\":{");
        first = true;
        for (var e : natural(mcpServers).entrySet()) {
            Server s = e.getValue();
            first = key(b, first, e.getKey());
            b.append('{');
            boolean inner = true;
            if (s.command() != null || !s.args().isEmpty()) {
                inner = key(b, inner, "args");
                strings(b, s.args());
            }
            inner = stringIfSet(b, inner, "command", s.command());
            inner = stringIfSet(b, inner, "cwd", s.cwd());
            if (!s.env().isEmpty()) {
                inner = key(b, inner, "env");
                strings(b, s.env());
            }
            stringIfSet(b, inner, "url", s.url());
            b.append('}');
        }
        return b.append("},\"runSurface\":").append(FORMAT).append('}').toString();
    }

    /** m in its keys' natural order (the order the canonical text sorts them in), whatever order m was made with. */
    private static <V> SortedMap<String, V> natural(SortedMap<String, V> m) {
        return m.comparator() == null ? m : new TreeMap<>((Map<String, V>) m);
    }

    /** Writes an object's key and its colon, after a comma unless first; returns false (what follows is not first). */
    private static boolean key(StringBuilder b, boolean first, String key) {
        if (!first) {
            b.append(',');
        }
        string(b, key);
        b.append(':');
        return false;
    }

    /** An object's field when value is set; returns whether the object's next field is still its first. */
    private static boolean stringIfSet(StringBuilder b, boolean first, String field, String value) {
        if (value == null) {
            return first;
        }
        key(b, first, field);
        string(b, value);
        return false;
    }

    private static void strings(StringBuilder b, java.util.Collection<String> values) {
        b.append('[');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, v);
        }
        b.append(']');
    }

    /** A JSON string as Jackson's generator writes it by default: only a quote, a backslash and control characters escaped. */
    private static void string(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        int plain = 0; // the start of the run of characters written as they are
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, plain, i).append('\\');
            switch (c) {
                case '"', '\\' -> b.append(c);
                case '\b' -> b.append('b');
                case '\t' -> b.append('t');
                case '\n' -> b.append('n');
                case '\f' -> b.append('f');
                case '\r' -> b.append('r');
                default -> b.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            plain = i + 1;
        }
        b.append(s, plain, n).append('"');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** {@code {"mcpServers": {...}, "hooks": {...}, "apps": {...}}}: what {@code --json} prints and the approvals file keeps. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.objectNode();
        ObjectNode m = o.putObject("mcpServers");
        mcpServers.forEach((name, s) -> {
            ObjectNode n = m.putObject(name);
            putIfSet(n, "command", s.command());
            if (s.command() != null || !s.args().isEmpty()) {
                s.args().forEach(n.putArray("args")::add);
            }
            if (!s.env().isEmpty()) {
                s.env().forEach(n.putArray("env")::add);
            }
            putIfSet(n, "url", s.url());
            putIfSet(n, "cwd", s.cwd());
        });
        ObjectNode h = o.putObject("hooks");
        hooks.forEach((key, commands) -> {
            ArrayNode runs = h.putArray(key);
            commands.forEach(runs::add);
        });
        ObjectNode a = o.putObject("apps");
        apps.forEach((key, app) -> {
            ObjectNode n = a.putObject(key);
            putIfSet(n, "id", app.id());
            putIfSet(n, "url", app.url());
        });
        ObjectNode f = o.putObject("files");
        files.forEach(f::put);
        return o;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** The surface {@link #toJson()} wrote; parts of the wrong type are left out (its hash then tells). */
    public static RunSurface fromJson(JsonNode o) {
        SortedMap<String, Server> servers = new TreeMap<>();
        o.path("mcpServers").properties().forEach(e -> {
            JsonNode s = e.getValue();
            servers.put(e.getKey(), new Server(text(s.path("command")), strings(s.path("args")), new TreeSet<>(strings(s.path("env"))),
                    text(s.path("url")), text(s.path("cwd"))));
        });
        SortedMap<String, List<String>> hooks = new TreeMap<>();
        o.path("hooks").properties().forEach(e -> hooks.put(e.getKey(), strings(e.getValue())));
        SortedMap<String, AppLink> apps = new TreeMap<>();
        o.path("apps").properties().forEach(e -> apps.put(e.getKey(), new AppLink(text(e.getValue().path("id")), text(e.getValue().path("url")))));
        SortedMap<String, String> files = new TreeMap<>();
        o.path("files").properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                files.put(e.getKey(), e.getValue().asText());
            }
        });
        return new RunSurface(servers, hooks, apps, files);
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> {
            if (v.isTextual()) {
                out.add(v.asText());
            }
        });
        return out;
    }

    /** Every part, one line each, in a stable order, values quoted so that no character hides (see {@link Shown}). */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        mcpServers.forEach((name, s) -> {
            String who = "mcp server " + Shown.quote(name);
            if (s.command() != null) {
                out.add(new Entry(who, "command", Shown.quote(s.command())));
            }
            if (s.command() != null || !s.args().isEmpty()) {
                out.add(new Entry(who, "args", Shown.list(s.args())));
            }
            s.env().forEach(v -> out.add(new Entry(who, "env", Shown.quote(v))));
            if (s.url() != null) {
                out.add(new Entry(who, "url", Shown.quote(s.url())));
            }
            if (s.cwd() != null) {
                out.add(new Entry(who, "cwd", Shown.quote(s.cwd())));
            }
        });
        hooks.forEach((key, commands) -> {
            String who = "hook " + Shown.quote(key);
            if (commands.isEmpty()) {
                out.add(new Entry(who, "runs", "(no command)"));
            }
            commands.forEach(c -> out.add(new Entry(who, "runs", Shown.quote(c))));
        });
        apps.forEach((key, app) -> {
            String who = "app " + Shown.quote(key);
            out.add(new Entry(who, "id", app.id() == null ? "(none)" : Shown.quote(app.id())));
            if (app.url() != null) {
                out.add(new Entry(who, "url", Shown.quote(app.url())));
            }
        });
        files.forEach((path, sum) -> out.add(new Entry("file " + Shown.quote(path), "sha256", sum)));
        return out;
    }
}
