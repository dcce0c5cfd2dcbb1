package dev.cxpm.registry.web;

import dev.cxpm.registry.api.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The web UI's stylesheet and script, served from this origin because the pages'
 * Content-Security-Policy allows nothing inline; a plugin's brand colour is a one-rule stylesheet
 * whose path is the colour's hex digits, so no page needs an inline style or a per-page policy.
 */
public final class WebAssets {

    static final String CSS = "text/css; charset=utf-8";
    static final String JS = "text/javascript; charset=utf-8";
    static final String SVG = "image/svg+xml";

    private static final byte[] STYLESHEET = resource("registry.css");
    private static final byte[] SCRIPT = resource("registry.js");
    private static final byte[] ICON = resource("icon.svg");

    private WebAssets() {
    }

    public static void stylesheet(Request r) throws IOException {
        send(r, CSS, STYLESHEET);
    }

    public static void script(Request r) throws IOException {
        send(r, JS, SCRIPT);
    }

    /** Linked from every page, so the browser does not ask for a missing /favicon.ico. */
    public static void icon(Request r) throws IOException {
        send(r, SVG, ICON);
    }

    /** {@code /assets/accent/HEX.css}; the route's pattern admits 3 to 8 hex digits only. */
    public static void accent(Request r) throws IOException {
        send(r, CSS, (":root{--accent:#" + r.rawParam(1) + "}\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void send(Request r, String type, byte[] body) throws IOException {
        r.exchange().getResponseHeaders().set("Cache-Control", "public, max-age=300");
        r.send(200, type, body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
