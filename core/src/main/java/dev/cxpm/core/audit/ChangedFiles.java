package dev.cxpm.core.audit;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.sync.home.InstalledFiles;
import dev.cxpm.core.sync.store.Store;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installed files changed since they were installed: the directory's content integrity (computed as {@code sync
 * --verify} computes it) against the one recorded for that version, in the project's cxpm.lock or in the Codex
 * home's sync state. When the store still holds the installed content, each changed file is named. A plugin
 * installed without a recorded integrity (plain {@code cxpm install} or {@code codex plugin add}) is not checked.
 */
public final class ChangedFiles implements AuditCheck {
    /** The integrity recorded for version of plugin ({@code name@marketplace}); where, for the message: {@code cxpm.lock}, {@code sync-state.json}. */
    public record Recorded(String plugin, String version, Integrity integrity, String where) {
    }

    static final int MAX_FILES_NAMED = 50;

    private final Map<String, Recorded> recorded = new java.util.HashMap<>();
    private final Store store;

    /** recorded: the first for a plugin and version counts (the project's lock before the home's sync state). */
    public ChangedFiles(List<Recorded> recorded, Store store) {
        recorded.forEach(r -> this.recorded.putIfAbsent(r.plugin() + " " + r.version(), r));
        this.store = store;
    }

    /** What cxpm recorded at install: the project's cxpm.lock (when in a project) over the home's sync state. */
    public static List<Recorded> recorded(Optional<dev.cxpm.core.lock.Lockfile> lock, dev.cxpm.core.sync.home.SyncState state) {
        List<Recorded> out = new java.util.ArrayList<>();
        lock.ifPresent(l -> l.plugins().values().forEach(p -> out.add(
                new Recorded(p.name() + "@" + p.marketplace(), p.version().text(), p.integrity(), "cxpm.lock"))));
        for (var e : state.plugins().entrySet()) {
            try {
                out.add(new Recorded(e.getKey(), e.getValue().version(), Integrity.parse(e.getValue().integrity()), "sync-state.json"));
            } catch (UserError bad) {
                // an entry sync could not have written: nothing recorded to compare with
            }
        }
        return out;
    }

    @Override
    public void check(AuditedPlugin plugin, Findings out) {
        Recorded r = recorded.get(plugin.id() + " " + plugin.version());
        if (r == null) {
            return;
        }
        Optional<Integrity> now = InstalledFiles.integrity(plugin.dir());
        if (now.isPresent() && now.get().equals(r.integrity())) {
            return;
        }
        String hint = "find out who changed them, then `cxpm sync --verify` reinstalls the recorded content";
        List<String> changes = List.of();
        if (store.holds(r.integrity())) {
            try {
                changes = InstalledFiles.differences(plugin.dir(), store.blob(r.integrity()));
            } catch (UserError e) {
                changes = List.of();
            }
        }
        if (changes.isEmpty()) {
            out.add(Finding.of(Severity.ERROR, "files-changed", plugin,
                    "files of " + plugin.id() + " " + plugin.version() + " changed since install (they no longer match " + r.where() + ")", hint));
            return;
        }
        for (String c : changes.subList(0, Math.min(changes.size(), MAX_FILES_NAMED))) {
            int colon = c.indexOf(": ");
            String file = colon > 0 ? c.substring(colon + 2) : null;
            out.add(Finding.at(Severity.ERROR, "files-changed", plugin, file == null ? null : PlainText.printable(file, 300), 0,
                    plugin.id() + " " + plugin.version() + " " + PlainText.printable(c, 400) + " since install (not as recorded in " + r.where() + ")", hint));
        }
        if (changes.size() > MAX_FILES_NAMED) {
            out.add(Finding.of(Severity.ERROR, "files-changed", plugin,
                    "and " + (changes.size() - MAX_FILES_NAMED) + " more files of " + plugin.id() + " changed since install", hint));
        }
    }
}
