package dev.cxpm.registry.storage.backup;

/**
 * A backup, restore or garbage collection that cannot go on, said for the operator: which file and line of an
 * export is wrong, or why the target refuses it. Nothing was written when it is thrown by an import.
 */
public final class BackupException extends RuntimeException {

    /** What the operator should look at: the export's content, or the registry's state. */
    public enum Cause { INVALID_EXPORT, INTEGRITY, NOT_EMPTY, EXISTS, IO }

    private final Cause cause;

    BackupException(Cause cause, String message) {
        super(message);
        this.cause = cause;
    }

    BackupException(Cause cause, String message, Throwable e) {
        super(message, e);
        this.cause = cause;
    }

    public Cause kind() {
        return cause;
    }
}
