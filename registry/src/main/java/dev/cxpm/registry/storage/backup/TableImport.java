package dev.cxpm.registry.storage.backup;

import static dev.cxpm.registry.storage.backup.BackupFormat.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.CodexNames;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.backup.BackupException.Cause;
import dev.cxpm.registry.storage.backup.BackupFormat.Column;
import dev.cxpm.registry.storage.backup.BackupFormat.Table;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One table's file of an export inserted by {@link RegistryImport}, inside its transaction: every line bounded, parsed
 * into a JSON object with exactly the table's fields, each field typed and bound, the row checked for what the
 * registry relies on beyond column types, and the file's line count and sha512 held against the manifest.
 */
final class TableImport {

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,128}");

    private TableImport() {
    }

    static long insert(Connection c, Table t, Path file, RegistryImport.Expected expected, Set<String> blobs) throws SQLException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException(Cause.INVALID_EXPORT, t.file() + ": missing or not a plain file");
        }
        MessageDigest sha = Integrity.newSha512();
        long line = 0;
        String sql = "INSERT INTO " + t.name() + " (" + t.columnList() + ") VALUES ("
                + String.join(", ", t.columns().stream().map(x -> "?").toList()) + ")";
        // through no link, as it was looked at: a link swapped in since would read a file outside the export
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)), sha);
             PreparedStatement p = c.prepareStatement(sql)) {
            for (byte[] bytes; (bytes = readLine(in, t, line + 1)) != null; ) {
                line++;
                if (line > expected.lines()) {
                    throw new BackupException(Cause.INVALID_EXPORT, t.file() + " line " + line + ": more lines than the "
                            + expected.lines() + " " + BackupFormat.MANIFEST + " counts");
                }
                bind(p, t, parse(bytes, t, line), blobs, t.file() + " line " + line);
                try {
                    p.executeUpdate();
                } catch (SQLException e) {
                    throw new BackupException(Cause.INVALID_EXPORT, t.file() + " line " + line + ": refused by the database: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new BackupException(Cause.IO, t.file() + ": cannot read: " + e.getMessage(), e);
        }
        if (line != expected.lines()) {
            throw new BackupException(Cause.INVALID_EXPORT, t.file() + ": " + line + " line(s), " + BackupFormat.MANIFEST + " says " + expected.lines());
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(expected.sha512())) {
            throw new BackupException(Cause.INTEGRITY, t.file() + ": its sha512 is not the one in " + BackupFormat.MANIFEST + " (changed or corrupted)");
        }
        return line;
    }

    private static byte[] readLine(InputStream in, Table t, long line) {
        try {
            return BackupFormat.readLine(in, BackupFormat.MAX_LINE);
        } catch (IOException e) {
            throw new BackupException(Cause.INVALID_EXPORT, t.file() + " line " + line + ": " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] bytes, Table t, long line) {
        JsonNode row;
        try {
            row = JSON.readTree(bytes);
        } catch (IOException e) {
            row = null;
        }
        if (row == null || !row.isObject()) {
            throw new BackupException(Cause.INVALID_EXPORT, t.file() + " line " + line + ": not a JSON object");
        }
        if (row.size() != t.columns().size()) {
            throw new BackupException(Cause.INVALID_EXPORT, t.file() + " line " + line + ": expected exactly the fields " + t.columnList());
        }
        return row;
    }

    private static void bind(PreparedStatement p, Table t, JsonNode row, Set<String> blobs, String where) throws SQLException {
        int i = 1;
        for (Column col : t.columns()) {
            JsonNode v = row.get(col.name());
            if (v == null || v.isNull() && !col.nullable()) {
                throw new BackupException(Cause.INVALID_EXPORT, where + ": field " + col.name() + " is missing");
            }
            if (v.isNull()) {
                p.setNull(i, col.kind() == BackupFormat.Kind.BYTES ? Types.BINARY : Types.VARCHAR);
            } else if (col.kind() == BackupFormat.Kind.NUMBER) {
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                    throw new BackupException(Cause.INVALID_EXPORT, where + ": field " + col.name() + " must be a whole number >= 0");
                }
                p.setLong(i, v.asLong());
            } else if (!v.isTextual()) {
                throw new BackupException(Cause.INVALID_EXPORT, where + ": field " + col.name() + " must be a string");
            } else if (col.kind() == BackupFormat.Kind.BYTES) {
                try {
                    p.setBytes(i, Base64.getDecoder().decode(v.asText()));
                } catch (IllegalArgumentException e) {
                    throw new BackupException(Cause.INVALID_EXPORT, where + ": field " + col.name() + " is not base64");
                }
            } else {
                p.setString(i, v.asText());
            }
            i++;
        }
        check(t, row, blobs, where);
    }

    /** What the registry relies on beyond column types: names it serves and paths it builds stay safe. */
    private static void check(Table t, JsonNode row, Set<String> blobs, String where) {
        switch (t.name()) {
            case "plugins" -> {
                String name = row.get("name").asText();
                if (!CodexNames.isPortablePluginName(name) || !row.get("name_key").asText().equals(name.toLowerCase(Locale.ROOT))) {
                    throw new BackupException(Cause.INVALID_EXPORT, where + ": not a plugin name a registry serves, or its name_key differs");
                }
            }
            case "versions" -> {
                if (!VERSION.matcher(row.get("version").asText()).matches() || !VERSION.matcher(row.get("version_release").asText()).matches()) {
                    throw new BackupException(Cause.INVALID_EXPORT, where + ": not a version");
                }
                if (!blobs.contains(row.get("integrity").asText())) {
                    throw new BackupException(Cause.INVALID_EXPORT, where + ": its blob (integrity) is not in " + BackupFormat.BLOBS + "/");
                }
                if (row.get("yanked").asLong() > 1) {
                    throw new BackupException(Cause.INVALID_EXPORT, where + ": yanked must be 0 or 1");
                }
            }
            default -> {
            }
        }
    }
}
