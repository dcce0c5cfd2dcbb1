package dev.cxpm.registry.web;

import static dev.cxpm.registry.web.WebPages.esc;
import static dev.cxpm.registry.web.WebPages.layout;
import static dev.cxpm.registry.web.WebPages.list;
import static dev.cxpm.registry.web.WebPages.url;

import dev.cxpm.core.init.GeneratedDescription;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.publish.PageData;
import dev.cxpm.registry.publish.VersionPages;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plugin's page ({@code /plugins/NAME}) and each version's ({@code /plugins/NAME/VERSION}), as npm's, crates.io's
 * and Open VSX's pages show a package: the README, where the project lives, its licence and author, what it needs on
 * the user's machine, what it holds, its versions with what each changed, downloads, owners, and the one command
 * that installs it on a machine that never saw this registry. Everything comes from rows: what the archive holds was
 * stored at publish ({@link VersionPages}), so no request opens an archive.
 */
final class PluginPages {

    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{3,8}");
    private static final String EXTERNAL = " rel=\"nofollow ugc noopener\"";

    private final Registry registry;
    private final String marketplaceName;

    PluginPages(Registry registry, String marketplaceName) {
        this.registry = registry;
        this.marketplaceName = marketplaceName;
    }

    Optional<String> plugin(String name, String baseUrl) {
        Optional<PluginRow> row = registry.plugin(name);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        PluginRow p = row.get();
        RegistryDatabase.VersionPage versions = registry.newestVersions(name, null, VERSIONS_SHOWN).orElse(new RegistryDatabase.VersionPage(0, List.of()));
        Optional<VersionRow> latest = p.latestVersion() == null ? Optional.empty() : registry.version(name, p.latestVersion());
        Optional<VersionPages.Shown> shown = latest.flatMap(registry::page);
        PageData page = shown.map(VersionPages.Shown::data).orElse(null);
        boolean icon = shown.map(s -> s.iconType() != null).orElse(false);
        long total = registry.totalDownloads(name);
        StringBuilder b = new StringBuilder();
        header(b, p.name(), title(p, page), icon ? p.latestVersion() : null, p.latestVersion(), p.category(), total);
        String description = page != null ? page.description() : GeneratedDescription.authored(p.description());
        if (description != null) {
            b.append("<p class=description>").append(esc(description)).append("</p>");
        }
        latest.ifPresent(v -> source(b, v));
        b.append("</header><div class=columns><div class=content>");
        install(b, "cxpm install " + p.name() + " --registry " + baseUrl, baseUrl, p.name()); // works where this registry was never added
        advisories(b, registry.advisories(name));
        if (page != null) {
            readme(b, page, shown.get().readmeHtml());
            contents(b, page);
        }
        b.append("<h2>Versions</h2>");
        versionTable(b, name, versions.rows());
        if (versions.total() > VERSIONS_SHOWN) {
            b.append("<p><a class=all-versions href=\"/plugins/").append(url(name)).append("?versions\">All ").append(versions.total())
                    .append(" versions</a></p>");
        }
        b.append("</div>");
        about(b, page, registry.owners(name), total);
        b.append("</div><script src=\"/assets/registry.js\" defer></script>");
        return Optional.of(layout(p.name() + " · cxpm registry", color(page), b.toString()));
    }

    /** The newest versions a plugin's page lists; all of them are a link away, {@link #VERSIONS_PER_PAGE} at a time. */
    static final int VERSIONS_SHOWN = 20;
    static final int VERSIONS_PER_PAGE = 100;

    /**
     * Every version of a plugin, newest first, {@link #VERSIONS_PER_PAGE} at a time after the version {@code after}
     * (null: the newest), as npm's versions tab: empty when there is no such plugin or no such version to start after.
     */
    Optional<String> allVersions(String name, String after) {
        Optional<PluginRow> row = registry.plugin(name);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        // one row more than shown tells whether an older page follows
        Optional<RegistryDatabase.VersionPage> page = registry.newestVersions(name, after, VERSIONS_PER_PAGE + 1);
        if (page.isEmpty()) {
            return Optional.empty();
        }
        long count = page.get().total();
        List<VersionRow> rows = page.get().rows();
        List<VersionRow> shown = rows.subList(0, Math.min(rows.size(), VERSIONS_PER_PAGE));
        StringBuilder b = new StringBuilder("<header class=plugin><h1>").append(esc(title(row.get(), null))).append(": versions</h1>")
                .append("<p class=meta><a href=\"/plugins/").append(url(name)).append("\">").append(esc(name)).append("</a> · ")
                .append(count).append(count == 1 ? " version" : " versions").append("</p></header>");
        versionTable(b, name, shown);
        if (rows.size() > VERSIONS_PER_PAGE) {
            b.append("<p><a class=next href=\"/plugins/").append(url(name)).append("?versions&amp;after=").append(url(shown.getLast().version()))
                    .append("\">Older versions</a></p>");
        }
        return Optional.of(layout(name + " versions · cxpm registry", null, b.toString()));
    }

    /** A table of the {@code shown} versions, each with its downloads and what it changed since its previous release. */
    private void versionTable(StringBuilder b, String name, List<VersionRow> shown) {
        b.append("<div class=scroll><table class=versions><tr><th>version</th><th>published</th><th>downloads</th>"
                + "<th>changes since the previous release</th></tr>");
        Map<String, List<String>> changes = registry.changesOf(name, shown);
        Map<String, Long> downloads = registry.downloadsOf(name, shown);
        for (VersionRow v : shown) {
            b.append("<tr").append(v.yanked() ? " class=yanked" : "").append("><td><a href=\"").append(versionPath(v)).append("\">")
                    .append(esc(v.version())).append("</a>").append(v.yanked() ? " (yanked)" : "")
                    .append(v.deprecated() != null ? " (deprecated: " + esc(v.deprecated()) + ")" : "")
                    .append("</td><td>").append(v.publishedAt().toString(), 0, 10).append("</td><td>")
                    .append(downloads.getOrDefault(v.version(), 0L)).append("</td><td>").append(changes(changes.get(v.version()))).append("</td></tr>");
        }
        b.append("</table></div>");
    }

    Optional<String> version(String name, String version, String baseUrl) {
        Optional<PluginRow> row = registry.plugin(name);
        Optional<VersionRow> found = row.isEmpty() ? Optional.empty() : registry.version(name, version);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        VersionRow v = found.get();
        Optional<VersionPages.Shown> shown = registry.page(v);
        PageData page = shown.map(VersionPages.Shown::data).orElse(null);
        long downloads = registry.downloadsOf(name, List.of(v)).getOrDefault(v.version(), 0L);
        StringBuilder b = new StringBuilder();
        header(b, name, title(row.get(), page) + " " + v.version(), shown.map(s -> s.iconType() != null).orElse(false) ? v.version() : null,
                null, null, downloads);
        b.append("<p class=meta>Version of <a href=\"/plugins/").append(url(name)).append("\">").append(esc(name)).append("</a>, published ")
                .append(v.publishedAt().toString(), 0, 10).append(" by <a href=\"/owners/").append(url(v.publishedBy())).append("\">")
                .append(esc(v.publishedBy())).append("</a>").append(v.version().equals(row.get().latestVersion()) ? " (latest)" : "").append("</p>");
        source(b, v);
        if (v.yanked()) {
            b.append("<p class=warning>This version is yanked: new installs do not pick it.</p>");
        }
        if (v.deprecated() != null) {
            b.append("<p class=warning>Deprecated: ").append(esc(v.deprecated())).append("</p>");
        }
        PluginVersion pv = PluginVersion.of(v.version());
        for (RegistryDatabase.AdvisoryRow a : registry.advisories(name)) {
            if (a.withdrawnAt() == null && VersionRange.parse(a.range()).map(r -> r.includes(pv)).orElse(false)) {
                b.append("<p class=warning>Advisory <code>").append(esc(a.id())).append("</code> (").append(esc(a.severity())).append("): ")
                        .append(esc(a.summary())).append(a.url() == null ? "" : " " + link(a.url())).append("</p>");
            }
        }
        if (page != null && page.description() != null) {
            b.append("<p class=description>").append(esc(page.description())).append("</p>");
        }
        b.append("</header><div class=columns><div class=content>");
        install(b, "cxpm install " + name + " --version " + v.version() + " --registry " + baseUrl, baseUrl, name);
        Optional<String> previous = registry.previousRelease(name, v.version()).map(VersionRow::version);
        List<String> changed = registry.changesOf(name, List.of(v)).get(v.version()); // its own alone
        b.append("<h2>Changes</h2>");
        if (previous.isEmpty()) {
            b.append("<p>The first release.</p>");
        } else {
            b.append("<p>Since <a href=\"/plugins/").append(url(name)).append('/').append(url(previous.get())).append("\">")
                    .append(esc(previous.get())).append("</a>:</p>").append(changed == null ? "<p class=none>not known</p>" : changes(changed));
        }
        if (page != null) {
            readme(b, page, shown.get().readmeHtml());
            contents(b, page);
        }
        b.append("<h2>Archive</h2><p><a href=\"").append(Registry.BLOB_PATH).append(v.integrity().hex()).append("\">Download the archive</a> (")
                .append(v.size()).append(" bytes)</p><p class=integrity><code>").append(esc(v.integrity().sri())).append("</code></p></div>");
        about(b, page, registry.owners(name), downloads);
        b.append("</div><script src=\"/assets/registry.js\" defer></script>");
        return Optional.of(layout(name + " " + v.version() + " · cxpm registry", color(page), b.toString()));
    }

    private static String title(PluginRow p, PageData page) {
        String display = page != null && page.displayName() != null ? page.displayName() : p.displayName();
        return display != null ? display : p.name();
    }

    private static void header(StringBuilder b, String name, String title, String iconVersion, String version, String category, long downloads) {
        b.append("<header class=plugin>");
        if (iconVersion != null) {
            b.append("<img class=icon src=\"/plugins/").append(url(name)).append('/').append(url(iconVersion))
                    .append("/icon\" alt=\"").append(esc(title)).append(" icon\" width=64 height=64>");
        }
        b.append("<h1>").append(esc(title)).append("</h1>");
        if (version != null) {
            b.append("<p class=meta><code>").append(esc(name)).append("</code> ").append(esc(version));
            if (category != null) {
                b.append(" · <a href=\"/?category=").append(url(category)).append("\">").append(esc(category)).append("</a>");
            }
            b.append(" · ").append(count(downloads)).append("</p>");
        } else {
            b.append("<p class=meta>").append(count(downloads)).append("</p>");
        }
    }

    static String count(long downloads) {
        return downloads + (downloads == 1 ? " download" : " downloads");
    }

    private void install(StringBuilder b, String command, String baseUrl, String name) {
        b.append("<h2>Install</h2><div class=install><code id=install-command>").append(esc(command)).append("</code>")
                .append("<button type=button id=copy>Copy</button></div>")
                .append("<p>With the Codex CLI alone:</p><pre><code>codex plugin marketplace add ").append(esc(baseUrl)).append(CodexMarketplace.URL_PATH)
                .append("\ncodex plugin add ").append(esc(name)).append('@').append(esc(marketplaceName)).append("</code></pre>");
    }

    /** The README as rendered (once, when the page was stored: no Markdown work here). */
    private static void readme(StringBuilder b, PageData page, String html) {
        if (html == null) {
            return;
        }
        b.append("<h2>README</h2><div class=readme>").append(html).append("</div>");
        if (page.readmeShortened()) {
            b.append("<p class=none>The README is longer than this page shows; the archive holds all of it.</p>");
        }
    }

    private static void contents(StringBuilder b, PageData page) {
        if (!page.commands().isEmpty() || !page.env().isEmpty()) {
            b.append("<h2>Prerequisites</h2>");
            List<String> items = new ArrayList<>();
            page.commands().forEach((c, hint) -> items.add("the command <code>" + esc(c) + "</code>" + (hint.isBlank() ? "" : ": " + esc(hint))));
            page.env().forEach((e, hint) -> items.add("the environment variable <code>" + esc(e) + "</code>" + (hint.isBlank() ? "" : ": " + esc(hint))));
            list(b, items);
        }
        b.append("<h2>Skills</h2>");
        list(b, page.skills().stream().map(s -> "<b>" + esc(s.name() != null ? s.name() : s.id()) + "</b> " + esc(s.description())).toList());
        b.append("<h2>MCP servers</h2>");
        list(b, page.mcpServers().entrySet().stream().map(e -> "<b>" + esc(e.getKey()) + "</b> <code>" + esc(e.getValue()) + "</code>").toList());
        b.append("<h2>Apps</h2>");
        list(b, page.apps().stream().map(WebPages::esc).toList());
        if (!page.dependencies().isEmpty()) {
            b.append("<h2>Dependencies</h2>");
            list(b, page.dependencies().entrySet().stream().map(e -> "<a href=\"/plugins/" + url(e.getKey()) + "\">" + esc(e.getKey())
                    + "</a> " + esc(e.getValue())).toList());
        }
    }

    private static void about(StringBuilder b, PageData page, List<String> owners, long downloads) {
        b.append("<aside class=about><h2>About</h2><dl>");
        if (page != null) {
            term(b, "Repository", link(page.repository()));
            term(b, "Homepage", link(page.homepage()));
            term(b, "Licence", esc(page.license()));
            term(b, "Author", esc(page.author()));
            if (!page.keywords().isEmpty()) {
                term(b, "Keywords", page.keywords().stream().map(k -> "<a class=keyword href=\"/?q=" + url(k) + "\">" + esc(k) + "</a>")
                        .collect(Collectors.joining(" ")));
            }
        }
        term(b, "Downloads", String.valueOf(downloads));
        term(b, "Owners", owners.stream().map(o -> "<a href=\"/owners/" + url(o) + "\">" + esc(o) + "</a>").collect(Collectors.joining(", ")));
        b.append("</dl></aside>");
    }

    /** The standing advisories, above everything a reader might install from: severity, range, summary, link. */
    private static void advisories(StringBuilder b, List<RegistryDatabase.AdvisoryRow> all) {
        List<RegistryDatabase.AdvisoryRow> standing = all.stream().filter(a -> a.withdrawnAt() == null).toList();
        if (standing.isEmpty()) {
            return;
        }
        b.append("<h2>Advisories</h2>");
        list(b, standing.stream().map(a -> "<span class=warning>" + esc(a.severity()) + "</span> <code>" + esc(a.id()) + "</code> versions <code>"
                + esc(a.range()) + "</code>: " + esc(a.summary()) + (a.url() == null ? "" : " " + link(a.url()))).toList());
    }

    private static void term(StringBuilder b, String term, String html) {
        if (html != null && !html.isEmpty()) {
            b.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>");
        }
    }

    /** A web address as a link (nofollow: the author chose it); anything else as text, never a javascript: or data: link. */
    private static String link(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        return a.matches("(?i)https?://[^\\s\"'<>]+") ? "<a href=\"" + esc(a) + "\"" + EXTERNAL + ">" + esc(a) + "</a>" : esc(a);
    }

    private static String changes(List<String> changed) {
        return changed == null ? "" : changed.isEmpty() ? "no surface change"
                : "<ul class=changes>" + changed.stream().map(c -> "<li>" + esc(c) + "</li>").collect(Collectors.joining()) + "</ul>";
    }

    /**
     * Where the version was built from, as its publisher's clean checkout said (the registry checked the form, not
     * the claim): escaped like everything else, an https repository linked without passing on who followed it.
     */
    private static void source(StringBuilder b, VersionRow v) {
        if (v.source() == null) {
            return;
        }
        String repo = esc(v.source().repository());
        b.append("<p class=meta>Source: ").append(v.source().repository().startsWith("https://")
                ? "<a href=\"" + repo + "\" rel=\"nofollow noopener noreferrer\">" + repo + "</a>" : "<code>" + repo + "</code>")
                .append(" at commit <code>").append(esc(v.source().commit())).append("</code> (").append(esc(v.version()))
                .append(", as its publisher's git checkout said)</p>");
    }

    private static String versionPath(VersionRow v) {
        return "/plugins/" + url(v.plugin()) + "/" + url(v.version());
    }

    private static String color(PageData page) {
        return page != null && page.brandColor() != null && COLOR.matcher(page.brandColor()).matches() ? page.brandColor() : null;
    }
}
