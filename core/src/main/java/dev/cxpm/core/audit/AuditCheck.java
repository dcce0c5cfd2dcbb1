package dev.cxpm.core.audit;

/**
 * One kind of audit check over an installed plugin. Checks are independent: each adds what it finds to
 * {@link Findings}, and must neither throw on hostile plugin content nor read more than a bounded amount
 * of it (a plugin that cannot be read is a {@link Note}). New checks (policy, approvals) plug in here.
 */
public interface AuditCheck {

    void check(AuditedPlugin plugin, Findings out);
}
