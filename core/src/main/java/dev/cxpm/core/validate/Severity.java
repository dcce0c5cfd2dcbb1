package dev.cxpm.core.validate;

/** How bad a problem is: an ERROR makes the plugin or marketplace invalid, a WARNING does not. */
public enum Severity { ERROR, WARNING }
