package dev.cxpm.registry;

/** One reason a publish is refused: a stable code, the file inside the archive (or null) and a message. */
public record Problem(String code, String file, String message) {
}
