package dev.cxpm.registry.storage.blob;

import dev.cxpm.core.pack.Integrity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The embedded blob store: one file per blob, {@code <dir>/<first 2 hex>/<hex>.tgz}. Each put
 * writes a temp file in the same directory and renames it into place, so a reader or a crash
 * never sees half a blob.
 */
public final class FileBlobStore implements BlobStore {

    private final Path dir;

    public FileBlobStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(Integrity integrity) {
        return dir.resolve(integrity.hex().substring(0, 2)).resolve(integrity.hex() + ".tgz");
    }

    @Override
    public void put(Integrity integrity, byte[] content) {
        write(integrity, tmp -> Files.write(tmp, content));
    }

    @Override
    public void put(Integrity integrity, Path file) {
        write(integrity, tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    private interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private void write(Integrity integrity, Content content) {
        Path target = file(integrity);
        if (Files.exists(target)) {
            try {
                // the publish that puts it again is about to reference it: gc's grace period starts over
                Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(Instant.now()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
            try {
                content.writeTo(tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<InputStream> open(Integrity integrity) {
        try {
            return Optional.of(Files.newInputStream(file(integrity)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean exists(Integrity integrity) {
        return Files.isRegularFile(file(integrity));
    }

    @Override
    public void delete(Integrity integrity) {
        try {
            Files.deleteIfExists(file(integrity));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory must be there and writable: a missing one answers every {@code exists} with a plain false. */
    @Override
    public void check() {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new UncheckedIOException(new IOException("the blob directory " + dir + " is missing or not writable"));
        }
    }

    @Override
    public Set<Integrity> list() {
        return listWithTimes().keySet();
    }

    @Override
    public Map<Integrity, Instant> listWithTimes() {
        Map<Integrity, Instant> all = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                String n = f.getFileName().toString();
                if (n.endsWith(".tgz")) {
                    Integrity.ofHex(n.substring(0, n.length() - 4)).ifPresent(i -> all.put(i, modified(f)));
                } else if (n.startsWith(".put-")) {
                    // a temp file left by a crash mid-write: never referenced, safe to drop
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // retried at the next start
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            return Instant.now(); // unknown age: kept as young
        }
    }
}
