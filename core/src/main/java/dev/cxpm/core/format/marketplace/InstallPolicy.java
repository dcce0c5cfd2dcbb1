package dev.cxpm.core.format.marketplace;

/** A marketplace entry's {@code policy.installation}; Codex's default is AVAILABLE. */
public enum InstallPolicy { NOT_AVAILABLE, AVAILABLE, INSTALLED_BY_DEFAULT }
