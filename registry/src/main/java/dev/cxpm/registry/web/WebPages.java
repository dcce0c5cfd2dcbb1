package dev.cxpm.registry.web;

import dev.cxpm.core.init.GeneratedDescription;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The web UI: server-rendered HTML, no scripts but the copy button's served file, no inline
 * script or style, no build step. Pages read what the API reads, and what an archive holds from
 * what was stored at its publish ({@link PluginPages}): no page request opens an archive.
 */
public final class WebPages {

    private static final int PER_PAGE = 20;

    private final Registry registry;
    private final PluginPages plugins;

    public WebPages(Registry registry, String marketplaceName) {
        this.registry = registry;
        this.plugins = new PluginPages(registry, marketplaceName);
    }

    /** {@code install}: the one command that installs cxpm from this registry, shown first when it serves a release. */
    String home(String q, String category, int page, String install) {
        dev.cxpm.registry.search.PluginSearch.Tolerant found = registry.searchTolerant(q, category, page, PER_PAGE);
        dev.cxpm.registry.search.PluginSearch.Result r = found.result();
        StringBuilder b = new StringBuilder();
        if (install != null) {
            b.append("<p class=get-cxpm>New to cxpm? Install it: <code id=install-cxpm>").append(esc(install)).append("</code></p>");
        }
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
        b.append("</p>");
        found.corrected().ifPresent(c -> b.append("<p class=corrected>Nothing matches <b>").append(esc(q)).append("</b>; showing results for <b>")
                .append(esc(c)).append("</b>.</p>"));
        b.append("<ul class=results>");
        r.plugins().forEach(p -> result(b, p));
        b.append("</ul>");
        if (r.total() > (long) r.page() * r.perPage()) {
            b.append("<a class=next href=\"/?q=").append(url(q)).append("&category=").append(url(category))
                    .append("&page=").append(r.page() + 1).append("\">Next page</a>");
        }
        return layout("cxpm registry", null, "<h1>Codex plugins</h1>" + b);
    }

    Optional<String> plugin(String name, String baseUrl) {
        return plugins.plugin(name, baseUrl);
    }

    Optional<String> version(String name, String version, String baseUrl) {
        return plugins.version(name, version, baseUrl);
    }

    Optional<String> allVersions(String name, String after) {
        return plugins.allVersions(name, after);
    }

    /**
     * A page of the plugins a user owns, by name after {@code after} (null: the first page); empty when there are none
     * there. One page at a time: an owner of 100,000 plugins is read 20 rows per request.
     */
    Optional<String> owner(String user, String after) {
        var owned = registry.pluginsOwnedBy(user, after, PER_PAGE + 1); // one more than shown: is there a next page
        List<PluginRow> shown = owned.plugins().subList(0, Math.min(PER_PAGE, owned.plugins().size()));
        if (shown.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder("<h1>").append(esc(user)).append("</h1><p class=count>")
                .append(owned.total()).append(owned.total() == 1 ? " plugin" : " plugins").append("</p><h2>Plugins</h2><ul class=results>");
        shown.forEach(p -> result(b, p));
        b.append("</ul>");
        if (owned.plugins().size() > PER_PAGE) {
            b.append("<a class=next href=\"/owners/").append(url(user)).append("?after=").append(url(shown.getLast().name()))
                    .append("\">Next page</a>");
        }
        return Optional.of(layout(user + " · cxpm registry", null, b.toString()));
    }

    private static void result(StringBuilder b, PluginRow p) {
        b.append("<li><a class=name href=\"/plugins/").append(url(p.name())).append("\">")
                .append(esc(p.displayName() != null ? p.displayName() : p.name())).append("</a> <span class=version>")
                .append(esc(p.latestVersion())).append("</span>");
        if (p.category() != null) {
            b.append(" <a class=category href=\"/?category=").append(url(p.category())).append("\">").append(esc(p.category())).append("</a>");
        }
        String description = GeneratedDescription.authored(p.description());
        if (description != null) {
            b.append("<p>").append(esc(description)).append("</p>");
        }
        b.append("</li>");
    }

    /** A refused page request (a bad query, say), as a page rather than the API's JSON. */
    String refused(String message) {
        return layout("Cannot show this · cxpm registry", null, "<h1>Cannot show this</h1><p>" + esc(message) + "</p><p><a href=\"/\">Search plugins</a></p>");
    }

    String notFound(String what) {
        return layout("Not found · cxpm registry", null, "<h1>Not found</h1><p>Nothing at <code>" + esc(what) + "</code>. <a href=\"/\">Search plugins</a></p>");
    }

    static void list(StringBuilder b, List<String> items) {
        if (items.isEmpty()) {
            b.append("<p class=none>none</p>");
            return;
        }
        b.append("<ul>");
        items.forEach(i -> b.append("<li>").append(i).append("</li>"));
        b.append("</ul>");
    }

    /** No inline style or script: the Content-Security-Policy allows this origin's files only (see {@link WebAssets}). */
    static String layout(String title, String color, String body) {
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

    static String url(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
