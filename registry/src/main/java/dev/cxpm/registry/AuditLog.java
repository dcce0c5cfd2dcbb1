package dev.cxpm.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.AuditQuery;
import dev.cxpm.registry.storage.RegistryDatabase.AuditRow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The registry's append-only record of every write: each write method calls {@link #record} inside the database
 * transaction of the write itself ({@link RegistryDatabase#transaction}), so a write without its row cannot be
 * committed and a refused write leaves none. Only admins read it, a bounded page at a time.
 */
public final class AuditLog {

    /** Who a write made without a token is recorded as: {@code cxpm token create --data/--database}, run by the operator. */
    public static final String LOCAL_OPERATOR = "(local)";
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryDatabase db;
    private final Clock clock;

    AuditLog(RegistryDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A details object to fill in for {@link #record}. */
    public static ObjectNode details() {
        return JSON.createObjectNode();
    }

    /** Appends one row; call it inside the transaction of the write it records. {@code caller} null: the local operator. */
    public void record(Caller caller, String action, String plugin, String version, ObjectNode details) {
        db.appendAudit(new AuditRow(0, clock.instant(), caller == null ? LOCAL_OPERATOR : caller.user(),
                caller == null ? null : caller.tokenId(), caller == null ? "local" : caller.remote(), action, plugin, version,
                details == null ? "{}" : details.toString()));
    }

    /** A page of rows, newest first, and the cursor of the next (older) page, null at the end. */
    public record Page(List<AuditRow> rows, String next) {
    }

    /** Reads a page for an admin; {@code cursor} is the {@code next} of the page before (null: the newest). */
    Page read(Caller caller, String plugin, String user, Instant since, int limit, String cursor) {
        if (!caller.isAdmin()) {
            throw new RegistryException(403, "forbidden", "only an admin token may read the audit log");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new RegistryException(400, "invalid-parameter", "limit must be 1 to " + MAX_PAGE);
        }
        Long before = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                before = Long.parseLong(cursor.strip());
            } catch (NumberFormatException e) {
                throw new RegistryException(400, "invalid-parameter", "cursor must be the 'next' of an earlier page");
            }
        }
        List<AuditRow> rows = db.audit(new AuditQuery(before, blank(plugin), blank(user), since, limit + 1));
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<AuditRow> page = rows.subList(0, limit);
        return new Page(List.copyOf(page), Long.toString(page.get(limit - 1).id()));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
