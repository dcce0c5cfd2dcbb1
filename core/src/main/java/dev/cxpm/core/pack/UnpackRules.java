package dev.cxpm.core.pack;

import dev.cxpm.core.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The rules each entry of an untrusted archive must pass before anything is written for it ({@link Unpacker}'s class
 * comment lists them): a safe relative path, a regular file named once, within the size limits. A refusal names the
 * entry and writes nothing.
 */
final class UnpackRules {
    private UnpackRules() {
    }

    /** A file entry is a regular file inside the archive's top directory, named once (check and extract alike). */
    static void admitFile(Path tgz, TarArchiveEntry e, String rel, Set<String> seen) {
        if (!Unpacker.isRegularFile(e)) {
            throw refused(tgz, "entry " + e.getName() + " is a " + typeName(e) + "; only files and directories are allowed");
        }
        if (e.isSparse() || e.isPaxGNU1XSparse()) { // no packer writes one, and commons-compress reads a map of many holes by recursing per hole
            throw refused(tgz, "entry " + e.getName() + " is a sparse file; only plain files and directories are allowed");
        }
        if (rel.isEmpty()) {
            throw refused(tgz, "entry " + e.getName() + " is a file outside the archive's top directory");
        }
        if (!seen.add(rel)) {
            throw refused(tgz, "entry " + e.getName() + " appears twice");
        }
    }

    /** The total after file entry e, refused past the limit for one file or for all of them (check and extract alike). */
    static long withinSizeLimits(PackLimits limits, Path tgz, TarArchiveEntry e, long total) {
        if (e.getSize() > limits.maxFileBytes()) {
            throw refused(tgz, "entry " + e.getName() + " is " + Sizes.human(e.getSize()) + ", over the "
                    + Sizes.human(limits.maxFileBytes()) + " limit for one file");
        }
        long sum = total + e.getSize();
        if (sum > limits.maxTotalBytes()) {
            throw refused(tgz, "its files total more than " + Sizes.human(limits.maxTotalBytes()));
        }
        return sum;
    }

    static String safeRelativePath(Path tgz, String name) {
        if (name.length() > PackLimits.MAX_PATH) {
            throw refused(tgz, "entry " + name.substring(0, 80) + "... has a path longer than " + PackLimits.MAX_PATH + " characters");
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw refused(tgz, "entry " + printable(name) + " has a NUL or backslash in its path");
        }
        if (name.startsWith("/") || driveLetterPath(name)) {
            throw refused(tgz, "entry " + name + " has an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String seg : name.split("/")) {
            if (seg.equals("..")) {
                throw refused(tgz, "entry " + name + " contains '..'");
            }
            if (!seg.isEmpty() && !seg.equals(".")) {
                parts.add(seg);
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        return String.join("/", parts.subList(1, parts.size()));
    }

    /**
     * Records directory dir (a directory entry, or a file's parent) and those above it not recorded yet in dirs, and
     * returns the new ones, outermost first (to be made in that order). Each is refused when a file of that path was
     * seen, and past the limit of entries the archive is refused, whether its directories were listed or implied by
     * deep paths: a small archive must not make a client create millions of directories. Climbs only to the first
     * directory already recorded (whose own parents were checked with it), so an entry costs about its path's length.
     */
    static List<String> newDirectories(Path tgz, PackLimits limits, String dir, Set<String> files, Set<String> dirs) {
        List<String> made = new ArrayList<>();
        for (String d = dir; !d.isEmpty() && !dirs.contains(d); d = d.substring(0, Math.max(d.lastIndexOf('/'), 0))) {
            if (files.contains(d)) {
                throw refused(tgz, "entry " + d + " is both a file and a directory");
            }
            made.add(d);
        }
        if (dirs.size() + made.size() > limits.maxEntries()) {
            throw refused(tgz, "it has more than " + limits.maxEntries() + " directories");
        }
        dirs.addAll(made);
        return made.reversed();
    }

    /**
     * What {@code name.matches("^[A-Za-z]:.*")} answered (a Windows drive's path; '.' takes no line terminator), without
     * compiling that expression for every entry: a first sync asks it of each file it copies into the store, interpreted.
     */
    static boolean driveLetterPath(String name) {
        if (name.length() < 2 || name.charAt(1) != ':' || !(name.charAt(0) >= 'A' && name.charAt(0) <= 'Z'
                || name.charAt(0) >= 'a' && name.charAt(0) <= 'z')) {
            return false;
        }
        for (int i = 2; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static String typeName(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return "symbolic link (to " + e.getLinkName() + ")";
        }
        if (e.isLink()) {
            return "hard link (to " + e.getLinkName() + ")";
        }
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            return "device file";
        }
        if (e.isFIFO()) {
            return "fifo";
        }
        return "special entry (type '" + (char) e.getLinkFlag() + "')";
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    static UserError refused(Path tgz, String why) {
        return new UserError(UserError.Kind.INVALID_INPUT, "refusing to unpack " + tgz.getFileName() + ": " + why,
                "the archive is corrupt or hostile; nothing was written");
    }
}
