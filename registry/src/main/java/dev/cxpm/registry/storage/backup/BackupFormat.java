package dev.cxpm.registry.storage.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The layout of a registry export ({@code cxpm registry export DIR}), format version 1: one JSON object per line
 * per table, in fixed files, the blobs under {@code blobs/<sha512 hex>.tgz}, and {@code manifest.json} with the
 * hash and line count of each table file. Every name read or written here is fixed or made from an integrity: the
 * dump's content never names a path. The search index, search words and look-alike name variants are not in it:
 * they follow from the plugins and are rebuilt on import.
 */
final class BackupFormat {

    static final String FORMAT = "cxpm-registry-export";
    static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String BLOBS = "blobs";
    /** Larger than any row a registry writes (a README and an icon are bounded well below it). */
    static final int MAX_LINE = 16 * 1024 * 1024;
    static final int MAX_MANIFEST = 64 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { TEXT, NUMBER, BYTES }

    record Column(String name, Kind kind, boolean nullable) {
    }

    record Table(String name, String orderBy, List<Column> columns) {
        String file() {
            return name + ".jsonl";
        }

        String columnList() {
            return String.join(", ", columns.stream().map(Column::name).toList());
        }
    }

    private static Column text(String n) {
        return new Column(n, Kind.TEXT, false);
    }

    private static Column optText(String n) {
        return new Column(n, Kind.TEXT, true);
    }

    private static Column number(String n) {
        return new Column(n, Kind.NUMBER, false);
    }

    /** In insert order: a row's foreign keys point to rows of an earlier table. */
    static final List<Table> TABLES = List.of(
            new Table("plugins", "id", List.of(number("id"), text("name"), text("name_key"), optText("display_name"),
                    optText("description"), optText("category"), text("keywords"), text("capabilities"), optText("latest_version"),
                    text("created_at"), text("updated_at"), number("index_sequence"))),
            new Table("owners", "plugin_id, user_name", List.of(number("plugin_id"), text("user_name"))),
            new Table("versions", "plugin_id, seq", List.of(number("plugin_id"), text("version"), text("version_release"),
                    number("seq"), text("integrity"), number("size"), text("manifest"), text("dependencies"), number("yanked"),
                    text("published_by"), text("published_at"), optText("deprecated"), optText("surface"), optText("page"),
                    new Column("icon", Kind.BYTES, true), optText("icon_type"), number("downloads"),
                    optText("source_repository"), optText("source_commit"))),
            new Table("advisories", "plugin_id, seq", List.of(number("plugin_id"), text("id"), text("version_range"), text("severity"),
                    text("summary"), optText("url"), text("created_by"), text("created_at"), optText("withdrawn_at"), number("seq"))),
            new Table("tokens", "id", List.of(text("id"), text("user_name"), text("secret_hash"), text("scopes"),
                    optText("description"), text("created_at"), optText("expires_at"), optText("revoked_at"))),
            // the audit log is history the registry must keep: restored whole, its ids and order included
            new Table("audit_log", "id", List.of(number("id"), number("at_ms"), text("at"), text("user_name"), optText("token_id"),
                    optText("remote"), text("action"), optText("plugin"), optText("version"), text("details"))));

    private BackupFormat() {
    }

    /** One line without its newline, or null at the end; a line longer than {@code max} bytes is refused. */
    static byte[] readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() >= max) {
                throw new IOException("line longer than " + max + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
