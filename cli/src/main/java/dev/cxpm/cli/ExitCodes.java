package dev.cxpm.cli;

import dev.cxpm.core.UserError;

/** The exit codes cxpm documents in README.md, and the one place a failure becomes one. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The input is invalid (validate found an error) or the command failed on it. */
    public static final int INVALID = 1;
    /** Bad usage: unknown option, missing or malformed argument. */
    public static final int USAGE = 2;
    /** {@code outdated} found something newer: npm's convention, so a CI step can fail on it. */
    public static final int OUTDATED = 1;
    /** {@code audit} found something at or above {@code --fail-on}: its report is printed, as {@code doctor} prints drift. */
    public static final int AUDIT_FAILED = 1;
    public static final int NOT_FOUND = 3;
    static final int NETWORK = 4;
    public static final int INTEGRITY = 5;
    public static final int CONFLICT = 6;
    public static final int IO = 7;
    /** A policy (cxpm's or Codex's requirements.toml) refused the action. */
    static final int POLICY = 8;
    /** A plugin would run code that is not approved ({@code cxpm approve}); nothing was written. */
    static final int UNAPPROVED = 9;
    /** A bug in cxpm: an unexpected exception. */
    public static final int INTERNAL = 70;
    /**
     * The reader of stdout went away before all of it was written ({@code cxpm search x | head -1}): 128 + SIGPIPE, how
     * git and other Unix tools end then, on every path (a JVM of its own, which ignores the signal, and the launcher
     * answered by the daemon).
     */
    static final int BROKEN_PIPE = 141;

    private ExitCodes() {
    }

    public static int of(UserError.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> INVALID;
            case USAGE -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case NETWORK -> NETWORK;
            case INTEGRITY -> INTEGRITY;
            case CONFLICT -> CONFLICT;
            case IO -> IO;
            case POLICY -> POLICY;
            case UNAPPROVED -> UNAPPROVED;
        };
    }

    /** The stable name scripts read in {@code --json} errors ({@code error.code}), one per exit code. */
    public static String name(UserError.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> "invalid-input";
            case USAGE -> "usage";
            case NOT_FOUND -> "not-found";
            case NETWORK -> "network";
            case INTEGRITY -> "integrity";
            case CONFLICT -> "conflict";
            case IO -> "io";
            case POLICY -> "policy";
            case UNAPPROVED -> "unapproved";
        };
    }
}
