package dev.cxpm.core.approve;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rule for a user's own installs ({@code cxpm install}): a plugin that runs nothing passes; one whose run surface is
 * the one this user approved for it passes; otherwise the {@link Consent} is asked, and without it the install stops
 * before anything is written, with what would run (or the diff from the approved) and the command that approves it.
 */
public final class ApprovalGate {
    private ApprovalGate() {
    }

    public static void checkUserInstall(CodexHome home, String pluginId, RunSurface now, Consent consent) {
        if (now.isEmpty()) {
            return;
        }
        UserApprovals approvals = UserApprovals.read(home);
        Optional<UserApprovals.Approval> before = approvals.approved(pluginId);
        if (before.isPresent() && before.get().hash().equals(now.hash())) {
            return;
        }
        ApprovalRequest request = new ApprovalRequest(pluginId, now, before.map(UserApprovals.Approval::runs), Optional.empty());
        if (consent.grant(request)) {
            approvals.withApproved(pluginId, now).write();
            return;
        }
        approvals.withPending(pluginId, now).write();
        throw unapproved(List.of(request), "review it, then run `cxpm approve " + pluginId
                + "` and this command again (or run it again with --yes)");
    }

    /** The one error every command stops with: each plugin with its diff (or all it runs), nothing written. */
    public static UserError unapproved(List<ApprovalRequest> requests, String hint) {
        List<String> lines = new ArrayList<>();
        lines.add(requests.size() == 1 ? "a plugin would run code that is not approved; nothing was changed:"
                : requests.size() + " plugins would run code that is not approved; nothing was changed:");
        requests.forEach(r -> r.describe().forEach(l -> lines.add("  " + l)));
        return new UserError(UserError.Kind.UNAPPROVED, String.join("\n", lines), hint);
    }
}
