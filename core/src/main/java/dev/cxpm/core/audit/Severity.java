package dev.cxpm.core.audit;

import java.util.Locale;

/** How bad an audit finding is; {@code --fail-on} names the lowest that fails the audit. */
public enum Severity {
    ERROR, WARNING;

    /** True when this severity is as bad as threshold or worse. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** The word used in output and in {@code --fail-on}: {@code error}, {@code warning}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
