package dev.cxpm.registry;

/**
 * One reason a publish is refused: a stable code, where (the entry inside the archive, with {@code :line} when
 * known, or null) and a message, which is the {@code problems} shape of the publish API. Not the foundation's
 * {@code validate.Problem} on purpose: {@code file} here is the name an untrusted tar header gave, which may be
 * no valid path on this machine (a NUL byte, {@code ..}, an absolute name) and must be shown as written;
 * {@code publish.StrictRules} turns the foundation's problems into this shape.
 */
public record Problem(String code, String file, String message) {
}
