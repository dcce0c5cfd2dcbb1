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

    /**
     * {@code /assets/accent/HEX.css}; the route's pattern admits 3 to 8 hex digits only. The accent colours links on
     * white and is the background of white button text, so a brand colour too light for that (under WCAG's 4.5:1) is
     * darkened until it reads.
     */
    public static void accent(Request r) throws IOException {
        send(r, CSS, (":root{--accent:#" + readable(r.rawParam(1)) + "}\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The colour as is when white text on it (and it on white) has a contrast of 4.5:1, else darkened to that. */
    static String readable(String hex) {
        String full = switch (hex.length()) {
            case 3, 4 -> "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
            case 6, 8 -> hex.substring(0, 6);
            default -> null;
        };
        if (full == null) {
            return hex; // not a CSS colour: the browser ignores the rule and keeps the default accent
        }
        int rgb = Integer.parseInt(full, 16);
        double[] c = {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
        if (hex.length() != 4 && hex.length() != 8 && contrastWithWhite(c) >= 4.5) {
            return hex;
        }
        while (contrastWithWhite(c) < 4.5) {
            for (int i = 0; i < 3; i++) {
                c[i] = Math.floor(c[i] * 0.9);
            }
        }
        return String.format("%02x%02x%02x", (int) c[0], (int) c[1], (int) c[2]);
    }

    private static double contrastWithWhite(double[] rgb) {
        double l = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
        return 1.05 / (l + 0.05);
    }

    private static double linear(double channel) {
        double s = channel / 255;
        return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
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
