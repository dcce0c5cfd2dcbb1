package dev.cxpm.core.project;

import dev.cxpm.core.toml.TomlSource;
import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.toml.TomlStrings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Edits cxpm.toml the way a person would: one line added, replaced or removed in {@code [plugins]}
 * or {@code [marketplaces]}; every other byte (comments, order, blank lines) stays as it was. The
 * result is parsed again before it is written, so an edit never leaves an invalid file.
 */
public final class ProjectManifestEditor {

    private final Path file;
    private final List<String> lines;

    private ProjectManifestEditor(Path file, String text) {
        this.file = file;
        this.lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!text.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the final newline; put back by text()
        } else if (text.isEmpty()) {
            lines.clear();
        }
    }

    /** Starts from the file's current text, or an empty file when there is none. */
    public static ProjectManifestEditor open(Path projectDir) {
        Path file = projectDir.resolve(ProjectManifest.FILE_NAME);
        try {
            String text = Files.exists(file) ? FileText.read(file, TomlSource.MAX_BYTES) : "";
            return new ProjectManifestEditor(file, text.replace("\r\n", "\n"));
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    public static ProjectManifestEditor of(Path file, String text) {
        return new ProjectManifestEditor(file, text);
    }

    /** Adds or replaces {@code name = ...} in [plugins]. */
    public ProjectManifestEditor setPlugin(String name, String range, Optional<String> marketplace, boolean enabled) {
        String value;
        if (marketplace.isEmpty() && enabled) {
            value = TomlStrings.quote(range);
        } else {
            StringBuilder b = new StringBuilder("{ version = ").append(TomlStrings.quote(range));
            marketplace.ifPresent(m -> b.append(", marketplace = ").append(TomlStrings.quote(m)));
            if (!enabled) {
                b.append(", enabled = false");
            }
            value = b.append(" }").toString();
        }
        return set("plugins", name, value);
    }

    /** Adds or replaces {@code name = ...} in [marketplaces]. */
    public ProjectManifestEditor setMarketplace(String name, String source, Optional<String> ref) {
        String value = ref.isEmpty() ? TomlStrings.quote(source)
                : "{ source = " + TomlStrings.quote(source) + ", ref = " + TomlStrings.quote(ref.get()) + " }";
        return set("marketplaces", name, value);
    }

    /** Removes the plugin's line (or its own [plugins.NAME] table); true when it was there. */
    public boolean removePlugin(String name) {
        return remove("plugins", name);
    }

    public boolean removeMarketplace(String name) {
        return remove("marketplaces", name);
    }

    public String text() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** Checks the edited text parses, then replaces the file atomically. */
    public ProjectManifest write() {
        String text = text();
        ProjectManifest parsed = ProjectManifest.parse(file, text);
        try {
            TempPaths.replace(file, ".cxpm.toml", text);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
        return parsed;
    }

    // --- line editing ----------------------------------------------------------------------------

    private ProjectManifestEditor set(String table, String key, String value) {
        String line = TomlStrings.key(key) + " = " + value;
        if (findHeader(table + "." + key) >= 0 || findHeader(table + "." + TomlStrings.quote(key)) >= 0) {
            throw new UserError(UserError.Kind.CONFLICT,
                    file + " declares `" + key + "` as its own [" + table + "." + key + "] table, which cxpm does not rewrite",
                    "write it as one line in [" + table + "], e.g. " + line);
        }
        int header = findHeader(table);
        if (header < 0) {
            if (table.equals("marketplaces") && findHeader("plugins") >= 0) {
                // Marketplaces read best above the plugins that come from them.
                int at = findHeader("plugins");
                lines.addAll(at, List.of("[marketplaces]", line, ""));
                return this;
            }
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                lines.add("");
            }
            lines.add("[" + table + "]");
            lines.add(line);
            return this;
        }
        int end = tableEnd(header);
        for (int i = header + 1; i < end; i++) {
            if (isKeyLine(lines.get(i), key)) {
                String indent = lines.get(i).substring(0, lines.get(i).length() - lines.get(i).stripLeading().length());
                lines.set(i, indent + line);
                return this;
            }
        }
        int last = header;
        for (int i = header + 1; i < end; i++) {
            if (!lines.get(i).isBlank()) {
                last = i;
            }
        }
        lines.add(last + 1, line);
        return this;
    }

    private boolean remove(String table, String key) {
        for (String h : List.of(table + "." + key, table + "." + TomlStrings.quote(key))) {
            int sub = findHeader(h);
            if (sub >= 0) {
                int end = tableEnd(sub);
                lines.subList(sub, end).clear();
                return true;
            }
        }
        int header = findHeader(table);
        if (header < 0) {
            return false;
        }
        int end = tableEnd(header);
        for (int i = header + 1; i < end; i++) {
            if (isKeyLine(lines.get(i), key)) {
                lines.remove(i);
                return true;
            }
        }
        return false;
    }

    private int findHeader(String table) {
        for (int i = 0; i < lines.size(); i++) {
            String s = stripComment(lines.get(i)).strip();
            if (s.startsWith("[") && !s.startsWith("[[") && s.endsWith("]")) {
                String name = String.join(".", dev.cxpm.core.toml.TomlSource.keyPartsOf(s.substring(1, s.length() - 1)));
                String wanted = String.join(".", dev.cxpm.core.toml.TomlSource.keyPartsOf(table));
                if (name.equals(wanted)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of the next table header after this one, or the end of the file. */
    private int tableEnd(int header) {
        for (int i = header + 1; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.startsWith("[")) {
                // leave the blank lines and comments that precede the next table with it
                int end = i;
                while (end - 1 > header && (lines.get(end - 1).isBlank() || lines.get(end - 1).strip().startsWith("#"))) {
                    end--;
                }
                return end;
            }
        }
        return lines.size();
    }

    private static boolean isKeyLine(String line, String key) {
        String s = line.strip();
        if (s.startsWith("#") || s.startsWith("[")) {
            return false;
        }
        int eq = s.indexOf('=');
        if (eq < 0) {
            return false;
        }
        List<String> parts = dev.cxpm.core.toml.TomlSource.keyPartsOf(s.substring(0, eq));
        return parts.size() >= 1 && parts.get(0).equals(key);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 || line.lastIndexOf('"', hash) >= 0 ? line : line.substring(0, hash);
    }
}
