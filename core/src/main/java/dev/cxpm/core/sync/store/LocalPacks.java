package dev.cxpm.core.sync.store;

import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.pack.digest.Sha512;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
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
 */
final class LocalPacks {

    /** How long before a look a file must have last changed for its times to tell a later change apart. */
    static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The look's format and the packing rules it stands for: a new cxpm that packs differently changes it. */
    private static final String FORMAT = "cxpm-local-pack 1";
    private static final int MAX_RECORD_BYTES = 1024;

    private final Store store;
    private final Clock clock;

    LocalPacks(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
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
            text = FileText.read(record(look.dir()), MAX_RECORD_BYTES);
        } catch (IOException noneOrUnreadable) { // never recorded, or too large to be one: packed, and recorded again
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
     * not settled. A record that cannot be written is left out: the next run packs again.
     */
    void packed(Look look, Integrity integrity) {
        if (!look.settled()) {
            return;
        }
        Path record = record(look.dir());
        try {
            try {
                TempPaths.replace(record, ".local-", integrity + " " + look.digest() + "\n");
            } catch (NoSuchFileException noDirYet) {
                Files.createDirectories(record.getParent());
                TempPaths.replace(record, ".local-", integrity + " " + look.digest() + "\n");
            }
        } catch (IOException cannotWrite) {
            // only a shortcut lost
        }
    }

    private Path record(Path pluginDir) {
        byte[] where = pluginDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return store.dir().resolve("local").resolve(HexFormat.of().formatHex(new Sha512().update(where).digest(), 0, 32));
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
