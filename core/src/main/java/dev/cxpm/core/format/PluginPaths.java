package dev.cxpm.core.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The path rules of plugin manifests (SPEC.md §4): a path field must start with {@code ./}, must not be
 * just {@code ./} and must not contain {@code ..}. Resolution also follows symlinks and refuses targets
 * outside the plugin root, so a hostile plugin cannot make cxpm read elsewhere; a symlink loop is simply
 * "not there" (the OS reports it at once, nothing recurses).
 */
public final class PluginPaths {
    private PluginPaths() {
    }

    /** Why Codex ignores this manifest path, or empty when the path is acceptable. */
    public static Optional<String> ruleViolation(String path) {
        if (!path.startsWith("./")) {
            return Optional.of("path must start with `./` relative to plugin root");
        }
        if (path.equals("./")) {
            return Optional.of("path must not be the plugin root itself");
        }
        if (hasParentPart(path)) {
            return Optional.of("path must not contain '..'");
        }
        return Optional.empty();
    }

    /**
     * Whether every part of path between slashes is a name: none empty (no leading, doubled or trailing slash, not an
     * empty path), none {@code .} or {@code ..}; as {@code split("/", -1)} would part it, read in place (asked of each
     * path of each store tree's index and each word of each plugin's commands in a sync).
     */
    public static boolean eachPartIsAName(String path) {
        for (int start = 0; start <= path.length(); ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int len = end - start;
            if (len == 0 || path.charAt(start) == '.' && (len == 1 || len == 2 && path.charAt(start + 1) == '.')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * Whether a part of path between slashes or backslashes is {@code ..}. Read char by char: split's regular expression
     * was compiled anew for each path, for each plugin of a cold sync.
     */
    public static boolean hasParentPart(String path) {
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/' || path.charAt(i) == '\\') {
                if (i - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** The existing file or directory a manifest path names, when it follows the rules and stays inside root. */
    public static Optional<Path> resolveInside(Path root, String path) {
        if (ruleViolation(path).isPresent()) {
            return Optional.empty();
        }
        Path p = root.resolve(path.substring(2)).normalize();
        return isInside(root, p) ? Optional.of(p) : Optional.empty();
    }

    /** True when p exists and, following every symlink, is root or below it. */
    public static boolean isInside(Path root, Path p) {
        if (!Files.exists(p)) { // asked first: not a NoSuchFileException (its stack trace) for each optional file a plugin
            return false;       // lacks, thrown and caught several times in a cold install
        }
        if (namedBelowWithoutLinks(root, p)) {
            return true;
        }
        try {
            Path realRoot = root.toRealPath();
            Path real = p.toRealPath();
            return real.startsWith(realRoot);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * {@link #isInside}, for a p expected to be there (a checked listing holds it): the same answer, without asking
     * first whether it exists, which the lstat of each name below root answers too (what p lacks then costs an exception).
     */
    public static boolean isInsideWhenListed(Path root, Path p) {
        if (namedBelowWithoutLinks(root, p)) {
            return true;
        }
        return isInside(root, p);
    }

    /**
     * True when p is named below root (no {@code .} or {@code ..} between them) and exists with no symbolic link from
     * root down to it: then p's real path is below root's whatever root's own path holds, found with one lstat per name
     * under root where resolving both whole paths reads every name from / (about 26 readlink calls a plugin in a sync).
     * Anything else (a link on the way, a name missing, a {@code ..}) takes the full resolution.
     */
    private static boolean namedBelowWithoutLinks(Path root, Path p) {
        if (!p.startsWith(root) || p.equals(root)) {
            return false;
        }
        Path q = root;
        for (Path name : root.relativize(p)) {
            String s = name.toString();
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                return false;
            }
            q = q.resolve(name);
            try {
                if (Files.readAttributes(q, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
                    return false;
                }
            } catch (IOException | SecurityException e) {
                return false;
            }
        }
        return true;
    }

    /** True when p exists (following links) but its real location is outside root. */
    public static boolean leavesRoot(Path root, Path p) {
        return Files.exists(p) && !isInside(root, p);
    }

    /** True when p is a symlink whose target cannot be resolved (missing, or a loop). */
    public static boolean isBrokenLink(Path p) {
        if (!Files.isSymbolicLink(p)) {
            return false;
        }
        try {
            p.toRealPath();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static boolean isRegularFileNoFollow(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }
}
