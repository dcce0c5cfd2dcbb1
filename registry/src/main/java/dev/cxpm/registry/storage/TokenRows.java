package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.prepare;
import static dev.cxpm.registry.storage.jdbc.Sql.update;

import dev.cxpm.registry.storage.RegistryDatabase.TokenRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tokens table: only a secret's hash is stored, so a token is found by hashing what a caller sent. */
final class TokenRows {

    private TokenRows() {
    }

    static int insert(Connection c, TokenRow t) throws SQLException {
        return update(c, "INSERT INTO tokens (id, user_name, secret_hash, scopes, description, created_at, expires_at, revoked_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.user(), t.secretHash(), String.join(" ", t.scopes()), t.description(), t.createdAt().toString(),
                t.expiresAt() == null ? null : t.expiresAt().toString(), t.revokedAt() == null ? null : t.revokedAt().toString());
    }

    private static final String TOKEN_COLUMNS = "id, user_name, secret_hash, scopes, description, created_at, expires_at, revoked_at";

    private static TokenRow tokenRow(ResultSet rs) throws SQLException {
        String scopes = rs.getString(4);
        return new TokenRow(rs.getString(1), rs.getString(2), rs.getString(3),
                scopes.isBlank() ? List.of() : List.of(scopes.split(" ")), rs.getString(5), Instant.parse(rs.getString(6)),
                rs.getString(7) == null ? null : Instant.parse(rs.getString(7)),
                rs.getString(8) == null ? null : Instant.parse(rs.getString(8)));
    }

    static Optional<TokenRow> bySecretHash(Connection c, String secretHash) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE secret_hash = ?", secretHash);
             ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(tokenRow(rs)) : Optional.empty();
        }
    }

    static Optional<TokenRow> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = ?", id); ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(tokenRow(rs)) : Optional.empty();
        }
    }

    static boolean revoke(Connection c, String id, Instant at) throws SQLException {
        return update(c, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.toString(), id) > 0;
    }

    /** At most {@code limit} of the user's tokens by id after {@code after} ("" for the first): a page, never all of them. */
    static List<TokenRow> ofUser(Connection c, String user, String after, int limit) throws SQLException {
        List<TokenRow> out = new ArrayList<>();
        try (PreparedStatement p = prepare(c, "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE user_name = ? AND id > ? ORDER BY id LIMIT ?",
                user, after, limit);
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(tokenRow(rs));
            }
        }
        return out;
    }
}
