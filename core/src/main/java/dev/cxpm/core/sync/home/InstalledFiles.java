package dev.cxpm.core.sync.home;

import dev.cxpm.core.UserError;
import dev.cxpm.core.install.CommandSkills;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Whether an installed plugin directory still holds exactly its locked content. Unlike re-packing it
 * (which honours {@code .cxpmignore} and follows links to files), every entry counts: an unpacked plugin
 * has only regular files and directories, so a file added under any name, a link or a fifo is drift. The
 * integrity is computed as {@link Packer#contentIntegrity} computes it (path, executable bit and bytes of
 * each file, in path order), reading each file once; the per-file comparison runs only once drift is found. The skills
 * made of the plugin's commands ({@link CommandSkills}) are the one addition expected: made from the locked files.
 */
public final class InstalledFiles {
    private static final int BUFFER = 64 * 1024;

    private InstalledFiles() {
    }

    /** The content integrity of everything under dir; empty when it holds anything but files and directories. */
    public static Optional<Integrity> integrity(Path dir) {
        TreeMap<String, Path> files = new TreeMap<>();
        if (!walk(dir, files, new ArrayList<>())) {
            return Optional.empty();
        }
        withoutGenerated(dir, files);
        // Sha512, not MessageDigest: sync --frozen on a synced home hashes each tree, and must not set up the security providers
        dev.cxpm.core.pack.digest.Sha512 md = new dev.cxpm.core.pack.digest.Sha512();
        byte[] buf = new byte[BUFFER];
        try {
            for (var e : files.entrySet()) {
                try (InputStream in = Files.newInputStream(e.getValue())) {
                    Packer.digestFile(md, e.getKey(), executable(e.getValue()), in, buf);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(Integrity.of(md));
    }

    /** What differs between dir and the packed plugin tgz, one line each: {@code edited: PATH}, {@code added: ...}. */
    public static List<String> differences(Path dir, Path tgz) {
        TreeMap<String, Path> files = new TreeMap<>();
        List<String> others = new ArrayList<>();
        walk(dir, files, others);
        withoutGenerated(dir, files);
        Map<String, String> installed = new TreeMap<>();
        for (var e : files.entrySet()) {
            installed.put(e.getKey(), fileDigest(e.getValue()));
        }
        Map<String, String> locked = archiveDigests(tgz);
        List<String> out = new ArrayList<>();
        for (String path : new TreeSet<>(union(installed.keySet(), locked.keySet()))) {
            String have = installed.get(path);
            String want = locked.get(path);
            if (want == null) {
                out.add("added: " + path);
            } else if (have == null) {
                out.add(others.contains(path) ? "not a regular file: " + path : "deleted: " + path);
            } else if (!have.equals(want)) {
                out.add("edited: " + path);
            }
        }
        others.stream().filter(p -> !locked.containsKey(p)).forEach(p -> out.add("added: " + p + " (not a regular file)"));
        return out;
    }

    /**
     * Takes out of files the skills Codex (and cxpm's install and sync) generate from the plugin's commands
     * ({@link CommandSkills}): they are not in the locked content, but made from it. Taken out only when each is the very
     * text the installed commands make (an edited one stays in: drift, named "added"), and only all of them (a copy with
     * some but not all is drift, and placed again) or none is there (a copy placed before sync made them). A plugin with
     * no file under commands/ reads nothing more: its files under the skills' directory are its own, and count.
     */
    private static void withoutGenerated(Path dir, TreeMap<String, Path> files) {
        java.util.SortedMap<String, Path> commands = files.subMap("commands/", "commands0"); // '0' follows '/'
        if (commands.isEmpty()) {
            return;
        }
        Map<String, String> skills = CommandSkills.of(dir, commands.keySet());
        if (!skills.keySet().stream().allMatch(files::containsKey)) {
            return;
        }
        for (var s : skills.entrySet()) {
            if (sameText(files.get(s.getKey()), s.getValue())) {
                files.remove(s.getKey());
            }
        }
    }

    private static boolean sameText(Path file, String text) {
        byte[] want = text.getBytes(StandardCharsets.UTF_8);
        try {
            return Files.size(file) == want.length && java.util.Arrays.equals(Files.readAllBytes(file), want);
        } catch (IOException e) {
            return false;
        }
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Collects regular files by '/'-separated relative path; anything else goes to others. True when there is nothing else. */
    private static boolean walk(Path dir, Map<String, Path> files, List<String> others) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    if (attrs.isRegularFile()) {
                        files.put(rel, file);
                    } else {
                        others.add(rel);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            others.add("(unreadable: " + e.getMessage() + ")");
        }
        return others.isEmpty();
    }

    private static boolean executable(Path file) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class).permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }

    private static String fileDigest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (executable(file) ? "x" : "-") + digest(in);
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static String digest(InputStream in) throws IOException {
        MessageDigest md = Integrity.newSha512();
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Map<String, String> archiveDigests(Path tgz) {
        Map<String, String> out = new TreeMap<>();
        try (InputStream file = Files.newInputStream(tgz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new java.io.BufferedInputStream(file, BUFFER), BUFFER),
                     StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    String name = e.getName().startsWith(Packer.PREFIX) ? e.getName().substring(Packer.PREFIX.length()) : e.getName();
                    out.put(name, ((e.getMode() & 0100) != 0 ? "x" : "-") + digest(tar));
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.INTEGRITY, "cannot read the packed plugin " + tgz + ": " + e.getMessage(),
                    "the file is damaged; delete it (it is only a cache) and retry", e);
        }
        return out;
    }
}
