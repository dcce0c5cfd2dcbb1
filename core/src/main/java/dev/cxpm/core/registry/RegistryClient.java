package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cxpm registry's JSON API seen from the client side (JDK HttpClient). Each refusal of the
 * server becomes a {@link UserError} whose kind matches the status (400 invalid, 401/403 invalid
 * with a login hint, 404 not found, 409 conflict, 5xx or unreachable: network), with the
 * server's full problem list in the message.
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;

    public RegistryClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI base() {
        return base;
    }

    /** A registry URL as the user typed it, normalised (no trailing slash); USAGE error when it is not http(s). */
    public static URI parseUrl(String text) {
        try {
            String t = text.strip();
            while (t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
            URI u = new URI(t);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new UserError(UserError.Kind.USAGE, "not a registry URL: " + text, "use http(s)://host[:port]");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new UserError(UserError.Kind.USAGE, "not a registry URL: " + text, "use http(s)://host[:port]");
        }
    }

    public record Whoami(String user, List<String> scopes, String tokenId) {
    }

    public Whoami whoami() {
        JsonNode r = send(request("/api/v1/me").GET());
        return new Whoami(r.path("user").asText(), strings(r.path("scopes")), r.path("tokenId").asText());
    }

    public record Published(String name, String version, String integrity, long size) {
    }

    public Published publish(byte[] tgz) {
        JsonNode r = send(request("/api/v1/plugins").header("Content-Type", "application/gzip")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tgz)));
        return new Published(r.path("name").asText(), r.path("version").asText(), r.path("integrity").asText(), r.path("size").asLong());
    }

    public void yank(String plugin, String version, boolean undo) {
        HttpRequest.Builder b = request("/api/v1/plugins/" + enc(plugin) + "/versions/" + enc(version) + "/yank");
        send(undo ? b.DELETE() : b.POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Deprecates the versions in the range (all when null), or clears it with a blank message; returns the versions changed. */
    public List<String> deprecate(String plugin, String range, String message) {
        ObjectNode body = JSON.createObjectNode().put("message", message);
        if (range != null) {
            body.put("range", range);
        }
        JsonNode r = send(request("/api/v1/plugins/" + enc(plugin) + "/deprecation").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
        return strings(r.path("versions"));
    }

    public List<String> owners(String plugin) {
        return strings(send(request("/api/v1/plugins/" + enc(plugin) + "/owners").GET()).path("owners"));
    }

    /** Adds or removes an owner; returns the owners after the change. */
    public List<String> changeOwner(String plugin, String user, boolean add) {
        HttpRequest.Builder b = request("/api/v1/plugins/" + enc(plugin) + "/owners/" + enc(user));
        return strings(send(add ? b.PUT(HttpRequest.BodyPublishers.noBody()) : b.DELETE()).path("owners"));
    }

    public record Token(String id, String token, String user, List<String> scopes, String expiresAt) {
    }

    public Token createToken(String user, List<String> scopes, Integer expiresInDays, String description) {
        ObjectNode body = JSON.createObjectNode();
        if (user != null) {
            body.put("user", user);
        }
        scopes.forEach(body.putArray("scopes")::add);
        if (expiresInDays != null) {
            body.put("expiresInDays", expiresInDays);
        }
        if (description != null) {
            body.put("description", description);
        }
        JsonNode r = send(request("/api/v1/tokens").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        return new Token(r.path("id").asText(), r.path("token").asText(), r.path("user").asText(), strings(r.path("scopes")),
                r.path("expiresAt").isTextual() ? r.path("expiresAt").asText() : null);
    }

    public void revokeToken(String id) {
        send(request("/api/v1/tokens/" + enc(id)).DELETE());
    }

    /** The plugin's index document: all versions with integrity, dependencies and yanked flag. */
    public JsonNode index(String plugin) {
        return send(request("/api/v1/plugins/" + enc(plugin)).GET());
    }

    public JsonNode search(String query, String category, int page, int perPage) {
        StringBuilder q = new StringBuilder("/api/v1/search?page=").append(page).append("&perPage=").append(perPage);
        if (query != null) {
            q.append("&q=").append(enc(query));
        }
        if (category != null) {
            q.append("&category=").append(enc(category));
        }
        return send(request(q.toString()).GET());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder b) {
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, "cannot reach the registry at " + base + ": " + e, "is 'cxpm serve' running there?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.NETWORK, "interrupted talking to " + base);
        }
        JsonNode body;
        try {
            body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, base + " answered " + r.statusCode() + " with something that is not JSON",
                    "is this a cxpm registry?");
        }
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return body;
        }
        String message = body.path("message").asText("HTTP " + s);
        List<String> lines = new ArrayList<>();
        lines.add(message);
        for (JsonNode p : body.path("problems")) {
            String file = p.path("file").isTextual() ? " " + p.path("file").asText() + ":" : "";
            lines.add("  " + p.path("code").asText() + file + " " + p.path("message").asText());
        }
        String text = String.join("\n", lines);
        throw switch (s) {
            case 400, 413 -> new UserError(UserError.Kind.INVALID_INPUT, text);
            case 401 -> new UserError(UserError.Kind.INVALID_INPUT, "the registry refused the token: " + text, "cxpm login --registry " + base);
            case 403 -> new UserError(UserError.Kind.INVALID_INPUT, "not allowed: " + text, "ask an owner for a token with the right scope");
            case 404 -> new UserError(UserError.Kind.NOT_FOUND, text);
            case 409 -> new UserError(UserError.Kind.CONFLICT, text);
            default -> new UserError(UserError.Kind.NETWORK, "the registry failed (HTTP " + s + "): " + text);
        };
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
