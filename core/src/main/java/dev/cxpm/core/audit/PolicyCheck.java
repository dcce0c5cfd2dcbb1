package dev.cxpm.core.audit;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.install.PluginGate;
import java.util.List;
import java.util.function.Function;

/**
 * An installed plugin the policy in force would not let in now (a deny added since it was installed, or a plugin
 * installed by {@code codex plugin add}, which knows nothing of cxpm's policy): each rule it breaks, with its file and line.
 */
public final class PolicyCheck implements AuditCheck {
    private final PluginGate gate;
    private final Function<AuditedPlugin, PluginGate.Candidate> candidate;

    /** {@code candidate}: the plugin as install would show it to the gate (its marketplace's entry, registry, version, files). */
    public PolicyCheck(PluginGate gate, Function<AuditedPlugin, PluginGate.Candidate> candidate) {
        this.gate = gate;
        this.candidate = candidate;
    }

    @Override
    public void check(AuditedPlugin plugin, Findings out) {
        try {
            gate.check(List.of(candidate.apply(plugin)));
        } catch (UserError e) {
            if (e.kind() != UserError.Kind.POLICY) {
                out.note(new Note("policy-unchecked", plugin.id(), null, "the policy could not be checked: " + PlainText.printable(e.getMessage(), 300)));
                return;
            }
            List<UserError.Blocked> blocked = e.blocked().isEmpty()
                    ? List.of(new UserError.Blocked(plugin.id(), "policy", null, 0, e.getMessage())) : e.blocked();
            for (UserError.Blocked b : blocked) {
                String where = b.file() == null ? "" : " (" + b.file() + (b.line() > 0 ? ":" + b.line() : "") + ")";
                out.add(Finding.of(Severity.ERROR, "policy-violation", plugin,
                        PlainText.printable("installed, but the policy refuses it: " + b.reason() + " by rule " + b.rule() + where, 600),
                        "uninstall it (cxpm uninstall " + plugin.id() + "), or change the rule if it should be allowed"));
            }
        }
    }
}
