package dev.cxpm.registry.storage.backup;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.jdbc.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cxpm registry gc}: blobs no version references, removed once older than a grace period, and versions whose
 * blob is missing, reported (never deleted: a row is the registry's record that a release existed).
 *
 * <p>A publish stores its blob and then commits its version row, so a blob younger than the grace period may belong
 * to a publish still in flight, on this or another instance: it is only reported. The blobs are listed before the
 * references are read, so a row committed before that read protects its blob; and each old orphan is checked again
 * just before it is removed.
 */
public final class BlobGc {

    /** A blob no version references, with when it was stored. */
    public record Orphan(Integrity integrity, Instant stored) {
    }

    /** A version whose blob the store does not hold. */
    public record MissingBlob(String plugin, String version, String integrity) {
    }

    /** Orphans removed (or, in a dry run, that would be), orphans kept as younger than the grace, versions without blobs. */
    public record Report(List<Orphan> removed, List<Orphan> young, List<MissingBlob> missing, boolean dryRun) {
    }

    private BlobGc() {
    }

    public static Report run(JdbcDatabase db, BlobStore blobs, Duration grace, Instant now, boolean dryRun) {
        Map<Integrity, Instant> stored = blobs.listWithTimes();
        Set<Integrity> referenced = new HashSet<>(db.integrities());
        Instant cutoff = now.minus(grace);
        List<Orphan> removed = new ArrayList<>();
        List<Orphan> young = new ArrayList<>();
        stored.forEach((i, at) -> {
            if (!referenced.contains(i)) {
                (at.isBefore(cutoff) ? removed : young).add(new Orphan(i, at));
            }
        });
        removed.sort(Comparator.comparing(o -> o.integrity().hex()));
        young.sort(Comparator.comparing(o -> o.integrity().hex()));
        if (!dryRun) {
            List<Orphan> kept = new ArrayList<>();
            for (Orphan o : removed) {
                if (referenced(db, o.integrity())) {
                    kept.add(o); // published meanwhile
                } else {
                    blobs.delete(o.integrity());
                }
            }
            removed.removeAll(kept);
        }
        return new Report(removed, young, missing(db, stored.keySet()), dryRun);
    }

    /**
     * Deletes every blob no version points to, however young: what a crash between the blob write and the version row
     * leaves behind. Only for a server with the store to itself, before it serves ({@code Registry#sweepOrphanBlobs}).
     */
    public static int sweep(RegistryDatabase db, BlobStore blobs) {
        Set<Integrity> referenced = new HashSet<>(db.integrities());
        int n = 0;
        for (Integrity i : blobs.list()) {
            if (!referenced.contains(i)) {
                blobs.delete(i);
                n++;
            }
        }
        return n;
    }

    private static boolean referenced(JdbcDatabase db, Integrity i) {
        return db.connections().read(c -> Sql.exists(c, "SELECT 1 FROM versions WHERE integrity = ?", i.hex()));
    }

    private static List<MissingBlob> missing(JdbcDatabase db, Set<Integrity> stored) {
        return db.connections().snapshot(c -> {
            List<MissingBlob> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT p.name, v.version, v.integrity FROM versions v"
                    + " JOIN plugins p ON p.id = v.plugin_id ORDER BY p.name, v.seq")) {
                p.setFetchSize(500);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String hex = rs.getString(3);
                        if (Integrity.ofHex(hex).map(i -> !stored.contains(i)).orElse(true)) {
                            out.add(new MissingBlob(rs.getString(1), rs.getString(2), hex));
                        }
                    }
                }
            }
            return out;
        });
    }
}
