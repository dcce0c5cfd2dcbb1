package dev.cxpm.registry;

import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.registry.publish.SemverGate;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plugin's owners (and admins) may do to it after publishing: yank and deprecate its versions,
 * add and remove owners. Whether the token's scope allows the action was checked before
 * (RegistryServer's Access); this is about the user. Each change is audited in its own transaction ({@link AuditLog});
 * {@link Registry} tells its listeners of the change.
 */
final class Owners {

    private final RegistryDatabase db;
    private final SemverGate surfaces;
    private final AuditLog audit;

    Owners(RegistryDatabase db, SemverGate surfaces, AuditLog audit) {
        this.db = db;
        this.surfaces = surfaces;
        this.audit = audit;
    }

    void yank(Caller caller, String plugin, String version, boolean yanked) {
        if (db.version(plugin, version).isEmpty()) {
            throw new RegistryException(404, "not-found", "no version " + plugin + "@" + version);
        }
        if (!caller.isAdmin() && !db.owners(plugin).contains(caller.user())) {
            throw new RegistryException(403, "not-owner", "you are not an owner of '" + plugin + "'");
        }
        db.transaction(() -> {
            if (db.setYanked(plugin, version, yanked, yanked ? RegistryDatabase.VersionRule.NONE : surfaces.restore(plugin, version))) {
                audit.record(caller, yanked ? "yank" : "unyank", plugin, version, null);
            }
            return null;
        });
    }

    void requireOwner(Caller caller, String plugin, String action) {
        if (db.plugin(plugin).isEmpty()) {
            throw new RegistryException(404, "not-found", "no plugin '" + plugin + "'");
        }
        if (!caller.isAdmin() && !db.owners(plugin).contains(caller.user())) {
            throw new RegistryException(403, "not-owner", "you are not an owner of '" + plugin + "', so you may not " + action + " it");
        }
    }

    /**
     * Marks every version in the range (all when null) deprecated with the message, or clears it
     * when the message is blank. Returns the versions changed.
     */
    List<String> deprecate(Caller caller, String plugin, String range, String message) {
        requireOwner(caller, plugin, "deprecate versions of");
        String msg = message == null || message.isBlank() ? null : message.strip();
        VersionRange r = range == null || range.isBlank() ? VersionRange.ANY
                : VersionRange.parse(range).filter(VersionRange::isSemverRange)
                        .orElseThrow(() -> new RegistryException(400, "invalid-range", "not a version range: " + range));
        List<VersionRow> versions = db.versions(plugin);
        // one transaction: the versions changed and the one audit row that says so
        return db.transaction(() -> {
            List<String> changed = new ArrayList<>();
            for (VersionRow v : versions) {
                boolean inRange = r.includes(PluginVersion.of(v.version()));
                if (inRange && db.setDeprecated(plugin, v.version(), msg)) {
                    changed.add(v.version());
                }
            }
            if (!changed.isEmpty()) {
                var details = AuditLog.details().put("range", r.text()).put("message", msg);
                changed.forEach(details.putArray("versions")::add);
                audit.record(caller, msg == null ? "undeprecate" : "deprecate", plugin, null, details);
            }
            return changed;
        });
    }

    void add(Caller caller, String plugin, String user) {
        requireOwner(caller, plugin, "change the owners of");
        Tokens.requireUserName(user);
        db.transaction(() -> {
            db.addOwner(plugin, user);
            audit.record(caller, "owner-add", plugin, null, AuditLog.details().put("user", user));
            return null;
        });
    }

    void remove(Caller caller, String plugin, String user) {
        requireOwner(caller, plugin, "change the owners of");
        List<String> owners = db.owners(plugin);
        if (!owners.contains(user)) {
            throw new RegistryException(404, "not-found", user + " is not an owner of '" + plugin + "'");
        }
        if (owners.size() == 1) {
            throw new RegistryException(409, "last-owner", "'" + plugin + "' would have no owner left; add another owner first");
        }
        db.transaction(() -> {
            db.removeOwner(plugin, user);
            audit.record(caller, "owner-remove", plugin, null, AuditLog.details().put("user", user));
            return null;
        });
    }
}
