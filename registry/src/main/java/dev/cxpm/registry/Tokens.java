package dev.cxpm.registry;

import dev.cxpm.core.format.CodexNames;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.TokenRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * API tokens: made with a random secret shown once and stored only as its SHA-256, checked on every
 * request that needs one (revoked and expired tokens refused), revoked by their owner or an admin.
 * Which scopes a caller may grant is {@link Caller}'s rule; which routes a scope reaches is {@link Access}'s.
 */
public final class Tokens {

    private final RegistryDatabase db;
    private final Clock clock;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    Tokens(RegistryDatabase db, Clock clock, AuditLog audit) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
    }

    Registry.CreatedToken create(Caller grantor, String user, List<String> scopes, Duration ttl, String description) {
        if (scopes.isEmpty()) {
            throw new RegistryException(400, "invalid-scope", "a token needs at least one scope (admin, owner or publish:PLUGIN)");
        }
        for (String s : scopes) {
            if (!Caller.isValidScope(s)) {
                throw new RegistryException(400, "invalid-scope", "unknown scope '" + s + "': use admin, owner or publish:PLUGIN");
            }
            if (grantor != null && !grantor.mayGrant(s)) {
                throw new RegistryException(403, "forbidden", "your token may not grant the scope '" + s + "'");
            }
        }
        requireUserName(user);
        if (grantor != null && !grantor.isAdmin() && !grantor.user().equals(user)) {
            throw new RegistryException(403, "forbidden", "only an admin token may create tokens for another user");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String id = HexFormat.of().formatHex(secret, 0, 6);
        String token = "cxpm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expires = ttl == null ? null : now.plus(ttl);
        db.transaction(() -> {
            db.insertToken(new TokenRow(id, user, sha256(token), List.copyOf(scopes), description, now, expires, null));
            // the id names the token; its secret (or hash) never reaches the log
            var details = AuditLog.details().put("id", id).put("user", user).put("expiresAt", expires == null ? null : expires.toString());
            scopes.forEach(details.putArray("scopes")::add);
            audit.record(grantor, "token-create", null, null, details);
            return null;
        });
        return new Registry.CreatedToken(id, token, user, List.copyOf(scopes), expires);
    }

    Caller authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RegistryException(401, "unauthorized", "this needs a token: send 'Authorization: Bearer <token>' (cxpm login)");
        }
        String token = authorization.substring(7).trim();
        TokenRow t = db.tokenBySecretHash(sha256(token))
                .orElseThrow(() -> new RegistryException(401, "unauthorized", "unknown token"));
        if (t.revokedAt() != null) {
            throw new RegistryException(401, "unauthorized", "this token was revoked");
        }
        if (t.expiresAt() != null && !clock.instant().isBefore(t.expiresAt())) {
            throw new RegistryException(401, "unauthorized", "this token expired at " + t.expiresAt());
        }
        return new Caller(t.user(), t.scopes(), t.id(), null);
    }

    void revoke(Caller caller, String id) {
        // one row by its key: a user with thousands of tokens (CI mints one per run) is not read whole per revoke
        boolean own = db.token(id).map(t -> t.user().equals(caller.user())).orElse(false);
        if (!own && !caller.isAdmin()) {
            throw new RegistryException(404, "not-found", "no token " + id + " of yours");
        }
        db.transaction(() -> {
            if (!db.revokeToken(id, clock.instant())) {
                throw new RegistryException(404, "not-found", "no active token " + id);
            }
            audit.record(caller, "token-revoke", null, null, AuditLog.details().put("id", id));
            return null;
        });
    }

    /** Tokens listed in one answer by default, and at most: a user may hold thousands (CI mints one per run). */
    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 200;

    /** A page of a user's tokens by id, and the id to ask for the next page after (null on the last page). */
    public record Page(List<TokenRow> tokens, String next) {
    }

    /** The caller's tokens after the id {@code after} (null for the first page), at most {@code limit}, from a query of one row more. */
    Page of(Caller caller, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new RegistryException(400, "invalid-parameter", "limit must be 1 to " + MAX_PAGE);
        }
        if (after != null && after.length() > 64) {
            throw new RegistryException(400, "invalid-parameter", "after is a token id, at most 64 characters");
        }
        List<TokenRow> rows = db.tokens(caller.user(), after, limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<TokenRow> page = rows.subList(0, limit);
        return new Page(List.copyOf(page), page.get(limit - 1).id());
    }

    /** User names follow the rule for plugin names cxpm writes: safe in URLs, paths and token records. */
    static void requireUserName(String user) {
        if (!CodexNames.isPortablePluginName(user)) {
            throw new RegistryException(400, "invalid-user", "a user name is 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
