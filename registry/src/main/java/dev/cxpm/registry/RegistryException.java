package dev.cxpm.registry;

import java.util.List;

/**
 * A request the registry refuses, with the HTTP status it maps to, a stable code a client can
 * test, a message for a person and, for a refused publish, every problem found.
 */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Problem> problems;

    public RegistryException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public RegistryException(int status, String code, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Problem> problems() {
        return problems;
    }
}
