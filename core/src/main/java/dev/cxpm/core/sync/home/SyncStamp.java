package dev.cxpm.core.sync.home;

import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.digest.Sha512;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.Doctor;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished sync leaves behind so that the next one can tell, without parsing anything, that
 * there is nothing to do (yarn's integrity file, pnpm's {@code .modules.yaml}): the bytes of cxpm.toml, cxpm.lock, the
 * sync state and the policy files (present or not) as they were when sync last finished, a SHA-512 of config.toml's
 * (which may hold the tokens of MCP servers: never copied), and the version directory of every locked plugin with its
 * integrity (which {@code --frozen} checks the files against). While every file is byte-identical and each directory
 * is still the only version of its plugin, the home is as that sync left it. Anything else (an edit by
 * hand or by Codex, {@code cxpm install}, a removed plugin) makes the stamp stale and the full check runs.
 * The files' own bytes rather than a digest of them: comparing is as strict and costs a fresh JVM nothing, where
 * hashing ~30 kB with the interpreter's SHA-512 was ~3 ms of a cold no-op at 50 plugins.
 * Kept per project in {@code $CODEX_HOME/.cxpm/sync-stamps/}; written last, so a sync that failed or
 * was killed never leaves a stamp that vouches for its half-done state.
 * A stamp is junk to be ignored (the full check runs) unless it is a regular file, not a link, under real directories of
 * the home, of at most {@link #MAX_BYTES}, whose version directories are ones the home names for a plugin version.
 * Format: the header line; per file {@code PATH\tabsent}, {@code PATH\tsha512 HEX} or {@code PATH\tbytes N} followed by
 * its N bytes and a newline; a {@code --} line; {@code VERSION-DIR\tINTEGRITY} lines; an {@code end} line.
 */
public final class SyncStamp {
    private static final String HEADER = "cxpm sync stamp 4";
    private static final String END_OF_FILES = "--";
    /** The last line: a stamp cut short (by hand: it is written whole, then renamed) vouches for nothing. */
    private static final String END = "end";
    /**
     * No stamp, and so no file it covers (manifest, lockfile, config, state, policy), is larger: a real stamp holds about
     * 700 bytes a locked plugin (cxpm.toml's line, cxpm.lock's entry, the sync state's, the version directory's: 143 kB
     * at 200 plugins of bench/sync.sh's project), so this is some 23,000 plugins; a larger one is junk, and a larger
     * project gets no stamp (the full check runs). It bounds what reading a stamp holds in memory: the stamp and one
     * covered file at a time.
     */
    private static final int MAX_BYTES = 16 * 1024 * 1024;

    private SyncStamp() {
    }

    /** The number of locked plugins when the home is exactly as the last sync of this project left it. */
    public static Optional<Integer> upToDate(Path projectDir, CodexHome home) {
        return upToDate(projectDir, home, false, List.of());
    }

    /**
     * As {@link #upToDate(Path, CodexHome)}; with readContents, also every installed file is re-read and must
     * still be the locked content (each tree hashed once, for {@code sync --frozen}). policyFiles: the files that decide
     * the policy in force ({@code Policies.stampInputs}), which must hold the bytes they held when the stamp was written.
     */
    public static Optional<Integer> upToDate(Path projectDir, CodexHome home, boolean readContents, List<Path> policyFiles) {
        try {
            Path file = file(projectDir, home);
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty(); // a link, a pipe that never ends: not one cxpm wrote
            }
            Reader stamp = new Reader(FileText.bytes(file, attributes, MAX_BYTES, LinkOption.NOFOLLOW_LINKS));
            if (!HEADER.equals(stamp.line())) {
                return Optional.empty();
            }
            for (Path f : covered(projectDir, home, policyFiles)) {
                if (!stamp.holds(f, current(f), f.equals(home.configFile()))) {
                    return Optional.empty();
                }
            }
            if (!END_OF_FILES.equals(stamp.line())) {
                return Optional.empty();
            }
            int dirs = 0;
            String cache = home.pluginCache().toAbsolutePath().normalize() + File.separator;
            for (String line = stamp.line(); !END.equals(line); line = stamp.line()) {
                if (line == null) {
                    return Optional.empty();
                }
                int tab = line.lastIndexOf('\t');
                String versionDir = line.substring(0, tab);
                if (!isVersionDirIn(cache, versionDir) || !isTheOnlyVersion(new File(versionDir)) || readContents
                        && !Doctor.sameContent(Path.of(versionDir), Integrity.parse(line.substring(tab + 1)))) {
                    return Optional.empty();
                }
                dirs++;
            }
            return stamp.line() == null ? Optional.of(dirs) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no stamp, or an unreadable one: the full check decides
        }
    }

    /**
     * Records the home as it is now, after a sync of this project finished under the policy policyFiles decide (the
     * policy was checked in full: the stamp vouches for it while their bytes stay the same). Best effort: a stamp only
     * saves time.
     */
    public static void write(Path projectDir, CodexHome home, Lockfile lock, List<Path> policyFiles) {
        write(projectDir, home, lock, policyFiles, Map.of());
    }

    /**
     * As {@link #write(Path, CodexHome, Lockfile, List)}, with the bytes of covered files that the sync itself read or
     * wrote (cxpm.toml and cxpm.lock as it parsed or wrote them, the sync state it wrote), which the stamp records instead
     * of reading those files again: a stamp must describe what the sync worked from. Read again at the end, a file edited
     * while the sync ran was recorded with its new bytes, vouching for a home synced to the old ones; from the sync's own
     * bytes, such a file no longer matches the stamp and the next sync runs the full check. Files not given are read now.
     */
    public static void write(Path projectDir, CodexHome home, Lockfile lock, List<Path> policyFiles, Map<Path, byte[]> known) {
        try {
            // every part first, then one array of their size: no buffer grown by doublings and copied out again (the
            // stamp of a sync of 1,000 plugins is ~700 kB)
            List<byte[]> parts = new ArrayList<>();
            parts.add((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path f : covered(projectDir, home, policyFiles)) {
                byte[] bytes = known.containsKey(f) ? known.get(f) : current(f);
                String entry = bytes == null ? "absent"
                        : f.equals(home.configFile()) ? "sha512 " + sha512(bytes) : "bytes " + bytes.length;
                parts.add((f + "\t" + entry + "\n").getBytes(StandardCharsets.UTF_8));
                if (bytes != null && !f.equals(home.configFile())) {
                    parts.add(bytes);
                    parts.add(NEWLINE);
                }
            }
            // Only names the paths (nothing is written through them, and reading a stamp checks each line by its
            // characters: isVersionDirIn): each built from the names as CodexHome.versionDir names it, not looked at
            String cache = home.pluginCache().toAbsolutePath().normalize() + File.separator;
            StringBuilder dirs = new StringBuilder(lock.plugins().size() * (cache.length() + 160)).append(END_OF_FILES).append('\n');
            for (LockedPlugin p : lock.plugins().values()) {
                Integrity integrity = p.integrity();
                appendVersionDir(dirs, cache, p).append('\t').append(integrity.algorithm()).append('-').append(integrity.base64()).append('\n');
            }
            dirs.append(END).append('\n');
            parts.add(dirs.toString().getBytes(StandardCharsets.UTF_8));
            long size = 0;
            for (byte[] part : parts) {
                size += part.length;
            }
            if (size > MAX_BYTES) {
                throw new IOException("a stamp of " + size + " bytes would be read as junk");
            }
            byte[] stamp = new byte[(int) size];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, stamp, at, part.length);
                at += part.length;
            }
            Path file = file(projectDir, home);
            Files.createDirectories(file.getParent());
            TempPaths.replace(file, ".stamp", stamp);
        } catch (IOException | RuntimeException e) {
            forget(projectDir, home);
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    /**
     * Appends p's version directory as {@code CodexHome.versionDir} names it (cache: the plugin cache's absolute normal path
     * and a separator): three names, each one Codex accepts (a LockedPlugin holds no other: its constructor checks each, as
     * {@code MarketplaceName}, {@code PluginName} and {@code VersionDir}), so the path is already normal.
     */
    static StringBuilder appendVersionDir(StringBuilder b, String cache, LockedPlugin p) {
        return b.append(cache).append(p.marketplace()).append(File.separatorChar).append(p.name()).append(File.separatorChar)
                .append(p.version().text());
    }

    /** Drops the stamp (before a sync changes anything, so a failure cannot leave it vouching for the old state). */
    static void forget(Path projectDir, CodexHome home) {
        try {
            Files.deleteIfExists(file(projectDir, home));
        } catch (IOException | UserError e) {
            // a stale stamp is harmless: its files no longer match what a sync changes (and one behind a link is never read)
        }
    }

    /** The files whose bytes the stamp vouches for, in its order. */
    private static List<Path> covered(Path projectDir, CodexHome home, List<Path> policyFiles) {
        List<Path> files = new ArrayList<>(List.of(projectDir.resolve(ProjectManifest.FILE_NAME), projectDir.resolve(Lockfile.FILE_NAME),
                home.configFile(), SyncState.fileOf(home)));
        files.addAll(policyFiles);
        return files;
    }

    /**
     * The file's bytes, null when it is absent. A policy file is named by the user: only a regular file of a size any
     * policy has can vouch (else no stamp, and the full check reads and judges it).
     */
    private static byte[] current(Path f) throws IOException {
        try {
            // FileText's one look (following links, as exists and isRegularFile each did) answers both questions
            return FileText.bytes(f, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The stamp's bytes, read a line or a file's bytes at a time. */
    private static final class Reader {
        private final byte[] stamp;
        private int at;

        Reader(byte[] stamp) {
            this.stamp = stamp;
        }

        /** The next line without its newline; null at the end. */
        String line() {
            if (at >= stamp.length) {
                return null;
            }
            int end = at;
            while (end < stamp.length && stamp[end] != '\n') {
                end++;
            }
            String line = new String(stamp, at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            return line;
        }

        /** Whether the stamp's next entry is f with these bytes (null: absent), hashed where hashed. */
        boolean holds(Path f, byte[] bytes, boolean hashed) {
            String line = line();
            String prefix = f + "\t";
            if (line == null || !line.startsWith(prefix)) {
                return false;
            }
            String entry = line.substring(prefix.length());
            if (bytes == null) {
                return entry.equals("absent");
            }
            if (hashed) {
                return entry.equals("sha512 " + sha512(bytes));
            }
            if (!entry.equals("bytes " + bytes.length) || at + bytes.length >= stamp.length || stamp[at + bytes.length] != '\n') {
                return false;
            }
            boolean same = Arrays.equals(stamp, at, at + bytes.length, bytes, 0, bytes.length);
            at += bytes.length + 1;
            return same;
        }
    }

    /**
     * Whether dir, a stamp's line, is what {@link #write} writes there: the plugin cache's path and three names
     * ({@code MARKETPLACE/PLUGIN/VERSION}), none of them {@code .} or {@code ..}. A forged line names nothing outside the
     * cache. By its characters, not as a Path checked by CodexHome.pluginPath, which cost a cold no-op at 200 plugins 15
     * ms of its 86 ms of CPU; this costs none measurable (docs/BENCHMARKS.md, wt-tidy).
     */
    private static boolean isVersionDirIn(String cache, String dir) {
        if (!dir.startsWith(cache)) {
            return false;
        }
        int names = 0;
        for (int start = cache.length(), end; start <= dir.length(); start = end + 1, names++) {
            end = dir.indexOf(File.separatorChar, start);
            end = end < 0 ? dir.length() : end;
            String name = dir.substring(start, end);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return false;
            }
        }
        return names == 3;
    }

    private static boolean isTheOnlyVersion(File versionDir) {
        if (!Files.isDirectory(versionDir.toPath(), LinkOption.NOFOLLOW_LINKS)) {
            return false; // gone, or a link (Codex shows no plugin through one): the full check replaces it
        }
        // java.io.File: one native call lists the names, where a no-op running this once per plugin spent ~80 us each on
        // a cold JVM in a DirectoryStream's interpreted iterator and Path objects (and linked the first lambda, its
        // close action); an unreadable or missing directory lists as null: not the only version, the full check decides
        String[] names = versionDir.getParentFile().list();
        if (names == null) {
            return false;
        }
        int versions = 0;
        for (String name : names) {
            if (!name.startsWith(".") && ++versions > 1) {
                return false;
            }
        }
        return versions == 1;
    }

    /** This project's stamp, in real directories of the home (a UserError when one is a link). */
    private static Path file(Path projectDir, CodexHome home) {
        return home.inside(home.dir(), home.dir().resolve(".cxpm").resolve("sync-stamps").resolve(sha512(projectDir.toAbsolutePath()
                .normalize().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32)));
    }

    private static String sha512(byte[] bytes) {
        return HexFormat.of().formatHex(new Sha512().update(bytes).digest());
    }
}
