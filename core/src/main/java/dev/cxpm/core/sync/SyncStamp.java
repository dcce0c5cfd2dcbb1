package dev.cxpm.core.sync;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Sha512;
import dev.cxpm.core.project.ProjectManifest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a finished sync leaves behind so that the next one can tell, without parsing anything, that
 * there is nothing to do (yarn's integrity file, pnpm's {@code .modules.yaml}): a digest of the bytes of
 * cxpm.toml, cxpm.lock, config.toml, the sync state and the policy files (present or not) as they were when sync last finished, and the
 * version directory of every locked plugin with its integrity (which {@code --frozen} checks the files against). While all four files are byte-identical and each directory
 * is still the only version of its plugin, the home is as that sync left it. Anything else (an edit by
 * hand or by Codex, {@code cxpm install}, a removed plugin) makes the stamp stale and the full check runs.
 * Kept per project in {@code $CODEX_HOME/.cxpm/sync-stamps/}; written last, so a sync that failed or
 * was killed never leaves a stamp that vouches for its half-done state.
 */
public final class SyncStamp {
    private static final String HEADER = "cxpm sync stamp 3";
    /** No file the stamp covers (manifest, lockfile, config, state, policy) is this large; one that is gets no stamp. */
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

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
            List<String> lines = Files.readAllLines(file(projectDir, home), StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(HEADER) || !lines.get(1).equals(digest(projectDir, home, policyFiles))) {
                return Optional.empty();
            }
            List<String> dirs = lines.subList(2, lines.size());
            for (String line : dirs) {
                int tab = line.lastIndexOf('\t');
                String versionDir = line.substring(0, tab);
                if (!isTheOnlyVersion(new File(versionDir)) || readContents
                        && !Doctor.sameContent(Path.of(versionDir), Integrity.parse(line.substring(tab + 1)))) {
                    return Optional.empty();
                }
            }
            return Optional.of(dirs.size());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no stamp, or an unreadable one: the full check decides
        }
    }

    /**
     * Records the home as it is now, after a sync of this project finished under the policy policyFiles decide (the
     * policy was checked in full: the stamp vouches for it while their bytes stay the same). Best effort: a stamp only
     * saves time.
     */
    static void write(Path projectDir, CodexHome home, Lockfile lock, List<Path> policyFiles) {
        try {
            StringBuilder b = new StringBuilder(HEADER).append('\n').append(digest(projectDir, home, policyFiles)).append('\n');
            // Only names the paths (nothing is written through them): the directories on the way are not looked at again
            // for every plugin.
            CodexHome naming = home.provingEachDirOnce();
            for (LockedPlugin p : lock.plugins().values()) {
                b.append(p.versionDirIn(naming)).append('\t').append(p.integrity()).append('\n');
            }
            Path file = file(projectDir, home);
            Files.createDirectories(file.getParent());
            Path tmp = TempPaths.file(file.getParent(), ".stamp", ".tmp");
            try {
                Files.writeString(tmp, b, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            forget(projectDir, home);
        }
    }

    /** Drops the stamp (before a sync changes anything, so a failure cannot leave it vouching for the old state). */
    static void forget(Path projectDir, CodexHome home) {
        try {
            Files.deleteIfExists(file(projectDir, home));
        } catch (IOException e) {
            // a stale stamp is harmless: its digest no longer matches the files a sync changes
        }
    }

    private static boolean isTheOnlyVersion(File versionDir) {
        // java.io.File: one native call lists the names, where a no-op running this once per plugin spent ~80 us each on
        // a cold JVM in a DirectoryStream's interpreted iterator and Path objects (and linked the first lambda, its
        // close action); an unreadable or missing directory lists as null: not the only version, the full check decides
        if (!versionDir.isDirectory()) {
            return false;
        }
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

    private static Path file(Path projectDir, CodexHome home) {
        return home.dir().resolve(".cxpm").resolve("sync-stamps").resolve(sha512(projectDir.toAbsolutePath().normalize().toString()
                .getBytes(StandardCharsets.UTF_8)).substring(0, 32));
    }

    private static String digest(Path projectDir, CodexHome home, List<Path> policyFiles) throws IOException {
        Sha512 md = new Sha512(); // not MessageDigest: the security providers' set-up is most of a cold no-op's hashing
        List<Path> files = new ArrayList<>(List.of(projectDir.resolve(ProjectManifest.FILE_NAME), projectDir.resolve(Lockfile.FILE_NAME),
                home.configFile(), SyncState.fileOf(home)));
        files.addAll(policyFiles);
        byte[] buf = new byte[8192];
        for (Path f : files) {
            // a policy file is named by the user: only a regular file of a size any policy has can vouch (else no stamp,
            // and the full check reads and judges it); streamed, not held in memory
            if (Files.exists(f) && !Files.isRegularFile(f)) {
                throw new IOException(f + " is not a regular file");
            }
            try (InputStream in = Files.newInputStream(f)) {
                md.update((f + " present\n").getBytes(StandardCharsets.UTF_8));
                long size = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    size += n;
                    if (size > MAX_FILE_BYTES) {
                        throw new IOException(f + " is over " + MAX_FILE_BYTES + " bytes");
                    }
                }
                md.update(("\n" + size + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                md.update((f + " absent\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha512(byte[] bytes) {
        return HexFormat.of().formatHex(new Sha512().update(bytes).digest());
    }
}
