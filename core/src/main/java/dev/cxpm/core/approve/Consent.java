package dev.cxpm.core.approve;

/**
 * Who answers for a plugin whose run surface is not approved: a person at a terminal (the command line asks them), an
 * explicit {@code --yes}, or nobody (stdin is not a terminal): then the command stops before anything is written.
 */
@FunctionalInterface
public interface Consent {
    /** True when request is approved now; it is then recorded as the user's approval. */
    boolean grant(ApprovalRequest request);

    /** Nobody can answer: never approves. */
    Consent NOBODY = r -> false;

    /** {@code --yes}: what the command shows is approved. */
    Consent YES = r -> true;
}
