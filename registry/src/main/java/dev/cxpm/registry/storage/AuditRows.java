package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.update;

import dev.cxpm.registry.storage.RegistryDatabase.AuditQuery;
import dev.cxpm.registry.storage.RegistryDatabase.AuditRow;
import dev.cxpm.registry.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log: rows are only ever inserted (the schema's triggers refuse UPDATE and DELETE), and read newest first
 * in pages keyed by id, so a page boundary never moves while new rows arrive.
 */
final class AuditRows {

    private AuditRows() {
    }

    static int append(Connection c, AuditRow a) throws SQLException {
        return update(c, "INSERT INTO audit_log (at_ms, at, user_name, token_id, remote, action, plugin, version, details)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.at().toEpochMilli(), a.at().toString(), a.user(), a.tokenId(), a.remote(), a.action(), a.plugin(), a.version(), a.details());
    }

    static List<AuditRow> read(Connection c, AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, at, user_name, token_id, remote, action, plugin, version, details FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.before() != null) {
            sql.append(" AND id < ?");
            args.add(q.before());
        }
        if (q.plugin() != null) {
            sql.append(" AND plugin = ?");
            args.add(q.plugin());
        }
        if (q.user() != null) {
            sql.append(" AND user_name = ?");
            args.add(q.user());
        }
        if (q.since() != null) {
            sql.append(" AND at_ms >= ?");
            args.add(q.since().toEpochMilli());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        List<AuditRow> out = new ArrayList<>();
        try (PreparedStatement p = Sql.prepare(c, sql.toString(), args.toArray()); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new AuditRow(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return out;
    }
}
