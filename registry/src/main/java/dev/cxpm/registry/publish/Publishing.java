package dev.cxpm.registry.publish;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.AuditLog;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Problem;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.PublishOutcome;
import dev.cxpm.registry.storage.RegistryDatabase.Summary;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.Versions;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A publish, in the order that keeps a crash and a race harmless: the upload is checked completely, cheap
 * refusals are answered before anything is written, then the blob is stored, then the version row is inserted
 * in one transaction that re-decides everything a concurrent publish could change (owner, an existing version
 * of the same precedence, a look-alike of a name created meanwhile, the SemVer check against a version published meanwhile)
 * and appends its audit row in that transaction. A lost race removes the blob again unless a version points to it.
 */
public final class Publishing {

    private final RegistryDatabase db;
    private final BlobStore blobs;
    private final Clock clock;
    private final SemverGate semver;
    private final VersionPages pages;
    private final AuditLog audit;
    /** Where an archive in memory is written to be checked: the registry's spool, never the shared temp dir. */
    private final Path spool;

    /**
     * semver: the registry's one gate; spool: where an archive in memory is published from, a directory of its own
     * under it (the registry's upload spool, {@code DIR/uploads/}, which a server empties at every start).
     */
    public Publishing(RegistryDatabase db, BlobStore blobs, Clock clock, SemverGate semver, VersionPages pages, AuditLog audit, Path spool) {
        this.spool = java.util.Objects.requireNonNull(spool, "spool");
        this.audit = audit;
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
        this.semver = semver;
        this.pages = pages;
    }

    /** An archive in memory (demo plugins, tests), written to a directory of its own first: the check unpacks beside it. */
    public Registry.Published publish(Caller caller, byte[] tgz) {
        Path dir = null;
        try {
            Files.createDirectories(spool);
            dir = dev.cxpm.core.TempPaths.directory(spool, "publish-");
            return publish(caller, Files.write(dir.resolve("upload.tgz"), tgz), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                dev.cxpm.core.codexhome.Trees.delete(dir);
            }
        }
    }

    /**
     * {@code tgz} is the upload spooled to a file (the caller deletes it): it is read as a stream, never whole. Its
     * directory must be the caller's own, which it clears after a crash: the strict check unpacks beside it.
     */
    public Registry.Published publish(Caller caller, Path tgz, RegistryDatabase.Provenance source) {
        PublishedPlugin.Checked checked = PublishedPlugin.check(PluginArchive.read(tgz));
        // every problem in one answer: the registry's own and, when the archive can be read, validate --strict's
        List<Problem> problems = new ArrayList<>(checked.problems());
        StrictRules.Checked strictCheck = checked.manifestRead() ? StrictRules.check(tgz) : new StrictRules.Checked(List.of(), null);
        List<Problem> strict = strictCheck.errors();
        problems.addAll(strict);
        if (!checked.ok() && problems.isEmpty()) { // validate --strict reports a bad version; this is a safety net
            problems.add(new Problem("version.not-semver", null, "\"version\" must be SemVer to publish (e.g. 1.0.0)"));
        }
        if (!problems.isEmpty()) {
            throw new RegistryException(400, "invalid-plugin", "the plugin cannot be published: " + problems.size()
                    + " problem(s)" + (strict.isEmpty() ? "" : ", " + strict.size() + " found by 'cxpm validate --strict'"), problems);
        }
        PublishedPlugin p = checked.plugin();
        if (!caller.mayPublish(p.name())) {
            throw new RegistryException(403, "forbidden", "your token may not publish '" + p.name() + "' (scopes: " + String.join(" ", caller.scopes()) + ")");
        }
        Integrity integrity = Integrity.sha512(tgz);
        RegistryDatabase.NewNameRule rule = newNameRule(caller);
        // cheap refusals first, so a doomed upload writes nothing; insertVersion decides again atomically
        refuse(precheck(caller, p, rule), p);
        semver.check(p.name(), p.version(), strictCheck.surface());
        long size = size(tgz);
        blobs.put(integrity, tgz);
        VersionRow row = new VersionRow(p.name(), p.version(), integrity, size, p.manifest().toString(),
                p.dependenciesJson(), false, caller.user(), clock.instant(), null, source);
        PublishOutcome outcome;
        try {
            Summary summary = new Summary(p.displayName(), p.description(), p.category(), p.keywords(), p.capabilities());
            RegistryDatabase.VersionRule semverRule = semver.rule(p.name(), p.version(), strictCheck.surface());
            outcome = db.transaction(() -> {
                PublishOutcome o = db.insertVersion(row, summary, caller.isAdmin(), rule, semverRule, SemverGate.json(strictCheck.surface()));
                if (o == PublishOutcome.PUBLISHED) {
                    audit.record(caller, "publish", p.name(), p.version(),
                            AuditLog.details().put("integrity", integrity.sri()).put("size", size));
                }
                return o;
            });
        } catch (RuntimeException e) {
            dropIfUnreferenced(integrity);
            throw e;
        }
        if (outcome != PublishOutcome.PUBLISHED) {
            dropIfUnreferenced(integrity);
            refuse(outcome, p);
        }
        pages.record(p, tgz);
        return new Registry.Published(p.name(), p.version(), integrity, size);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Which new names the caller may create beside the existing ones (name to owners): none that a reader could
     * mistake for another owner's plugin, unless the caller is an admin.
     */
    private static RegistryDatabase.NewNameRule newNameRule(Caller caller) {
        if (caller.isAdmin()) {
            return (name, existing) -> Optional.empty();
        }
        return (name, existing) -> LookAlikeNames.confusableWith(name, existing.entrySet().stream()
                .filter(e -> !e.getValue().contains(caller.user())).map(Map.Entry::getKey).toList());
    }

    private PublishOutcome precheck(Caller caller, PublishedPlugin p, RegistryDatabase.NewNameRule rule) {
        if (db.plugin(p.name()).isEmpty()) {
            return rule.confusableWith(p.name(), db.namesNear(p.name())).isPresent() ? PublishOutcome.NAME_CONFUSABLE : PublishOutcome.PUBLISHED;
        }
        if (!caller.isAdmin() && !db.owners(p.name()).contains(caller.user())) {
            return PublishOutcome.NOT_OWNER;
        }
        String release = Versions.withoutBuild(p.version());
        return db.versions(p.name()).stream().anyMatch(v -> Versions.withoutBuild(v.version()).equals(release))
                ? PublishOutcome.VERSION_EXISTS : PublishOutcome.PUBLISHED;
    }

    private void refuse(PublishOutcome outcome, PublishedPlugin p) {
        switch (outcome) {
            case PUBLISHED -> { }
            case VERSION_EXISTS -> {
                String release = Versions.withoutBuild(p.version());
                String existing = db.versions(p.name()).stream().map(VersionRow::version)
                        .filter(v -> Versions.withoutBuild(v).equals(release)).findFirst().orElse(p.version());
                throw new RegistryException(409, "version-exists", p.name() + "@" + existing + " is already published"
                        + (existing.equals(p.version()) ? "" : " and " + p.version() + " differs from it only in build metadata,"
                        + " which SemVer ignores when ordering versions")
                        + "; versions are immutable: bump the version (cxpm version patch)");
            }
            case NOT_OWNER -> throw new RegistryException(403, "not-owner", "you are not an owner of '" + p.name() + "'");
            case NAME_TAKEN -> throw new RegistryException(409, "name-taken", "the name '" + p.name() + "' is taken by a plugin that differs only in case");
            case NAME_CONFUSABLE -> {
                String similar = LookAlikeNames.confusableWith(p.name(), db.namesNear(p.name()).keySet()).orElse("another plugin");
                throw new RegistryException(409, "name-confusable", "the name '" + p.name() + "' is too close to the existing plugin '"
                        + similar + "' (same letters once separators and look-alike characters are folded, or one typo away); "
                        + "pick a more distinct name, or ask a registry admin to publish it");
            }
        }
    }

    private void dropIfUnreferenced(Integrity integrity) {
        if (!db.integrities().contains(integrity)) {
            blobs.delete(integrity);
        }
    }
}
