package dev.cxpm.core;

/**
 * The one failure a user sees: a message that says what went wrong and, where we know it, how to
 * fix it. Its {@link Kind} decides the process exit code, in one place ({@code cli.ExitCodes}).
 * Anything else that escapes a command is a bug and is reported as such.
 */
public final class UserError extends RuntimeException {

    /** What kind of failure this is; each kind has one documented exit code. */
    public enum Kind {
        /** The input (a plugin, a manifest, a lockfile) is invalid. */
        INVALID_INPUT,
        /** The command line itself is wrong: unknown option, missing argument. */
        USAGE,
        /** Something named does not exist: a plugin, a marketplace, a version. */
        NOT_FOUND,
        /** Network, git or registry could not be reached or failed. */
        NETWORK,
        /** Integrity or lockfile mismatch. */
        INTEGRITY,
        /** Another cxpm holds the lock, or the state on disk prevents the action. */
        CONFLICT,
        /** Reading or writing files failed (permissions, disk full). */
        IO
    }

    private final Kind kind;
    private final String hint;

    public UserError(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public UserError(Kind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public UserError(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    /** How to fix it, or null. */
    public String hint() {
        return hint;
    }
}
