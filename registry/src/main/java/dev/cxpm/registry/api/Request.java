package dev.cxpm.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Problem;
import dev.cxpm.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * One HTTP request as the handlers see it: the route's path parameters (decoded), the query, a
 * bounded body, the caller the router authenticated, and the ways to answer.
 */
public final class Request {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange ex;
    private final Matcher path;
    private final Caller caller;

    public Request(HttpExchange ex, Matcher path, Caller caller) {
        this.ex = ex;
        this.path = path;
        this.caller = caller;
    }

    public HttpExchange exchange() {
        return ex;
    }

    public String method() {
        return ex.getRequestMethod();
    }

    public boolean isHead() {
        return method().equals("HEAD");
    }

    /** The route's n-th path parameter, percent-decoded. */
    public String param(int n) {
        return decode(path.group(n));
    }

    /** The route's n-th path parameter as sent (for values the pattern already limits to safe characters). */
    public String rawParam(int n) {
        return path.group(n);
    }

    /** Who the router authenticated; only routes that need a token have one. */
    Caller caller() {
        if (caller == null) {
            throw new IllegalStateException("this route does not authenticate its caller");
        }
        return caller;
    }

    public String header(String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    public Map<String, String> query() {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    public static int intParam(Map<String, String> q, String name, int dflt) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new RegistryException(400, "invalid-parameter", name + " must be a number");
        }
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(400, "invalid-parameter", "bad percent-encoding in " + s);
        }
    }

    /** A small body (JSON) read into memory, at most {@code limit} bytes; uploads go through {@link Uploads} instead. */
    byte[] body(int limit) throws IOException {
        Uploads.checkDeclaredLength(header("Content-Length"), limit);
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw Uploads.tooLarge(limit);
            }
            return b;
        }
    }

    JsonNode jsonBody() throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(body(64 * 1024));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RegistryException(400, "invalid-json", "the body must be JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new RegistryException(400, "invalid-json", "the body must be a JSON object");
        }
        return body;
    }

    void sendJson(int status, JsonNode body) throws IOException {
        send(status, "application/json", JSON.writeValueAsBytes(body));
    }

    public void sendHtml(int status, String html) throws IOException {
        send(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    public void send(int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (isHead()) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * As {@link #send(int, String, byte[])}, the body streamed from content, which holds at least size bytes: exactly
     * size are sent (the length announced), so a file that grew since it was looked at sends what it then held.
     */
    public void send(int status, String type, InputStream content, long size) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (isHead()) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, size == 0 ? -1 : size);
        if (size > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                byte[] buf = new byte[64 * 1024];
                for (long left = size; left > 0; ) {
                    int n = content.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new java.io.EOFException("the file ended " + left + " bytes short of the length announced");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    /** A refusal as JSON {@code {"error", "message", "problems"}} with the exception's status. */
    public void sendError(RegistryException e) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("error", e.code()).put("message", e.getMessage());
        if (!e.problems().isEmpty()) {
            ArrayNode arr = o.putArray("problems");
            for (Problem p : e.problems()) {
                arr.addObject().put("code", p.code()).put("file", p.file()).put("message", p.message());
            }
        }
        if (e.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"cxpm\"");
        }
        sendJson(e.status(), o);
    }
}
