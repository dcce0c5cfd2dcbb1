package dev.cxpm.core.registry;

import static dev.cxpm.core.registry.RegistryClient.enc;
import static dev.cxpm.core.registry.RegistryClient.json;
import static dev.cxpm.core.registry.RegistryClient.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * What owners and admins change on a registry, and what anyone may read of it: yanks, deprecations, advisories,
 * owners, tokens and the audit log ({@code cxpm yank}, {@code deprecate}, {@code advisory}, {@code owner},
 * {@code token}, {@code registry audit}). Sent through its {@link RegistryClient}, whose token, bounds and refusals apply.
 */
public final class RegistryAdmin {
    private final RegistryClient client;

    RegistryAdmin(RegistryClient client) {
        this.client = client;
    }

    private HttpRequest.Builder request(String path) {
        return client.request(path);
    }

    private JsonNode send(HttpRequest.Builder b) {
        return client.send(b);
    }

    public void yank(String plugin, String version, boolean undo) {
        HttpRequest.Builder b = request("/api/v1/plugins/" + enc(plugin) + "/versions/" + enc(version) + "/yank");
        send(undo ? b.DELETE() : b.POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Deprecates the versions in the range (all when null), or clears it with a blank message; returns the versions changed. */
    public List<String> deprecate(String plugin, String range, String message) {
        ObjectNode body = json().createObjectNode().put("message", message);
        if (range != null) {
            body.put("range", range);
        }
        JsonNode r = send(request("/api/v1/plugins/" + enc(plugin) + "/deprecation").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
        return strings(r.path("versions"));
    }

    /** Attaches an advisory to a range of the plugin's versions ({@code id}, {@code url} may be null); the advisory as stored. */
    public JsonNode addAdvisory(String plugin, String id, String range, String severity, String summary, String url) {
        ObjectNode body = json().createObjectNode().put("id", id).put("range", range).put("severity", severity).put("summary", summary).put("url", url);
        return send(request("/api/v1/plugins/" + enc(plugin) + "/advisories").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** The plugin's advisories, withdrawn ones included: {@code {name, advisories: [{id, range, severity, summary, url, withdrawnAt...}]}}. */
    public JsonNode advisories(String plugin) {
        return send(request("/api/v1/plugins/" + enc(plugin) + "/advisories").GET());
    }

    public void withdrawAdvisory(String plugin, String id) {
        send(request("/api/v1/plugins/" + enc(plugin) + "/advisories/" + enc(id)).DELETE());
    }

    /** A page of the registry's audit log (admins only): {@code {entries: [...], next}}; null arguments are left out. */
    public JsonNode audit(String plugin, String user, String since, int limit, String cursor) {
        StringBuilder q = new StringBuilder("/api/v1/audit?limit=").append(limit);
        for (String[] p : new String[][] {{"plugin", plugin}, {"user", user}, {"since", since}, {"cursor", cursor}}) {
            if (p[1] != null) {
                q.append('&').append(p[0]).append('=').append(enc(p[1]));
            }
        }
        return send(request(q.toString()).GET());
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
        ObjectNode body = json().createObjectNode();
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

    /** A token as the registry lists it: never its secret. revokedAt and expiresAt are null when not set. */
    public record TokenInfo(String id, String user, List<String> scopes, String description, String createdAt, String expiresAt,
            String revokedAt) {
    }

    /** The most pages {@link #tokens()} follows: 100,000 tokens at the registry's default page, far past any real user's. */
    static final int MAX_TOKEN_PAGES = 1_000;

    /**
     * The calling user's tokens, revoked ones included, oldest first: every page the registry answers
     * ({@code GET /api/v1/tokens?after=ID}, each bounded by the registry), followed until it names no next one.
     */
    public List<TokenInfo> tokens() {
        List<TokenInfo> out = new java.util.ArrayList<>();
        java.util.Set<String> asked = new java.util.HashSet<>();
        String after = null;
        for (int pages = 0; pages < MAX_TOKEN_PAGES; pages++) {
            JsonNode page = send(request("/api/v1/tokens" + (after == null ? "" : "?after=" + enc(after))).GET());
            for (JsonNode t : page.path("tokens")) {
                out.add(new TokenInfo(t.path("id").asText(), t.path("user").asText(), strings(t.path("scopes")),
                        t.path("description").isTextual() ? t.path("description").asText() : null, t.path("createdAt").asText(),
                        t.path("expiresAt").isTextual() ? t.path("expiresAt").asText() : null,
                        t.path("revokedAt").isTextual() ? t.path("revokedAt").asText() : null));
            }
            // a registry from before pages answers all at once and no next; one that names a cursor twice would loop
            if (!page.path("next").isTextual() || !asked.add(page.path("next").asText())) {
                break;
            }
            after = page.path("next").asText();
        }
        // pages come by id; the list reads as it always did, by creation
        out.sort(java.util.Comparator.comparing(RegistryAdmin::created).thenComparing(TokenInfo::id));
        return out;
    }

    /** When the token was made, as an instant (its text does not sort: {@code 00Z} after {@code 00.5Z}); the epoch for a bad one. */
    private static java.time.Instant created(TokenInfo t) {
        try {
            return java.time.Instant.parse(t.createdAt());
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }
}
