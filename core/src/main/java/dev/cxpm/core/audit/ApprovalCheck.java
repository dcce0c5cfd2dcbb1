package dev.cxpm.core.audit;

import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.RunHash;
import dev.cxpm.core.approve.RunSurface;
import dev.cxpm.core.approve.UserApprovals;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import java.util.Optional;

/**
 * An installed plugin that runs something (MCP servers, hooks, apps) nobody approved as it is now: installed by
 * {@code codex plugin add}, edited in place, or approved before it changed. Approved means the hash of what it runs
 * equals the user's approval or, in a project, the {@code approved} of its entry in {@code cxpm.lock}.
 */
public final class ApprovalCheck implements AuditCheck {
    private final UserApprovals user;
    private final Optional<Lockfile> lock;

    public ApprovalCheck(UserApprovals user, Optional<Lockfile> lock) {
        this.user = user;
        this.lock = lock;
    }

    @Override
    public void check(AuditedPlugin plugin, Findings out) {
        if (plugin.manifest().isEmpty()) {
            return; // a manifest Codex cannot read runs nothing
        }
        RunSurface runs;
        try {
            runs = RunSurface.of(plugin.manifest().get());
        } catch (UserError | java.io.UncheckedIOException e) {
            return; // nor does a configuration it cannot read
        }
        if (runs.isEmpty()) {
            return;
        }
        RunHash now = runs.hash();
        boolean byUser = user.approved(plugin.id()).map(a -> a.hash().equals(now)).orElse(false);
        boolean byLock = lock.map(l -> l.plugins().get(plugin.name()))
                .filter(l -> l.marketplace().equals(plugin.marketplace()))
                .flatMap(LockedPlugin::approved).map(now::equals).orElse(false);
        if (!byUser && !byLock) {
            out.add(Finding.of(Severity.WARNING, "unapproved", plugin,
                    "runs code nobody approved as it is now (" + runs.entries().size() + " thing(s): MCP servers, hooks or apps; " + now.text() + ")",
                    "review it with cxpm approve " + plugin.id() + " (it shows what runs), or uninstall it"));
        }
    }
}
