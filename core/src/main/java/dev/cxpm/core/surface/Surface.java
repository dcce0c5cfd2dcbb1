package dev.cxpm.core.surface;

import dev.cxpm.core.pack.PackLimits;
import dev.cxpm.core.FileText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.parts.Skill;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.pack.Unpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a plugin offers its users, the part SemVer is about: skills (with a hash of each SKILL.md, to
 * recognise a renamed one), MCP servers and their commands, apps, interface capabilities, and Claude Code's
 * slash commands and hooks (a hook runs by itself, so adding or removing one changes what users get), plus a digest
 * of all packed content (to tell "nothing changed" from "only internals changed"). Read from a directory
 * or a packed {@code .tgz}, and saved as JSON (pack records the last packed surface for {@code version}).
 */
public record Surface(String name, String version, SortedMap<String, SkillFace> skills,
        SortedMap<String, McpFace> mcpServers, SortedMap<String, AppFace> apps, List<String> capabilities,
        SortedMap<String, CommandFace> commands, SortedMap<String, HookFace> hooks, String contentDigest) {

    public record SkillFace(String id, String name, String description, String contentSha) {
    }

    public record McpFace(String name, String command, List<String> args, String url) {
        /** The command line (or url) as a user reads it. */
        public String invocation() {
            if (command == null) {
                return url == null ? "(none)" : url;
            }
            return args.isEmpty() ? command : command + " " + String.join(" ", args);
        }
    }

    public record AppFace(String key, String id) {
    }

    /** A slash command: its name ({@code /name}) and a hash of its Markdown file. */
    public record CommandFace(String name, String contentSha) {
    }

    /** A hook: event and matcher ({@link dev.cxpm.core.format.parts.Hook#key()}) and the commands it runs. */
    public record HookFace(String key, List<String> commands) {
    }

    /** The surface of a plugin directory. */
    public static Surface of(Path pluginDir) {
        return of(Plugin.load(pluginDir));
    }

    public static Surface of(Plugin plugin) {
        return of(plugin, contentDigest(plugin.root()));
    }

    /** The surface of a plugin whose content digest is already known (pack computes it while packing). */
    public static Surface of(Plugin plugin, String contentDigest) {
        SortedMap<String, SkillFace> skills = new TreeMap<>();
        for (Skill s : plugin.skills()) {
            skills.putIfAbsent(s.id(), new SkillFace(s.id(), s.name().orElse(null), s.description().orElse(null),
                    sha256(s.file())));
        }
        SortedMap<String, McpFace> mcp = new TreeMap<>();
        plugin.mcpServers().forEach((k, v) -> mcp.put(k, new McpFace(k, v.command().orElse(null), List.copyOf(v.args()),
                v.url().orElse(null))));
        SortedMap<String, AppFace> apps = new TreeMap<>();
        plugin.apps().forEach((k, v) -> apps.put(k, new AppFace(k, v.id().orElse(null))));
        List<String> caps = List.copyOf(new TreeSet<>(plugin.pluginInterface().capabilities()));
        SortedMap<String, CommandFace> commands = new TreeMap<>();
        plugin.commands().forEach((k, v) -> commands.put(k, new CommandFace(k, sha256(v.file()))));
        SortedMap<String, HookFace> hooks = new TreeMap<>();
        plugin.hooks().forEach(h -> hooks.put(h.key(), new HookFace(h.key(), h.commands())));
        return new Surface(plugin.effectiveName(), plugin.version().orElse(null), skills, mcp, apps, caps,
                commands, hooks, contentDigest);
    }

    /**
     * The surface of a packed plugin: unpacked safely into a new directory under {@code scratch} (named after the
     * archive, so a plugin without a manifest name gets a sensible one), read, then deleted. {@code scratch} is an
     * existing directory under a root its caller owns and sweeps (the store's {@link dev.cxpm.core.Scratch}, which makes
     * it, or a registry's upload spool, where the caller made it), never the shared temp dir, where a JVM killed
     * meanwhile would leave the plugin's files for good.
     */
    public static Surface ofArchive(Path tgz, Path scratch) {
        Path tmp = null;
        try {
            tmp = dev.cxpm.core.TempPaths.directory(scratch, "surface-");
            String base = tgz.getFileName().toString().replaceFirst("\\.(tgz|tar\\.gz)$", "");
            // the file's name is the fallback plugin name; one Codex would refuse (`..tgz`) must not leave tmp
            Path dir = tmp.resolve(dev.cxpm.core.format.CodexNames.isPluginName(base) ? base : "plugin");
            new Unpacker().unpack(tgz, dir);
            return of(dir);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot unpack " + tgz + ": " + e.getMessage(), null, e);
        } finally {
            if (tmp != null) {
                dev.cxpm.core.codexhome.Trees.deleteQuietly(tmp);
            }
        }
    }

    /** A directory or a .tgz file (unpacked under {@code scratch}, as {@link #ofArchive}), whichever the path is. */
    public static Surface ofPath(Path path, Path scratch) {
        if (Files.isDirectory(path)) {
            return of(path);
        }
        if (Files.isRegularFile(path)) {
            return ofArchive(path, scratch);
        }
        if (Files.exists(path)) { // never opened: a named pipe's open waits for a writer
            throw new UserError(UserError.Kind.INVALID_INPUT, path + " must be a plugin directory or a regular .tgz file; it is a named pipe, socket or device");
        }
        throw new UserError(UserError.Kind.NOT_FOUND, path + ": no such plugin directory or archive");
    }

    /** The digest {@link Packer#contentDigest} gives for what pack would put in the archive. */
    static String contentDigest(Path pluginDir) {
        return Packer.contentDigest(new Packer().list(pluginDir));
    }

    private static String sha256(Path file) {
        try {
            MessageDigest md = newDigest();
            // no larger than pack takes a file (a skill over its own 1 MB is still listed, with its problem)
            return HexFormat.of().formatHex(md.digest(FileText.bytes(file, PackLimits.DEFAULT.maxFileBytes())));
        } catch (IOException e) {
            return null;
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- JSON form, stable field names (written by pack into .cxpm/last-release.json) ---

    public ObjectNode toJson(ObjectMapper om) {
        ObjectNode o = om.createObjectNode();
        o.put("name", name);
        o.put("version", version);
        ObjectNode sk = o.putObject("skills");
        skills.values().forEach(s -> sk.putObject(s.id()).put("name", s.name()).put("description", s.description())
                .put("contentSha", s.contentSha()));
        ObjectNode mc = o.putObject("mcpServers");
        mcpServers.values().forEach(m -> {
            ObjectNode n = mc.putObject(m.name()).put("command", m.command()).put("url", m.url());
            m.args().forEach(n.putArray("args")::add);
        });
        ObjectNode ap = o.putObject("apps");
        apps.values().forEach(a -> ap.putObject(a.key()).put("id", a.id()));
        capabilities.forEach(o.putArray("capabilities")::add);
        ObjectNode cm = o.putObject("commands");
        commands.values().forEach(c -> cm.putObject(c.name()).put("contentSha", c.contentSha()));
        ObjectNode hk = o.putObject("hooks");
        hooks.values().forEach(h -> h.commands().forEach(hk.putObject(h.key()).putArray("commands")::add));
        o.put("contentDigest", contentDigest);
        return o;
    }

    public static Surface fromJson(JsonNode o) {
        SortedMap<String, SkillFace> skills = new TreeMap<>();
        o.path("skills").properties().forEach(e -> skills.put(e.getKey(), new SkillFace(e.getKey(),
                str(e.getValue(), "name"), str(e.getValue(), "description"), str(e.getValue(), "contentSha"))));
        SortedMap<String, McpFace> mcp = new TreeMap<>();
        o.path("mcpServers").properties().forEach(e -> {
            List<String> args = new ArrayList<>();
            e.getValue().path("args").forEach(a -> args.add(a.asText()));
            mcp.put(e.getKey(), new McpFace(e.getKey(), str(e.getValue(), "command"), List.copyOf(args),
                    str(e.getValue(), "url")));
        });
        SortedMap<String, AppFace> apps = new TreeMap<>();
        o.path("apps").properties().forEach(e -> apps.put(e.getKey(), new AppFace(e.getKey(), str(e.getValue(), "id"))));
        List<String> caps = new ArrayList<>();
        o.path("capabilities").forEach(c -> caps.add(c.asText()));
        SortedMap<String, CommandFace> commands = new TreeMap<>();
        o.path("commands").properties().forEach(e -> commands.put(e.getKey(), new CommandFace(e.getKey(),
                str(e.getValue(), "contentSha"))));
        SortedMap<String, HookFace> hooks = new TreeMap<>();
        o.path("hooks").properties().forEach(e -> {
            List<String> run = new ArrayList<>();
            e.getValue().path("commands").forEach(c -> run.add(c.asText()));
            hooks.put(e.getKey(), new HookFace(e.getKey(), List.copyOf(run)));
        });
        return new Surface(str(o, "name"), str(o, "version"), skills, mcp, apps, List.copyOf(caps), commands, hooks,
                str(o, "contentDigest"));
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
