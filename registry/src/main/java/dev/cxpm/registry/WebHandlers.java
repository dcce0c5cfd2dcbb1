package dev.cxpm.registry;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** The web UI's routes: each renders a {@link WebPages} page. */
final class WebHandlers {

    private final WebPages pages;
    private final String defaultHost;

    WebHandlers(WebPages pages, String defaultHost) {
        this.pages = pages;
        this.defaultHost = defaultHost;
    }

    void home(Request r) throws IOException {
        Map<String, String> q = r.query();
        r.sendHtml(200, pages.home(q.get("q"), q.get("category"), Request.intParam(q, "page", 1)));
    }

    void plugin(Request r) throws IOException {
        String host = Optional.ofNullable(r.header("Host")).orElse(defaultHost);
        Optional<String> html = pages.plugin(r.param(1), "http://" + host);
        if (html.isPresent()) {
            r.sendHtml(200, html.get());
        } else {
            r.sendHtml(404, pages.notFound(r.param(1)));
        }
    }

    void owner(Request r) throws IOException {
        r.sendHtml(200, pages.owner(r.param(1)));
    }

    void refused(Request r, RegistryException e) throws IOException {
        r.sendHtml(e.status(), pages.refused(e.getMessage()));
    }

    void notFound(Request r) throws IOException {
        r.sendHtml(404, pages.notFound(r.exchange().getRequestURI().getRawPath()));
    }
}
