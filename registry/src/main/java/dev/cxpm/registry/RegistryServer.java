package dev.cxpm.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.RegistryDatabase.PluginRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry over HTTP: the JDK's server, one virtual thread per request, a handful of
 * routes mapped onto {@link Registry}. JSON API under {@code /api/v1}, web pages elsewhere.
 * Refusals are JSON {@code {"error": code, "message": ..., "problems": [...]}} with the status
 * the {@link RegistryException} carries.
 */
public final class RegistryServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLUGIN = Pattern.compile("/api/v1/plugins/([^/]+)");
    private static final Pattern YANK = Pattern.compile("/api/v1/plugins/([^/]+)/versions/([^/]+)/yank");
    private static final Pattern BLOB = Pattern.compile("/api/v1/blobs/([0-9a-f]{128})(?:\\.tgz)?");
    private static final Pattern TOKEN = Pattern.compile("/api/v1/tokens/([0-9a-f]+)");
    private static final Pattern PAGE = Pattern.compile("/plugins/([^/]+)");
    private static final Pattern OWNER_PAGE = Pattern.compile("/owners/([^/]+)");
    private static final Pattern DEPRECATION = Pattern.compile("/api/v1/plugins/([^/]+)/deprecation");
    private static final Pattern OWNERS = Pattern.compile("/api/v1/plugins/([^/]+)/owners");
    private static final Pattern OWNER = Pattern.compile("/api/v1/plugins/([^/]+)/owners/([^/]+)");

    private final Registry registry;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final WebPages pages;
    private final CodexMarketplace codex;

    private RegistryServer(Registry registry, HttpServer server, CodexMarketplace codex) {
        this.registry = registry;
        this.server = server;
        this.codex = codex;
        this.pages = new WebPages(registry, codex.name());
    }

    /** How a server is set up beyond storage: the Codex marketplace view's repository and name. */
    public record Options(Path codexRepository, String marketplaceName) {
        public static final String DEFAULT_MARKETPLACE_NAME = "cxpm-registry";
    }

    /** Starts serving on host:port (port 0 picks a free one). */
    public static RegistryServer start(Registry registry, String host, int port, Options options) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        RegistryServer s = new RegistryServer(registry, http, new CodexMarketplace(registry, options.codexRepository(), options.marketplaceName()));
        http.createContext("/", s::handle);
        http.setExecutor(s.executor);
        http.start();
        return s;
    }

    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (RegistryException e) {
                sendError(ex, e);
            } catch (RuntimeException e) {
                sendError(ex, internalError(ex, e));
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
    private static final java.security.SecureRandom REQUEST_IDS = new java.security.SecureRandom();

    /**
     * A failure of the server itself: the details (paths, SQL, exception text) go to the log under a
     * random request id, and the client sees only that id.
     */
    private static RegistryException internalError(HttpExchange ex, RuntimeException e) {
        byte[] random = new byte[6];
        REQUEST_IDS.nextBytes(random);
        String id = java.util.HexFormat.of().formatHex(random);
        LOG.log(System.Logger.Level.ERROR, "request " + id + " (" + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ") failed", e);
        return new RegistryException(500, "internal", "internal error (request " + id + "); the server log has the details");
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Matcher m;
        if (path.equals("/api/v1/plugins") && (method.equals("PUT") || method.equals("POST"))) {
            publish(ex);
        } else if ((m = YANK.matcher(path)).matches() && (method.equals("POST") || method.equals("DELETE"))) {
            Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            registry.yank(c, decode(m.group(1)), decode(m.group(2)), method.equals("POST"));
            ObjectNode o = JSON.createObjectNode().put("name", decode(m.group(1))).put("version", decode(m.group(2)))
                    .put("yanked", method.equals("POST"));
            sendJson(ex, 200, o);
        } else if ((m = DEPRECATION.matcher(path)).matches() && method.equals("PUT")) {
            Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            JsonNode body = jsonBody(ex);
            String range = body.path("range").isTextual() ? body.path("range").asText() : null;
            List<String> changed = registry.deprecate(c, decode(m.group(1)), range, body.path("message").asText(""));
            ObjectNode o = JSON.createObjectNode().put("name", decode(m.group(1)));
            changed.forEach(o.putArray("versions")::add);
            sendJson(ex, 200, o);
        } else if ((m = OWNERS.matcher(path)).matches() && isRead(method)) {
            String name = decode(m.group(1));
            if (registry.plugin(name).isEmpty()) {
                throw new RegistryException(404, "not-found", "no plugin '" + name + "'");
            }
            ObjectNode o = JSON.createObjectNode().put("name", name);
            registry.owners(name).forEach(o.putArray("owners")::add);
            sendJson(ex, 200, o);
        } else if ((m = OWNER.matcher(path)).matches() && (method.equals("PUT") || method.equals("DELETE"))) {
            Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            String name = decode(m.group(1));
            if (method.equals("PUT")) {
                registry.addOwner(c, name, decode(m.group(2)));
            } else {
                registry.removeOwner(c, name, decode(m.group(2)));
            }
            ObjectNode o = JSON.createObjectNode().put("name", name);
            registry.owners(name).forEach(o.putArray("owners")::add);
            sendJson(ex, 200, o);
        } else if ((m = PLUGIN.matcher(path)).matches() && isRead(method)) {
            index(ex, decode(m.group(1)));
        } else if ((m = BLOB.matcher(path)).matches() && isRead(method)) {
            blob(ex, Integrity.fromHex(m.group(1)));
        } else if (path.equals("/api/v1/search") && isRead(method)) {
            search(ex);
        } else if (path.equals("/api/v1/me") && isRead(method)) {
            Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            ObjectNode o = JSON.createObjectNode().put("user", c.user()).put("tokenId", c.tokenId());
            c.scopes().forEach(o.putArray("scopes")::add);
            sendJson(ex, 200, o);
        } else if (path.equals("/api/v1/tokens") && method.equals("POST")) {
            createToken(ex);
        } else if (path.equals("/api/v1/tokens") && isRead(method)) {
            Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            ArrayNode arr = JSON.createArrayNode();
            for (var t : registry.tokens(c)) {
                ObjectNode o = arr.addObject().put("id", t.id()).put("user", t.user()).put("description", t.description())
                        .put("createdAt", t.createdAt().toString())
                        .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString())
                        .put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
                t.scopes().forEach(o.putArray("scopes")::add);
            }
            sendJson(ex, 200, JSON.createObjectNode().set("tokens", arr));
        } else if ((m = TOKEN.matcher(path)).matches() && method.equals("DELETE")) {
            Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            registry.revokeToken(c, m.group(1));
            sendJson(ex, 200, JSON.createObjectNode().put("id", m.group(1)).put("revoked", true));
        } else if (path.startsWith(CodexMarketplace.URL_PATH + "/") && isRead(method)) {
            Path f = codex.file(path.substring(CodexMarketplace.URL_PATH.length() + 1))
                    .orElseThrow(() -> new RegistryException(404, "not-found", "no such file in the marketplace repository"));
            // plain content type: git then uses the "dumb" protocol, which static files can serve
            send(ex, 200, "application/octet-stream", CodexMarketplace.read(f));
        } else if (path.equals("/api/v1/registry") && isRead(method)) {
            // what a client probes to tell a cxpm registry from a git host at the same URL
            sendJson(ex, 200, JSON.createObjectNode().put("registry", "cxpm").put("api", 1)
                    .put("marketplace", codex.name()).put("codexMarketplace", CodexMarketplace.URL_PATH));
        } else if (path.equals("/health")) {
            sendJson(ex, 200, JSON.createObjectNode().put("status", "ok"));
        } else if (path.equals("/") && isRead(method)) {
            Map<String, String> q = query(ex);
            sendHtml(ex, 200, pages.home(q.get("q"), q.get("category"), intParam(q, "page", 1)));
        } else if ((m = PAGE.matcher(path)).matches() && isRead(method)) {
            String host = Optional.ofNullable(ex.getRequestHeaders().getFirst("Host")).orElse(url().getAuthority());
            Optional<String> html = pages.plugin(decode(m.group(1)), "http://" + host);
            if (html.isPresent()) {
                sendHtml(ex, 200, html.get());
            } else {
                sendHtml(ex, 404, pages.notFound(decode(m.group(1))));
            }
        } else if ((m = OWNER_PAGE.matcher(path)).matches() && isRead(method)) {
            sendHtml(ex, 200, pages.owner(decode(m.group(1))));
        } else if (path.startsWith("/api/")) {
            throw new RegistryException(404, "not-found", "no route " + method + " " + path);
        } else {
            sendHtml(ex, 404, pages.notFound(path));
        }
    }

    private static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private void publish(HttpExchange ex) throws IOException {
        Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
        byte[] body = readBody(ex, PluginArchive.MAX_COMPRESSED_BYTES);
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (type.startsWith("multipart/form-data")) {
            body = Multipart.firstFile(body, type);
        }
        Registry.Published p = registry.publish(c, body);
        ObjectNode o = JSON.createObjectNode().put("name", p.name()).put("version", p.version())
                .put("integrity", p.integrity().sri()).put("size", p.size())
                .put("tarball", Registry.BLOB_PATH + p.integrity().hex());
        sendJson(ex, 201, o);
    }

    private static byte[] readBody(HttpExchange ex, int limit) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && Long.parseLong(length.trim()) > limit) {
            throw new RegistryException(413, "too-large", "the upload is larger than " + limit + " bytes");
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new RegistryException(413, "too-large", "the upload is larger than " + limit + " bytes");
            }
            return b;
        }
    }

    private void index(HttpExchange ex, String name) throws IOException {
        Registry.IndexDocument doc = registry.index(name)
                .orElseThrow(() -> new RegistryException(404, "not-found", "no plugin '" + name + "'"));
        ex.getResponseHeaders().set("ETag", doc.etag());
        // revalidate each time: a publish or yank changes the document, the ETag makes it cheap
        ex.getResponseHeaders().set("Cache-Control", "public, no-cache");
        String inm = ex.getRequestHeaders().getFirst("If-None-Match");
        if (inm != null && matches(inm, doc.etag())) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        send(ex, 200, "application/json", doc.json());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String v = t.trim();
            if (v.equals("*") || v.equals(etag) || v.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private void blob(HttpExchange ex, Integrity integrity) throws IOException {
        Optional<InputStream> in = registry.blob(integrity);
        if (in.isEmpty()) {
            throw new RegistryException(404, "not-found", "no blob " + integrity.sri());
        }
        try (InputStream stream = in.get()) {
            ex.getResponseHeaders().set("Content-Type", "application/gzip");
            ex.getResponseHeaders().set("Cache-Control", "public, max-age=31536000, immutable");
            ex.getResponseHeaders().set("ETag", "\"" + integrity.hex().substring(0, 32) + "\"");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                stream.transferTo(out);
            }
        }
    }

    private void search(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        Registry.SearchResult r = registry.search(q.get("q"), q.get("category"), intParam(q, "page", 1), intParam(q, "perPage", 20));
        ObjectNode o = JSON.createObjectNode().put("total", r.total()).put("page", r.page()).put("perPage", r.perPage());
        ArrayNode arr = o.putArray("results");
        for (PluginRow p : r.plugins()) {
            ObjectNode e = arr.addObject().put("name", p.name()).put("version", p.latestVersion())
                    .put("displayName", p.displayName()).put("description", p.description()).put("category", p.category());
            p.keywords().forEach(e.putArray("keywords")::add);
        }
        sendJson(ex, 200, o);
    }

    private static JsonNode jsonBody(HttpExchange ex) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(readBody(ex, 64 * 1024));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RegistryException(400, "invalid-json", "the body must be JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new RegistryException(400, "invalid-json", "the body must be a JSON object");
        }
        return body;
    }

    private void createToken(HttpExchange ex) throws IOException {
        Caller c = registry.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
        JsonNode body = jsonBody(ex);
        List<String> scopes = new ArrayList<>();
        body.path("scopes").forEach(s -> scopes.add(s.asText()));
        String user = body.path("user").asText(c.user());
        Duration ttl = body.path("expiresInDays").canConvertToInt() ? Duration.ofDays(body.path("expiresInDays").asInt()) : null;
        Registry.CreatedToken t = registry.createToken(c, user, scopes, ttl, body.path("description").asText(null));
        ObjectNode o = JSON.createObjectNode().put("id", t.id()).put("token", t.token()).put("user", t.user())
                .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        t.scopes().forEach(o.putArray("scopes")::add);
        sendJson(ex, 201, o);
    }

    private static Map<String, String> query(HttpExchange ex) {
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

    private static int intParam(Map<String, String> q, String name, int dflt) {
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

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(400, "invalid-parameter", "bad percent-encoding in " + s);
        }
    }

    private static void sendError(HttpExchange ex, RegistryException e) throws IOException {
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
        sendJson(ex, e.status(), o);
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void sendHtml(HttpExchange ex, int status, String html) throws IOException {
        send(ex, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
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
}
