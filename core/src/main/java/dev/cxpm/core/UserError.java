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
        IO,
        /** A policy (cxpm's or Codex's requirements.toml) does not allow the action. */
        POLICY,
        /** A plugin would run code (MCP servers, hooks, apps) that is not approved, and nobody approved it now. */
        UNAPPROVED
    }

    /** One thing a policy refused: what, by which rule, written where (line 0: unknown), and why. */
    public record Blocked(String subject, String rule, String file, int line, String reason) {
    }

    private final Kind kind;
    private final String hint;
    private java.util.List<Blocked> blocked = java.util.List.of();

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

    /** What a policy refused, for {@code --json} errors; empty unless the kind is POLICY. */
    public java.util.List<Blocked> blocked() {
        return blocked;
    }

    public UserError withBlocked(java.util.List<Blocked> what) {
        this.blocked = java.util.List.copyOf(what);
        return this;
    }

    /** How to fix it, or null. File system failures without a hint of their own get one from their cause. */
    public String hint() {
        if (hint != null || kind != Kind.IO) {
            return hint;
        }
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.AccessDeniedException) {
                return "check that you may write there (file permissions, or a read-only file system)";
            }
            if (t instanceof java.nio.file.FileSystemException fs && fs.getReason() != null && fs.getReason().contains("No space left")) {
                return "the disk is full: free some space and run the command again";
            }
        }
        return null;
    }

    /** What an I/O failure means in the user's words: the JDK often gives no message, only an exception type. */
    public static String reason(java.io.IOException e) {
        return reason(e, null);
    }

    /**
     * The same, naming host when the name did not resolve: the JDK's HTTP client reports an unknown host as a
     * ConnectException with no message around an UnresolvedAddressException, which would read "connection refused".
     */
    public static String reason(java.io.IOException e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                String name = host != null ? host : t.getMessage();
                return name == null || name.isBlank() ? "unknown host" : "unknown host " + name;
            }
        }
        return switch (e) {
            case java.net.http.HttpConnectTimeoutException t -> "connection timed out";
            case java.net.http.HttpTimeoutException t -> "no answer in time";
            case java.net.ConnectException c -> "connection refused";
            default -> e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
