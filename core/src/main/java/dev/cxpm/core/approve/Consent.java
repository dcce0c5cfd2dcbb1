package dev.cxpm.core.approve;

/**
 * Who answers for a plugin whose run surface is not approved: a person at a terminal (the command line asks them), an
 * explicit {@code --yes}, or nobody (stdin is not a terminal): then the command stops before anything is written.
 */
@FunctionalInterface
public interface Consent {
    /** True when request is approved now; it is then recorded as the user's approval. */
    boolean grant(ApprovalRequest request);

    // Classes, not lambdas: loading this interface made both, and a fresh JVM's first lambda links the method-handle
    // machinery (~3 ms of a cold list, which never asks anyone)

    /** Nobody can answer: never approves. */
    Consent NOBODY = new Consent() {
        @Override
        public boolean grant(ApprovalRequest request) {
            return false;
        }
    };

    /** {@code --yes}: what the command shows is approved. */
    Consent YES = new Consent() {
        @Override
        public boolean grant(ApprovalRequest request) {
            return true;
        }
    };
}
