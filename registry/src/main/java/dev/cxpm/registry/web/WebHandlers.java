package dev.cxpm.registry.web;

import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.api.Request;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The web UI's routes: each renders a {@link WebPages} page. */
public final class WebHandlers {

    private final Registry registry;
    private final WebPages pages;
    private final URI listening;
    private final Optional<URI> publicUrl;
    private final Optional<URI> mirrorOf;
    private final Optional<ClientRelease> client;

    /** {@code mirrorOf}: the registry this one is a read-only mirror of, named on the home page; {@code client}: the cxpm release it hands out. */
    public WebHandlers(Registry registry, String marketplaceName, URI listening, Optional<URI> publicUrl, Optional<URI> mirrorOf,
                       Optional<ClientRelease> client) {
        this.mirrorOf = mirrorOf;
        this.client = client;
        this.registry = registry;
        this.pages = new WebPages(registry, marketplaceName);
        this.listening = listening;
        this.publicUrl = publicUrl;
    }

    /**
     * What a page may show as a command to paste into a shell: scheme, host (name, IPv4 or [IPv6]),
     * port and a plain path, nothing a shell would read as more than one word ({@code $( )}, quotes,
     * {@code ;}, spaces are all valid in a URL's host per RFC 3986, and a Host header is the client's to choose).
     */
    private static final Pattern SHOWN = Pattern.compile("https?://(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?");

    public static boolean shownSafely(String url) {
        return SHOWN.matcher(url).matches();
    }

    /**
     * The registry's address as its users reach it, for the commands a page shows: the public URL the
     * operator gave, else the Host the browser asked for when it is a plain host[:port] (the server
     * only speaks http), else the address it listens on.
     */
    private String baseUrl(Request r) {
        if (publicUrl.isPresent()) {
            return strip(publicUrl.get().toString());
        }
        String asked = "http://" + Optional.ofNullable(r.header("Host")).orElse("").strip();
        return shownSafely(asked) && !asked.substring("http://".length()).contains("/") ? asked : strip(listening.toString());
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public void home(Request r) throws IOException {
        Map<String, String> q = r.query();
        String install = client.map(c -> "curl -fsSL " + baseUrl(r) + "/install.sh | sh").orElse(null);
        String html = pages.home(q.get("q"), q.get("category"), Request.intParam(q, "page", 1), install);
        if (mirrorOf.isPresent()) {
            html = html.replaceFirst("<main>", java.util.regex.Matcher.quoteReplacement(
                    "<main><p class=mirror>Read-only mirror of " + WebPages.esc(mirrorOf.get().toString()) + "</p>"));
        }
        r.sendHtml(200, html);
    }

    /** {@code GET /install.sh}: installs the client this registry serves, from the address the caller reached it at. */
    public void installScript(Request r) throws IOException {
        ClientRelease c = client.orElseThrow(() -> new RegistryException(404, "not-found",
                "this registry serves no cxpm release (cxpm serve --release-dir DIR)"));
        r.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
        r.send(200, "text/x-shellscript; charset=utf-8", c.installScript(baseUrl(r)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code GET /downloads/NAME}: a release archive or its .sha512, by exact name. */
    public void download(Request r) throws IOException {
        ClientRelease c = client.orElseThrow(() -> new RegistryException(404, "not-found",
                "this registry serves no cxpm release (cxpm serve --release-dir DIR)"));
        c.download(r, r.rawParam(1));
    }

    /** {@code /plugins/NAME}, or with {@code ?versions[&after=VERSION]} all its versions a page at a time. */
    public void plugin(Request r) throws IOException {
        Map<String, String> q = r.query();
        Optional<String> html = q.containsKey("versions") ? pages.allVersions(r.param(1), q.get("after")) : pages.plugin(r.param(1), baseUrl(r));
        if (html.isPresent()) {
            r.sendHtml(200, html.get());
        } else {
            r.sendHtml(404, pages.notFound(r.param(1)));
        }
    }

    public void version(Request r) throws IOException {
        Optional<String> html = pages.version(r.param(1), r.param(2), baseUrl(r));
        if (html.isPresent()) {
            r.sendHtml(200, html.get());
        } else {
            r.sendHtml(404, pages.notFound(r.param(1) + "@" + r.param(2)));
        }
    }

    public void owner(Request r) throws IOException {
        Optional<String> html = pages.owner(r.param(1), r.query().get("after"));
        if (html.isPresent()) {
            r.sendHtml(200, html.get());
        } else {
            r.sendHtml(404, pages.notFound("/owners/" + r.param(1)));
        }
    }

    /**
     * A version's icon, as stored at publish: at most {@code PageExtract.MAX_ICON_BYTES}, and only bytes that are a
     * PNG, JPEG, GIF or WebP image, served as that type (never an SVG, which could carry script).
     */
    public void icon(Request r) throws IOException {
        var icon = registry.icon(r.param(1), r.param(2))
                .orElseThrow(() -> new RegistryException(404, "not-found", "no icon for " + r.param(1) + "@" + r.param(2)));
        r.exchange().getResponseHeaders().set("Cache-Control", "public, max-age=86400");
        r.send(200, icon.type(), icon.bytes());
    }

    public void refused(Request r, RegistryException e) throws IOException {
        r.sendHtml(e.status(), pages.refused(e.getMessage()));
    }

    public void notFound(Request r) throws IOException {
        r.sendHtml(404, pages.notFound(r.exchange().getRequestURI().getRawPath()));
    }
}
