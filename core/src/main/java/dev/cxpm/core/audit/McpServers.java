package dev.cxpm.core.audit;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.Plugin;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a plugin's MCP servers run and reach: a runner that fetches a package at start-up without a pinned version
 * ({@code npx -y pkg}, {@code uvx pkg}, {@code pipx run pkg}, {@code bunx pkg}, {@code docker run image:latest}) runs
 * whatever was published last, not what was reviewed; a remote server over plain HTTP sends the user's requests and
 * credentials in clear (loopback aside).
 */
public final class McpServers implements AuditCheck {

    @Override
    public void check(AuditedPlugin plugin, Findings out) {
        if (plugin.manifest().isEmpty()) {
            return; // a manifest Codex cannot read starts no server
        }
        Plugin p = plugin.manifest().get();
        Map<String, McpServer> servers;
        try {
            servers = p.mcpServers();
        } catch (UserError e) {
            return; // nor does an MCP configuration it cannot read
        }
        Optional<JsonFile> json = p.mcpConfig().json();
        String file = json.map(j -> PlainText.printable(plugin.dir().relativize(j.path()).toString().replace(java.io.File.separatorChar, '/'), 300))
                .orElse(null);
        for (McpServer s : servers.values()) {
            String pointer = p.mcpConfig().pointer() + "/" + JsonFile.pointerKey(s.name());
            String name = PlainText.printable(s.name(), 100);
            if (s.command().isPresent()) {
                Optional<String> unpinned = Runners.unpinned(s.command().get(), s.args());
                if (unpinned.isPresent()) {
                    out.add(Finding.at(Severity.WARNING, "mcp-unpinned-package", plugin, file, line(json, pointer + "/command"),
                            "MCP server `" + name + "` runs `" + PlainText.printable(commandLine(s), 200) + "`, which fetches "
                                    + PlainText.printable(unpinned.get(), 200) + " anew each time it starts",
                            "ask the plugin's author to pin an exact version (npm `pkg@1.2.3`, PyPI `pkg==1.2.3`, a docker digest `image@sha256:...`)"));
                }
            }
            if (s.url().isPresent() && plainHttp(s.url().get())) {
                out.add(Finding.at(Severity.ERROR, "mcp-plain-http", plugin, file, line(json, pointer + "/url"),
                        "MCP server `" + name + "` is reached over plain HTTP (" + PlainText.printable(s.url().get(), 200)
                                + "): anyone on the network path can read and change what it sends and receives",
                        "ask the plugin's author for an https:// URL"));
            }
        }
    }

    private static int line(Optional<JsonFile> json, String pointer) {
        return json.map(j -> j.lineNear(pointer)).filter(l -> l > 0).orElse(0);
    }

    private static String commandLine(McpServer s) {
        StringBuilder b = new StringBuilder(s.command().orElse(""));
        for (String a : s.args()) {
            b.append(' ').append(a);
        }
        return b.toString();
    }

    /** http:// to anything but this machine's loopback. */
    static boolean plainHttp(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            return url.strip().toLowerCase(Locale.ROOT).startsWith("http:");
        }
        if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase("http")) {
            return false;
        }
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        return !List.of("localhost", "127.0.0.1", "[::1]", "::1").contains(host);
    }
}
