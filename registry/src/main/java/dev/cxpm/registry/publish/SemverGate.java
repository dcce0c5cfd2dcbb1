package dev.cxpm.registry.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.surface.SemverCheck;
import dev.cxpm.core.surface.Surface;
import dev.cxpm.core.surface.SurfaceDiff;
import dev.cxpm.registry.Problem;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.Versions;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's half of SemVer ({@link SemverCheck}, the same rule {@code cxpm version} and {@code cxpm publish}
 * apply): a version whose surface changed more than its bump from the previous release says is refused with 422
 * {@code semver-bump-too-small}, the changes and the version to use, whatever client sent it. Each release's surface
 * is stored at publish; one published before surfaces were stored is read from its blob when first needed (the blob
 * passed the publish limits, and is unpacked by the foundation's bounded Unpacker) and stored then. When even that
 * fails, the check is skipped with a logged note rather than blocking the plugin forever.
 */
public final class SemverGate {

    private static final System.Logger LOG = System.getLogger(SemverGate.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryDatabase db;
    private final BlobStore blobs;
    /** Where a blob is copied and unpacked to read its surface (see the constructor). */
    private final Path scratch;

    /**
     * scratch: where blobs are read, each in a directory of its own deleted in a {@code finally}: the registry's upload
     * spool, emptied at every start, so a JVM killed while it reads one leaves no plugin's files in the shared temp dir.
     */
    public SemverGate(RegistryDatabase db, BlobStore blobs, Path scratch) {
        this.db = db;
        this.blobs = blobs;
        this.scratch = java.util.Objects.requireNonNull(scratch, "scratch");
    }

    /**
     * Refuses the new version when its bump is too small for its surface changes since the previous release, or
     * when it would slip in below an already published release whose bump from it would then be too small (1.3.0
     * adding a skill that the published 1.3.1 lacks: users of ^1.3.0 would lose it in a patch). Asked before the
     * upload is stored, so a doomed one writes nothing, and again by {@link #rule} inside the insert's transaction.
     */
    void check(String plugin, String version, Surface uploaded) {
        RegistryDatabase.Published published = db.published(plugin);
        Map<String, String> stored = new java.util.HashMap<>(); // read when the check asks: two at most, not every version's
        check(plugin, version, uploaded, published, row -> {
            String text = published.surface(row.version());
            if (text != null) {
                stored.put(row.version(), text);
            }
            return surface(row, stored);
        });
    }

    /**
     * {@link #check} on the versions as the insert's transaction sees them, under the plugin's lock, so of two
     * versions published at the same moment the second is compared with the first. A surface missing there (a
     * release from before surfaces were stored, not read by the first check) is read from its blob, not stored:
     * the transaction holds the only writer.
     */
    RegistryDatabase.VersionRule rule(String plugin, String version, Surface uploaded) {
        return published -> check(plugin, version, uploaded, published,
                row -> parse(row, published.surface(row.version())).or(() -> fromBlob(row)));
    }

    /**
     * Restoring a yanked version makes it a previous release again, so it is held to the rule as if published now,
     * against the versions as they are (one published while it was yanked was compared without it). While yanked it
     * is neither its own previous nor its own following release, so the versions as they are serve.
     */
    public RegistryDatabase.VersionRule restore(String plugin, String version) {
        return published -> {
            Optional<VersionRow> restored = published.row(version).filter(VersionRow::yanked);
            if (restored.isEmpty()) {
                return; // not yanked (or gone): nothing changes
            }
            Function<VersionRow, Optional<Surface>> surfaceOf = row -> parse(row, published.surface(row.version())).or(() -> fromBlob(row));
            Optional<Surface> itself = surfaceOf.apply(restored.get());
            if (itself.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "SemVer check of restoring " + plugin + "@" + version + " skipped: its surface cannot be read");
                return;
            }
            try {
                check(plugin, version, itself.get(), published, surfaceOf);
            } catch (RegistryException e) {
                throw new RegistryException(e.status(), e.code(), "cannot restore " + plugin + "@" + version + ": " + e.getMessage()
                        + " (or yank the release it conflicts with first)", e.problems());
            }
        };
    }

    private void check(String plugin, String version, Surface uploaded, RegistryDatabase.Published published,
                       Function<VersionRow, Optional<Surface>> surfaceOf) {
        Optional<VersionRow> prev = published.previousRelease(version);
        Optional<VersionRow> following = following(version, published);
        if (prev.isEmpty() && following.isEmpty()) {
            return; // the first release of the plugin: nothing to compare with
        }
        if (uploaded == null) {
            throw new RegistryException(422, "semver-bump-too-small", "the registry could not read the plugin's skills, MCP servers"
                    + " and apps to compare them with its published versions; run 'cxpm diff' against the previous one");
        }
        List<String> taken = published.versions();
        if (prev.isPresent()) {
            Optional<Surface> before = surfaceOf.apply(prev.get());
            if (before.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "SemVer check of " + plugin + "@" + version + " skipped: the surface of "
                        + prev.get().version() + " cannot be read from its blob");
            } else {
                SemverCheck c = SemverCheck.of(prev.get().version(), before.get(), version, uploaded, taken);
                if (!c.ok()) {
                    throw new RegistryException(422, "semver-bump-too-small", c.refusal("publish"), problems(c));
                }
            }
        }
        if (following.isPresent()) {
            Optional<Surface> after = surfaceOf.apply(following.get());
            if (after.isPresent()) {
                SemverCheck next = SemverCheck.of(version, uploaded, following.get().version(), after.get(), taken);
                if (!next.ok()) {
                    SemverCheck above = SemverCheck.of(following.get().version(), after.get(), version, uploaded, taken);
                    throw new RegistryException(422, "semver-bump-too-small", following.get().version() + " is already published, and "
                            + next.reason() + ": " + version + " cannot come before it; publish " + above.suggested() + ", not " + version,
                            problems(next));
                }
            }
        }
    }

    /** The release that would have the new version as its previous one: the smallest above it, neither yanked nor a pre-release. */
    private static Optional<VersionRow> following(String version, RegistryDatabase.Published published) {
        org.semver4j.Semver v = dev.cxpm.core.resolve.PluginVersion.parseSemver(version);
        if (v == null || !v.getPreRelease().isEmpty()) {
            return Optional.empty(); // a pre-release is never a baseline
        }
        return published.followingRelease(version);
    }

    private static List<Problem> problems(SemverCheck c) {
        return c.diff().changes().stream().filter(ch -> ch.level().compareTo(c.declared()) > 0)
                .map(ch -> new Problem("surface." + ch.component().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "-" + ch.kind().name().toLowerCase(java.util.Locale.ROOT), null, SemverCheck.line(ch) + " (needs a "
                        + ch.level().word() + " bump)")).toList();
    }

    /** The surface as stored with a version (core's Surface as JSON), null when the upload's could not be read. */
    static String json(Surface surface) {
        return surface == null ? null : surface.toJson(JSON).toString();
    }

    /**
     * What each version changed since its previous release ({@link SemverCheck#previousRelease}), as lines
     * ("removed skill `review`"); absent for a first release and for a version whose surfaces cannot be read.
     * Lines stored by an earlier build are taken while they were counted from the same previous release (no surface
     * changes once published); only the others are diffed, and stored: after a publish, yank or restore, those
     * whose previous release it moved, so a change to a plugin of 5,000 versions diffs one or a few, not 5,000.
     */
    public Map<String, List<String>> changes(String plugin, List<VersionRow> rows) {
        Map<String, String> previousOf = previousReleases(releases(rows));
        Map<String, RegistryDatabase.StoredChanges> kept = db.storedChanges(plugin);
        Map<String, List<String>> out = new java.util.HashMap<>();
        Map<String, VersionRow> byVersion = new java.util.HashMap<>();
        rows.forEach(r -> byVersion.putIfAbsent(r.version(), r));
        List<VersionRow> stale = new java.util.ArrayList<>();
        for (VersionRow v : rows) {
            String prev = previousOf.get(v.version());
            RegistryDatabase.StoredChanges s = prev == null ? null : kept.get(v.version());
            Optional<List<String>> lines = s != null && s.from().equals(prev) ? lines(s.lines()) : Optional.empty();
            if (lines.isPresent()) {
                out.put(v.version(), lines.get());
            } else if (prev != null) {
                stale.add(v);
            }
        }
        if (stale.isEmpty()) {
            return out;
        }
        java.util.Set<String> needed = new java.util.HashSet<>();
        stale.forEach(v -> {
            needed.add(v.version());
            needed.add(previousOf.get(v.version()));
        });
        Map<String, String> stored = new java.util.HashMap<>(db.surfaces(plugin, needed));
        Map<String, Optional<Surface>> parsed = new java.util.HashMap<>(); // each surface parsed once, not once per neighbour
        Map<String, RegistryDatabase.StoredChanges> made = new LinkedHashMap<>();
        for (VersionRow v : stale) {
            VersionRow p = byVersion.get(previousOf.get(v.version()));
            Optional<Surface> before = parsed.computeIfAbsent(p.version(), k -> surface(p, stored));
            Optional<Surface> after = parsed.computeIfAbsent(v.version(), k -> surface(v, stored));
            if (before.isPresent() && after.isPresent()) { // not stored otherwise: a blob unreadable now may be read later
                List<String> lines = SemverCheck.lines(SurfaceDiff.between(before.get(), after.get()));
                out.put(v.version(), lines);
                made.put(v.version(), new RegistryDatabase.StoredChanges(p.version(), JSON.valueToTree(lines).toString()));
            }
        }
        try {
            db.storeChanges(plugin, made);
        } catch (RuntimeException e) { // kept for the next build to diff again; this one has what it needs
            LOG.log(System.Logger.Level.WARNING, "could not store the changes of " + made.size() + " versions of " + plugin, e);
        }
        return out;
    }

    private static Optional<List<String>> lines(String json) {
        try {
            List<String> out = new java.util.ArrayList<>();
            for (var node : JSON.readTree(json)) {
                out.add(node.asText());
            }
            return Optional.of(out);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: diffed again
        }
    }

    /**
     * {@link #changes(String, List)} of the {@code shown} versions (a page of 20 or 100 among thousands): each one's
     * previous release is one indexed read, and only their surfaces and those of their previous releases are read.
     */
    public Map<String, List<String>> changesOf(String plugin, List<VersionRow> shown) {
        Map<String, VersionRow> previousOf = new java.util.HashMap<>();
        for (VersionRow v : shown) {
            db.previousRelease(plugin, v.version()).ifPresent(p -> previousOf.put(v.version(), p));
        }
        java.util.Set<String> needed = new java.util.HashSet<>(previousOf.keySet());
        previousOf.values().forEach(p -> needed.add(p.version()));
        Map<String, String> stored = new java.util.HashMap<>(db.surfaces(plugin, needed));
        Map<String, Optional<Surface>> parsed = new java.util.HashMap<>();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (VersionRow v : shown) {
            VersionRow p = previousOf.get(v.version());
            if (p == null) {
                continue;
            }
            Optional<Surface> before = parsed.computeIfAbsent(p.version(), k -> surface(p, stored));
            Optional<Surface> after = parsed.computeIfAbsent(v.version(), k -> surface(v, stored));
            if (before.isPresent() && after.isPresent()) {
                out.put(v.version(), SemverCheck.lines(SurfaceDiff.between(before.get(), after.get())));
            }
        }
        return out;
    }

    /**
     * Each published version's previous release by {@link SemverCheck#previousRelease}'s rule (the greatest non-yanked
     * release without a pre-release part strictly below it; of equal ones, the first listed), by version, absent when
     * it has none: from one sort, each version parsed once, where asking that for each version scanned them all.
     */
    static Map<String, String> previousReleases(List<SemverCheck.Release> published) {
        record Parsed(String version, String key, boolean release) {
        }
        List<Parsed> sorted = new java.util.ArrayList<>(published.size());
        for (SemverCheck.Release r : published) {
            org.semver4j.Semver s = dev.cxpm.core.resolve.PluginVersion.parseSemver(r.version());
            if (s != null) {
                sorted.add(new Parsed(r.version(), Versions.orderKey(r.version()), !r.yanked() && s.getPreRelease().isEmpty()));
            }
        }
        sorted.sort((a, b) -> a.key().compareTo(b.key())); // SemVer's order, as the index lists them; stable: equal versions stay in the order given
        Map<String, String> out = new java.util.HashMap<>();
        String below = null; // the previous release of every version above those seen so far
        for (int i = 0, j; i < sorted.size(); i = j) {
            String firstReleaseHere = null;
            for (j = i; j < sorted.size() && sorted.get(j).key().equals(sorted.get(i).key()); j++) {
                if (below != null) {
                    out.putIfAbsent(sorted.get(j).version(), below);
                }
                if (firstReleaseHere == null && sorted.get(j).release()) {
                    firstReleaseHere = sorted.get(j).version();
                }
            }
            if (firstReleaseHere != null) {
                below = firstReleaseHere;
            }
        }
        return out;
    }

    private static List<SemverCheck.Release> releases(List<VersionRow> rows) {
        return rows.stream().map(r -> new SemverCheck.Release(r.version(), r.yanked())).toList();
    }

    /** The stored surface, or the one read from the blob (then stored); empty when neither can be had. */
    private Optional<Surface> surface(VersionRow row, Map<String, String> stored) {
        Optional<Surface> parsed = parse(row, stored.get(row.version()));
        if (parsed.isPresent()) {
            return parsed;
        }
        Optional<Surface> read = fromBlob(row);
        read.ifPresent(s -> {
            String text = s.toJson(JSON).toString();
            stored.put(row.version(), text);
            try {
                db.setSurface(row.plugin(), row.version(), text);
            } catch (RuntimeException e) {
                // only a cache fill: the next request reads the blob again
                LOG.log(System.Logger.Level.WARNING, "surface of " + row.plugin() + "@" + row.version() + " not stored: " + e.getMessage());
            }
        });
        return read;
    }

    private static Optional<Surface> parse(VersionRow row, String json) {
        if (json != null) {
            try {
                return Optional.of(Surface.fromJson(JSON.readTree(json)));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "stored surface of " + row.plugin() + "@" + row.version() + " unreadable; reading the blob");
            }
        }
        return Optional.empty();
    }

    private Optional<Surface> fromBlob(VersionRow row) {
        Path tmp = null;
        try {
            Optional<InputStream> in = blobs.open(row.integrity());
            if (in.isEmpty()) {
                return Optional.empty();
            }
            Files.createDirectories(scratch);
            tmp = dev.cxpm.core.TempPaths.directory(scratch, "surface-");
            Path tgz = tmp.resolve("blob.tgz");
            try (InputStream s = in.get()) {
                // the blob passed the publish limits; the copy is bounded by them all the same
                long n = Files.copy(new java.io.BufferedInputStream(s), tgz);
                if (n > PluginArchive.MAX_COMPRESSED_BYTES) {
                    return Optional.empty();
                }
            }
            return Optional.of(Surface.ofArchive(tgz, tmp));
        } catch (IOException | RuntimeException e) {
            // also a blob store that fails (S3 down): the index document and the page must not fail with it
            LOG.log(System.Logger.Level.WARNING, "surface of " + row.plugin() + "@" + row.version() + " not readable from its blob: " + e.getMessage());
            return Optional.empty();
        } finally {
            if (tmp != null) {
                try {
                    dev.cxpm.core.codexhome.Trees.delete(tmp);
                } catch (dev.cxpm.core.UserError e) { // the spool's owner removes it at its next start; logged, never silent
                    LOG.log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
        }
    }
}
