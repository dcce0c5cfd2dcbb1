package dev.cxpm.registry.web;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.publish.PublishedPlugin;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web UI: server-rendered HTML, no scripts but the copy button's served file, no inline
 * script or style, no build step. Pages read what the API reads; a plugin page also opens its
 * latest archive to list skills and components (cached by integrity, since a blob never changes).
 */
public final class WebPages {

    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{3,8}");
    private static final int PER_PAGE = 20;

    private final Registry registry;
    private final Map<Integrity, PublishedPlugin> details = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integrity, PublishedPlugin> e) {
            return size() > 256;
        }
    });

    private final String marketplaceName;

    public WebPages(Registry registry, String marketplaceName) {
        this.registry = registry;
        this.marketplaceName = marketplaceName;
    }

    String home(String q, String category, int page) {
        Registry.SearchResult r = registry.search(q, category, page, PER_PAGE);
        StringBuilder b = new StringBuilder();
        b.append("<form class=search action=\"/\" method=get role=search>")
                .append("<input type=search name=q aria-label=\"Search plugins\" placeholder=\"Search plugins\" value=\"").append(esc(q)).append("\">");
        if (category != null && !category.isBlank()) {
            b.append("<input type=hidden name=category value=\"").append(esc(category)).append("\">");
        }
        b.append("<button type=submit>Search</button></form>");
        b.append("<p class=count>").append(r.total()).append(r.total() == 1 ? " plugin" : " plugins");
        if (category != null && !category.isBlank()) {
            b.append(" in <b>").append(esc(category)).append("</b> (<a href=\"/?q=").append(url(q)).append("\">all categories</a>)");
        }
        b.append("</p><ul class=results>");
        for (PluginRow p : r.plugins()) {
            b.append("<li><a class=name href=\"/plugins/").append(url(p.name())).append("\">")
                    .append(esc(p.displayName() != null ? p.displayName() : p.name())).append("</a> <span class=version>")
                    .append(esc(p.latestVersion())).append("</span>");
            if (p.category() != null) {
                b.append(" <a class=category href=\"/?category=").append(url(p.category())).append("\">").append(esc(p.category())).append("</a>");
            }
            b.append("<p>").append(esc(p.description())).append("</p></li>");
        }
        b.append("</ul>");
        if (r.total() > (long) r.page() * r.perPage()) {
            b.append("<a class=next href=\"/?q=").append(url(q)).append("&category=").append(url(category))
                    .append("&page=").append(r.page() + 1).append("\">Next page</a>");
        }
        return layout("cxpm registry", null, b.toString());
    }

    Optional<String> plugin(String name, String baseUrl) {
        Optional<PluginRow> row = registry.plugin(name);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        PluginRow p = row.get();
        List<VersionRow> versions = new ArrayList<>(registry.versions(name));
        versions.sort((a, b) -> Versions.ORDER.compare(b.version(), a.version()));
        PublishedPlugin latest = versions.stream().filter(v -> v.version().equals(p.latestVersion())).findFirst()
                .map(this::details).orElse(null);
        String color = latest != null && latest.brandColor() != null && COLOR.matcher(latest.brandColor()).matches() ? latest.brandColor() : null;
        StringBuilder b = new StringBuilder();
        b.append("<header class=plugin>")
                .append("<h1>").append(esc(p.displayName() != null ? p.displayName() : p.name())).append("</h1>")
                .append("<p class=meta><code>").append(esc(p.name())).append("</code> ").append(esc(p.latestVersion()));
        if (p.category() != null) {
            b.append(" · <a href=\"/?category=").append(url(p.category())).append("\">").append(esc(p.category())).append("</a>");
        }
        b.append("</p><p>").append(esc(p.description())).append("</p></header>");
        String install = "cxpm install " + p.name() + " --registry " + baseUrl; // works where this registry was never added
        b.append("<h2>Install</h2><div class=install><code id=install-command>").append(esc(install)).append("</code>")
                .append("<button type=button id=copy>Copy</button></div>")
                .append("<p>With the Codex CLI alone:</p><pre><code>codex plugin marketplace add ").append(esc(baseUrl)).append(CodexMarketplace.URL_PATH)
                .append("\ncodex plugin add ").append(esc(p.name())).append('@').append(esc(marketplaceName)).append("</code></pre>");
        if (latest != null) {
            b.append("<h2>Skills</h2>");
            list(b, latest.skills().stream().map(s -> "<b>" + esc(s.name() != null ? s.name() : s.id()) + "</b> " + esc(s.description())).toList());
            b.append("<h2>MCP servers</h2>");
            list(b, latest.mcpServers().entrySet().stream().map(e -> "<b>" + esc(e.getKey()) + "</b> <code>" + esc(e.getValue()) + "</code>").toList());
            b.append("<h2>Apps</h2>");
            list(b, latest.apps().stream().map(WebPages::esc).toList());
            if (!latest.dependencies().isEmpty()) {
                b.append("<h2>Dependencies</h2>");
                list(b, latest.dependencies().entrySet().stream().map(e -> esc(e.getKey()) + " " + esc(e.getValue())).toList());
            }
        }
        Map<String, List<String>> changes = registry.surfaceChanges(name);
        b.append("<h2>Versions</h2><table class=versions><tr><th>version</th><th>published</th><th>changes since the previous release</th>"
                + "<th>integrity</th></tr>");
        for (VersionRow v : versions) {
            List<String> changed = changes.get(v.version());
            b.append("<tr").append(v.yanked() ? " class=yanked" : "").append("><td>").append(esc(v.version()))
                    .append(v.yanked() ? " (yanked)" : "").append(v.deprecated() != null ? " (deprecated: " + esc(v.deprecated()) + ")" : "")
                    .append("</td><td>").append(v.publishedAt().toString(), 0, 10).append("</td><td>")
                    .append(changed == null ? "" : changed.isEmpty() ? "no surface change"
                            : "<ul class=changes>" + changed.stream().map(c -> "<li>" + esc(c) + "</li>").collect(java.util.stream.Collectors.joining()) + "</ul>")
                    .append("</td><td><a href=\"").append(Registry.BLOB_PATH).append(v.integrity().hex()).append("\"><code>")
                    .append(esc(v.integrity().sri().substring(0, 20))).append("…</code></a></td></tr>");
        }
        b.append("</table><h2>Owners</h2>");
        list(b, registry.owners(name).stream().map(o -> "<a href=\"/owners/" + url(o) + "\">" + esc(o) + "</a>").toList());
        b.append("<script src=\"/assets/registry.js\" defer></script>");
        return Optional.of(layout(p.name() + " · cxpm registry", color, b.toString()));
    }

    private PublishedPlugin details(VersionRow v) {
        return details.computeIfAbsent(v.integrity(), i -> {
            try (InputStream in = registry.blob(i).orElse(null)) {
                return in == null ? null : PublishedPlugin.check(PluginArchive.read(new java.io.BufferedInputStream(in, 64 * 1024), v.size())).plugin();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    String owner(String user) {
        StringBuilder b = new StringBuilder("<h1>").append(esc(user)).append("</h1><h2>Plugins</h2>");
        List<String> items = new ArrayList<>();
        for (String name : registry.ownedBy(user)) {
            registry.plugin(name).ifPresent(p -> items.add("<a class=name href=\"/plugins/" + url(p.name()) + "\">" + esc(p.name())
                    + "</a> <span class=version>" + esc(p.latestVersion()) + "</span><p>" + esc(p.description()) + "</p>"));
        }
        list(b, items);
        return layout(user + " · cxpm registry", null, b.toString());
    }

    /** A refused page request (a bad query, say), as a page rather than the API's JSON. */
    String refused(String message) {
        return layout("Cannot show this · cxpm registry", null, "<h1>Cannot show this</h1><p>" + esc(message) + "</p><p><a href=\"/\">Search plugins</a></p>");
    }

    String notFound(String what) {
        return layout("Not found · cxpm registry", null, "<h1>Not found</h1><p>Nothing at <code>" + esc(what) + "</code>. <a href=\"/\">Search plugins</a></p>");
    }

    private static void list(StringBuilder b, List<String> items) {
        if (items.isEmpty()) {
            b.append("<p class=none>none</p>");
            return;
        }
        b.append("<ul>");
        items.forEach(i -> b.append("<li>").append(i).append("</li>"));
        b.append("</ul>");
    }

    /** No inline style or script: the Content-Security-Policy allows this origin's files only (see {@link WebAssets}). */
    private static String layout(String title, String color, String body) {
        return "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">"
                + "<title>" + esc(title) + "</title><link rel=icon href=\"/assets/icon.svg\"><link rel=stylesheet href=\"/assets/registry.css\">"
                + (color != null ? "<link rel=stylesheet href=\"/assets/accent/" + color.substring(1) + ".css\">" : "")
                + "</head><body><nav><a href=\"/\"><b>cxpm</b> registry</a></nav><main>" + body + "</main></body></html>";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String url(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
