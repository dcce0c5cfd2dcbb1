package dev.cxpm.registry.api;

import static dev.cxpm.registry.api.Request.JSON;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.AuditLog;
import dev.cxpm.core.registry.RegistryKey;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.Tokens;
import dev.cxpm.registry.index.SigningKeys;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.storage.RegistryDatabase.AdvisoryRow;
import dev.cxpm.registry.storage.RegistryDatabase.AuditRow;
import dev.cxpm.registry.publish.SourceProvenance;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON API under {@code /api/v1}: each handler maps one route onto {@link Registry}. */
public final class ApiHandlers {

    private final Registry registry;
    private final String marketplaceName;
    private final Uploads uploads;
    private final long maxPublishBytes;

    private final SigningKeys keys;

    /** {@code maxPublishBytes}: the largest publish body read (at most {@link PluginArchive#MAX_COMPRESSED_BYTES}). */
    public ApiHandlers(Registry registry, String marketplaceName, Uploads uploads, long maxPublishBytes, SigningKeys keys) {
        this.keys = keys;
        this.registry = registry;
        this.marketplaceName = marketplaceName;
        this.uploads = uploads;
        this.maxPublishBytes = Math.min(maxPublishBytes, PluginArchive.MAX_COMPRESSED_BYTES);
    }

    public void publish(Request r) throws IOException {
        String type = Optional.ofNullable(r.header("Content-Type")).orElse("");
        String boundary;
        Optional<Provenance> source;
        try { // checked before the body is read: a bad boundary or claim costs no search and no stored upload
            boundary = type.startsWith("multipart/form-data") ? Multipart.boundary(type) : null;
            source = SourceProvenance.parse(r.header(SourceProvenance.REPOSITORY_HEADER), r.header(SourceProvenance.COMMIT_HEADER));
        } catch (RegistryException refused) {
            uploads.discard(r, maxPublishBytes);
            throw refused;
        }
        Registry.Published p;
        try (Uploads.Upload upload = uploads.receive(r, boundary, maxPublishBytes)) {
            p = registry.publish(r.caller(), upload.file(), source.orElse(null));
        }
        ObjectNode o = JSON.createObjectNode().put("name", p.name()).put("version", p.version())
                .put("integrity", p.integrity().sri()).put("size", p.size())
                .put("tarball", Registry.BLOB_PATH + p.integrity().hex());
        r.sendJson(201, o);
    }

    public void yank(Request r) throws IOException {
        boolean yanked = r.method().equals("POST");
        registry.yank(r.caller(), r.param(1), r.param(2), yanked);
        r.sendJson(200, JSON.createObjectNode().put("name", r.param(1)).put("version", r.param(2)).put("yanked", yanked));
    }

    public void deprecate(Request r) throws IOException {
        JsonNode body = r.jsonBody();
        String range = body.path("range").isTextual() ? body.path("range").asText() : null;
        List<String> changed = registry.deprecate(r.caller(), r.param(1), range, body.path("message").asText(""));
        ObjectNode o = JSON.createObjectNode().put("name", r.param(1));
        changed.forEach(o.putArray("versions")::add);
        r.sendJson(200, o);
    }

    public void owners(Request r) throws IOException {
        String name = r.param(1);
        if (registry.plugin(name).isEmpty()) {
            throw new RegistryException(404, "not-found", "no plugin '" + name + "'");
        }
        sendOwners(r, name);
    }

    public void changeOwner(Request r) throws IOException {
        String name = r.param(1);
        if (r.method().equals("PUT")) {
            registry.addOwner(r.caller(), name, r.param(2));
        } else {
            registry.removeOwner(r.caller(), name, r.param(2));
        }
        sendOwners(r, name);
    }

    private void sendOwners(Request r, String name) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("name", name);
        registry.owners(name).forEach(o.putArray("owners")::add);
        r.sendJson(200, o);
    }

    public void index(Request r) throws IOException {
        String name = r.param(1);
        String inm = r.header("If-None-Match");
        Optional<String> stored = inm == null ? Optional.empty() : registry.currentIndexEtag(name);
        if (stored.isPresent() && matches(inm, stored.get())) { // the client holds it: the stored bytes stay unread
            r.exchange().getResponseHeaders().set("ETag", stored.get());
            r.exchange().getResponseHeaders().set("Cache-Control", "public, no-cache");
            r.exchange().sendResponseHeaders(304, -1);
            return;
        }
        Registry.IndexDocument doc = registry.index(name)
                .orElseThrow(() -> new RegistryException(404, "not-found", "no plugin '" + name + "'"));
        r.exchange().getResponseHeaders().set("ETag", doc.etag());
        // revalidate each time: a publish or yank changes the document, the ETag makes it cheap
        r.exchange().getResponseHeaders().set("Cache-Control", "public, no-cache");
        if (inm != null && matches(inm, doc.etag())) {
            r.exchange().sendResponseHeaders(304, -1);
            return;
        }
        // the exact bytes sent are what is signed: no canonical form to get wrong, and fields added later are covered too
        r.exchange().getResponseHeaders().set(RegistryKey.SIGNATURE_HEADER, signature(doc));
        r.send(200, "application/json", doc.json());
    }

    /** Made when the document was (stored beside it): a read signs nothing. */
    private String signature(Registry.IndexDocument doc) {
        return doc.signature() != null ? doc.signature() : keys.sign(doc.json()).header();
    }

    /** The registry's public keys, for clients to pin the current one and to follow a rotation from the one they pinned. */
    public void keys(Request r) throws IOException {
        r.send(200, "application/json", keys.publishedJson());
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

    public void blob(Request r) throws IOException {
        Integrity integrity = Integrity.fromHex(r.rawParam(1));
        Optional<InputStream> in = registry.blob(integrity);
        if (in.isEmpty()) {
            throw new RegistryException(404, "not-found", "no blob " + integrity.sri());
        }
        try (InputStream stream = in.get()) {
            var headers = r.exchange().getResponseHeaders();
            headers.set("Content-Type", "application/gzip");
            headers.set("Cache-Control", "public, max-age=31536000, immutable");
            headers.set("ETag", "\"" + integrity.hex().substring(0, 32) + "\"");
            if (r.isHead()) {
                r.exchange().sendResponseHeaders(200, -1);
                return;
            }
            r.exchange().sendResponseHeaders(200, 0);
            try (OutputStream out = r.exchange().getResponseBody()) {
                stream.transferTo(out);
                // counted before the last chunk closes the body: a client that has read the whole blob then sees its
                // download on the page; one that broke off mid-transfer never reaches here
                registry.countDownload(integrity);
            }
        }
    }

    public void search(Request r) throws IOException {
        Map<String, String> q = r.query();
        dev.cxpm.registry.search.PluginSearch.Tolerant found = registry.searchTolerant(q.get("q"), q.get("category"),
                Request.intParam(q, "page", 1), Request.intParam(q, "perPage", 20));
        dev.cxpm.registry.search.PluginSearch.Result result = found.result();
        // written straight from the rows (the bytes a tree of nodes gave, without building the tree): a search's
        // answer is most of what it costs beyond the match
        ByteArrayOutputStream body = new ByteArrayOutputStream(256 + 256 * result.plugins().size());
        try (JsonGenerator g = JSON.getFactory().createGenerator(body)) {
            g.writeStartObject();
            g.writeNumberField("total", result.total());
            g.writeNumberField("page", result.page());
            g.writeNumberField("perPage", result.perPage());
            if (found.corrected().isPresent()) {
                g.writeStringField("correctedQuery", found.corrected().get());
            }
            g.writeArrayFieldStart("results");
            for (PluginRow p : result.plugins()) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("version", p.latestVersion());
                g.writeStringField("displayName", p.displayName());
                g.writeStringField("description", p.description());
                g.writeStringField("category", p.category());
                g.writeArrayFieldStart("keywords");
                for (String k : p.keywords()) {
                    g.writeString(k);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        r.send(200, "application/json", body.toByteArray());
    }

    public void me(Request r) throws IOException {
        Caller c = r.caller();
        ObjectNode o = JSON.createObjectNode().put("user", c.user()).put("tokenId", c.tokenId());
        c.scopes().forEach(o.putArray("scopes")::add);
        r.sendJson(200, o);
    }

    /**
     * A token's lifetime as asked: absent or null for none, else a whole number of days from 1. Anything else was read
     * as no expiry ("30", 1e12) or as already expired (-5), so a caller asking for a short-lived token got a permanent one.
     */
    private static Duration expiry(JsonNode days) {
        if (days.isMissingNode() || days.isNull()) {
            return null;
        }
        if (!days.isIntegralNumber() || !days.canConvertToInt() || days.asInt() < 1) {
            throw new RegistryException(400, "invalid-parameter", "expiresInDays must be a whole number of days from 1 to "
                    + Integer.MAX_VALUE + ", or absent for a token that never expires");
        }
        return Duration.ofDays(days.asInt());
    }

    public void createToken(Request r) throws IOException {
        Caller c = r.caller();
        JsonNode body = r.jsonBody();
        List<String> scopes = new ArrayList<>();
        body.path("scopes").forEach(s -> scopes.add(s.asText()));
        String user = body.path("user").asText(c.user());
        Duration ttl = expiry(body.path("expiresInDays"));
        Registry.CreatedToken t = registry.createToken(c, user, scopes, ttl, body.path("description").asText(null));
        ObjectNode o = JSON.createObjectNode().put("id", t.id()).put("token", t.token()).put("user", t.user())
                .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        t.scopes().forEach(o.putArray("scopes")::add);
        r.sendJson(201, o);
    }

    /** {@code GET /api/v1/tokens?after=ID&limit=N}: the caller's tokens by id, a bounded page at a time, with the id to ask after next. */
    public void tokens(Request r) throws IOException {
        Map<String, String> q = r.query();
        Tokens.Page page = registry.tokens(r.caller(), q.get("after"), Request.intParam(q, "limit", Tokens.DEFAULT_PAGE));
        ArrayNode arr = JSON.createArrayNode();
        for (var t : page.tokens()) {
            ObjectNode o = arr.addObject().put("id", t.id()).put("user", t.user()).put("description", t.description())
                    .put("createdAt", t.createdAt().toString())
                    .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString())
                    .put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
            t.scopes().forEach(o.putArray("scopes")::add);
        }
        ObjectNode o = JSON.createObjectNode();
        o.set("tokens", arr);
        r.sendJson(200, o.put("next", page.next()));
    }

    public void revokeToken(Request r) throws IOException {
        registry.revokeToken(r.caller(), r.rawParam(1));
        r.sendJson(200, JSON.createObjectNode().put("id", r.rawParam(1)).put("revoked", true));
    }

    public void advisories(Request r) throws IOException {
        String name = r.param(1);
        if (registry.plugin(name).isEmpty()) {
            throw new RegistryException(404, "not-found", "no plugin '" + name + "'");
        }
        ObjectNode o = JSON.createObjectNode().put("name", name);
        ArrayNode arr = o.putArray("advisories");
        registry.advisories(name).forEach(a -> arr.add(advisory(a)));
        r.sendJson(200, o);
    }

    public void addAdvisory(Request r) throws IOException {
        JsonNode b = r.jsonBody();
        AdvisoryRow a = registry.addAdvisory(r.caller(), r.param(1), text(b, "id"), text(b, "range"), text(b, "severity"),
                text(b, "summary"), text(b, "url"));
        r.sendJson(201, advisory(a));
    }

    public void withdrawAdvisory(Request r) throws IOException {
        registry.withdrawAdvisory(r.caller(), r.param(1), r.param(2));
        r.sendJson(200, JSON.createObjectNode().put("name", r.param(1)).put("id", r.param(2)).put("withdrawn", true));
    }

    private static String text(JsonNode body, String field) {
        return body.path(field).isTextual() ? body.path(field).asText() : null;
    }

    private static ObjectNode advisory(AdvisoryRow a) {
        return JSON.createObjectNode().put("id", a.id()).put("range", a.range()).put("severity", a.severity()).put("summary", a.summary())
                .put("url", a.url()).put("createdBy", a.createdBy()).put("createdAt", a.createdAt().toString())
                .put("withdrawnAt", a.withdrawnAt() == null ? null : a.withdrawnAt().toString());
    }

    /** {@code GET /api/v1/audit?plugin=&user=&since=&limit=&cursor=}: the audit log, newest first, a bounded page at a time. */
    public void audit(Request r) throws IOException {
        Map<String, String> q = r.query();
        for (String k : List.of("plugin", "user", "since", "cursor")) {
            if (q.getOrDefault(k, "").length() > 256) {
                throw new RegistryException(400, "invalid-parameter", k + " is at most 256 characters");
            }
        }
        AuditLog.Page page = registry.audit(r.caller(), q.get("plugin"), q.get("user"), since(q.get("since")),
                Request.intParam(q, "limit", AuditLog.DEFAULT_PAGE), q.get("cursor"));
        ObjectNode o = JSON.createObjectNode();
        ArrayNode arr = o.putArray("entries");
        for (AuditRow a : page.rows()) {
            ObjectNode e = arr.addObject().put("id", a.id()).put("at", a.at().toString()).put("user", a.user()).put("tokenId", a.tokenId())
                    .put("remote", a.remote()).put("action", a.action()).put("plugin", a.plugin()).put("version", a.version());
            e.set("details", JSON.readTree(a.details()));
        }
        o.put("next", page.next());
        r.sendJson(200, o);
    }

    /** An instant ({@code 2026-12-01T00:00:00Z}) or a date ({@code 2026-12-01}, from its start in UTC). */
    private static Instant since(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return text.strip().length() == 10 ? LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new RegistryException(400, "invalid-parameter", "since must be a date (2026-12-01) or an instant (2026-12-01T10:00:00Z)");
        }
    }

    /** What a client probes to tell a cxpm registry from a git host at the same URL. */
    public void probe(Request r) throws IOException {
        r.sendJson(200, JSON.createObjectNode().put("registry", "cxpm").put("api", 1)
                .put("marketplace", marketplaceName).put("codexMarketplace", CodexMarketplace.URL_PATH));
    }

    public void health(Request r) throws IOException {
        r.sendJson(200, JSON.createObjectNode().put("status", "ok"));
    }
}
