package dev.cxpm.core.sync.store;

import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.pack.digest.Sha512;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a local plugin directory (a marketplace on disk) packed to the last time it was packed into the store, with how
 * its files looked then: {@code local/<a digest of the directory's path>} in the store, one line, the content integrity
 * and a digest of the look. A sync or update that finds every file the pack would hold looking the same (the same
 * paths, executable bits, sizes, modification and change times, inodes) takes that integrity instead of packing the
 * directory again to learn it, as git trusts its index and cargo a path dependency's fingerprint. The change time is in
 * the look because a user cannot set it back: a file rewritten with its size kept and its modification time restored
 * ({@code cp -p}, {@code touch -d}) is packed again. A file changed within {@link #SETTLED_NANOS} before its look was taken
 * may change again with the same times (file system clocks tick coarsely): then nothing is recorded, and the next run
 * packs. Whatever looks different, or cannot be looked at, is packed: a stale integrity is worse than a slow one.
 * Records are a cache of shortcuts: one that is not a small regular file is none (replaced when the plugin is packed),
 * and a store keeps about {@link #MAX_RECORDS} of them ({@link #prune}).
 */
final class LocalPacks {

    /** How long before a look a file must have last changed for its times to tell a later change apart. */
    static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The look's format and the packing rules it stands for: a new cxpm that packs differently changes it. */
    private static final String FORMAT = "cxpm-local-pack 1";
    private static final int MAX_RECORD_BYTES = 1024;
    /** The directory of the store that holds the records. */
    private static final String LOCAL = "local";
    /** How many records a store keeps at most, as a rule ({@link #prune}): some 40 MB of 4 kB blocks. */
    static final int MAX_RECORDS = 10_000;

    private final Store store;
    private final Clock clock;
    private final int maxRecords;
    /** The names of the records this run read or wrote: never pruned by it. */
    private final Set<String> inUse = ConcurrentHashMap.newKeySet();
    /** Whether this run wrote a record (only then may there be too many). */
    private volatile boolean wrote;

    LocalPacks(Store store, Clock clock) {
        this(store, clock, MAX_RECORDS);
    }

    LocalPacks(Store store, Clock clock, int maxRecords) {
        this.store = store;
        this.clock = clock;
        this.maxRecords = maxRecords;
    }

    /**
     * How a plugin directory's files look now: what a pack would hold (listing, the packer's own, its limits checked:
     * the pack takes the same listing), with each file's times and inode; empty when the listing leaves a link out (the
     * pack reports that, so it runs) or a file cannot be looked at this way.
     */
    Optional<Look> look(Packer.Listing listing) {
        Instant at = clock.instant();
        long now = TimeUnit.SECONDS.toNanos(at.getEpochSecond()) + at.getNano();
        if (listing.excluded().stream().anyMatch(e -> e.reason().contains("symlink"))) {
            return Optional.empty();
        }
        Sha512 md = new Sha512();
        md.update(FORMAT.getBytes(StandardCharsets.UTF_8));
        long newest = Long.MIN_VALUE;
        try {
            for (Packer.Entry e : listing.entries()) {
                // source is the file itself, or the real file a link inside the plugin names (packed with its content)
                Map<String, Object> a = Files.readAttributes(e.source(), "unix:size,lastModifiedTime,ctime,ino,dev", LinkOption.NOFOLLOW_LINKS);
                long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
                newest = Math.max(newest, Math.max(mtime, ctime));
                byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
                md.update(longs(path.length, e.executable() ? 1 : 0, (Long) a.get("size"), mtime, ctime, (Long) a.get("ino"), (Long) a.get("dev")));
                md.update(path);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException cannotLook) {
            return Optional.empty();
        }
        return Optional.of(new Look(listing.root(), HexFormat.of().formatHex(md.digest()), newest < now - SETTLED_NANOS));
    }

    /** How a directory's packed files looked: a digest, and whether they had settled (see {@link #SETTLED_NANOS}). */
    record Look(Path dir, String digest, boolean settled) {
    }

    /** The content integrity the directory packed to when it last looked like this, if the store still has it. */
    Optional<Integrity> packedTo(Look look) {
        String text;
        try {
            Path record = record(look.dir());
            inUse.add(record.getFileName().toString());
            // not followed: a link, a directory, a pipe at a record's name is no record (NotRegularFile), nor a file too
            // large to be one (TooLarge), nor one that is not UTF-8: the plugin is packed, and recorded again
            text = FileText.utf8(FileText.bytes(record, MAX_RECORD_BYTES, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException noneOrNoRecord) {
            return Optional.empty();
        }
        String[] parts = text.strip().split(" ");
        if (parts.length != 2 || !parts[1].equals(look.digest())) {
            return Optional.empty();
        }
        try {
            Integrity integrity = Integrity.parse(parts[0]);
            return store.has(integrity) ? Optional.of(integrity) : Optional.empty();
        } catch (RuntimeException damaged) {
            return Optional.empty();
        }
    }

    /**
     * Records that the directory, looking as it did before it was packed, packed to integrity; nothing when its files had
     * not settled. Whatever is at the record's name is replaced (a link itself, not what it names; a directory deleted
     * first). A record that cannot be written is left out: the next run packs again.
     */
    void packed(Look look, Integrity integrity) {
        if (!look.settled()) {
            return;
        }
        Path record = record(look.dir());
        inUse.add(record.getFileName().toString());
        String text = integrity + " " + look.digest() + "\n";
        try {
            try {
                TempPaths.replace(record, ".local-", text);
            } catch (NoSuchFileException noDirYet) {
                Files.createDirectories(record.getParent());
                TempPaths.replace(record, ".local-", text);
            } catch (IOException inTheWay) { // a file is not renamed over a directory
                if (!Files.isDirectory(record, LinkOption.NOFOLLOW_LINKS)) {
                    throw inTheWay;
                }
                Trees.deleteQuietly(record);
                TempPaths.replace(record, ".local-", text);
            }
            wrote = true;
        } catch (IOException cannotWrite) {
            // only a shortcut lost
        }
    }

    /**
     * Bounds the records: when this run wrote one and {@code local/} holds more than maxRecords entries, the entries
     * written longest ago are deleted, down to three quarters of maxRecords (so that a run prunes rarely), except the
     * records this run read or wrote, at most maxRecords of them a run (memory bounded; a run after it goes on). What
     * is deleted is a shortcut lost: that plugin is packed once more, and recorded again. Only entries of {@code local/}
     * itself, never followed (a link is deleted, not what it names; {@code local/} that is a link is left alone), by
     * the names the directory lists, never a name read from a record.
     */
    void prune() {
        if (!wrote) {
            return; // a run that only took records (an update with nothing changed) lists nothing
        }
        Path dir = store.dir().resolve(LOCAL);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            long count = 0;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path ignored : entries) {
                    count++;
                }
            }
            if (count <= maxRecords) {
                return;
            }
            int excess = (int) Math.min(count - (maxRecords - maxRecords / 4), maxRecords);
            // the excess oldest, the newest of them on top
            PriorityQueue<Old> oldest = new PriorityQueue<>(excess, (a, b) -> Long.compare(b.written(), a.written()));
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (inUse.contains(p.getFileName().toString())) {
                        continue;
                    }
                    long written;
                    try {
                        written = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastModifiedTime().toMillis();
                    } catch (IOException gone) {
                        continue;
                    }
                    if (oldest.size() < excess) {
                        oldest.add(new Old(p, written));
                    } else if (written < oldest.peek().written()) {
                        oldest.poll();
                        oldest.add(new Old(p, written));
                    }
                }
            }
            for (Old o : oldest) {
                if (Files.isDirectory(o.path(), LinkOption.NOFOLLOW_LINKS)) {
                    Trees.deleteQuietly(o.path());
                } else {
                    Files.deleteIfExists(o.path());
                }
            }
        } catch (IOException | RuntimeException cannotPrune) {
            // the records stay until a later run: no command fails over a cache of shortcuts
        }
    }

    /** An entry of {@code local/} and when it was written. */
    private record Old(Path path, long written) {
    }

    private Path record(Path pluginDir) {
        byte[] where = pluginDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return store.dir().resolve(LOCAL).resolve(HexFormat.of().formatHex(new Sha512().update(where).digest(), 0, 32));
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
