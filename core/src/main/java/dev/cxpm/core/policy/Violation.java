package dev.cxpm.core.policy;

/** What a policy refuses: the thing (a plugin, a marketplace, an MCP server), the rule, where it is written, and why. */
public record Violation(String subject, String rule, Where where, String reason) {

    /** {@code evil@fx: plugins.deny "evil-*" (/etc/cxpm/policy.toml:3): the plugin name is denied}. */
    public String line() {
        return subject + ": " + reason + ", by " + rule + " (" + where + ")";
    }
}
