package dev.cxpm.core.format.marketplace;

/** A marketplace entry's {@code policy.authentication}; Codex's default is ON_INSTALL. */
public enum AuthPolicy { ON_INSTALL, ON_USE }
