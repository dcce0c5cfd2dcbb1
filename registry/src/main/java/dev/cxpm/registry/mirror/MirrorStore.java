package dev.cxpm.registry.mirror;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.publish.PublishedPlugin;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.AdvisoryRow;
import dev.cxpm.registry.storage.RegistryDatabase.PublishOutcome;
import dev.cxpm.registry.storage.RegistryDatabase.Summary;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a mirror writes what it copied: the same rows and blobs a publish writes, but with upstream's publish time
 * and state, and none of a publisher's rules (owners, look-alike names, SemVer bumps): upstream decided those. What
 * it stores is still checked as a publish checks an upload (a readable plugin archive whose manifest names exactly
 * this plugin and version), so a hostile upstream cannot make the mirror hold what its own publish would refuse to read.
 */
public final class MirrorStore {

    /** Who a mirrored version was published by on this server: not a user, never a token. */
    static final String PUBLISHER = "(mirror)";

    private final RegistryDatabase db;
    private final BlobStore blobs;
    private final Consumer<String> changed;

    public MirrorStore(RegistryDatabase db, BlobStore blobs, Consumer<String> changed) {
        this.db = db;
        this.blobs = blobs;
        this.changed = changed;
    }

    private static final java.util.regex.Pattern USER = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Who upstream says published a version, kept so the mirror's signed documents say what upstream's do; a name
     * that is not a plain user name (markup, escapes, megabytes) is not copied and the version is shown as mirrored.
     */
    static String publisher(com.fasterxml.jackson.databind.JsonNode v) {
        String p = v.path("publisher").asText("");
        return USER.matcher(p).matches() ? p : PUBLISHER;
    }

    /** Upstream's source provenance when it passes the checks a publisher's claim passes, else none. */
    static RegistryDatabase.Provenance source(com.fasterxml.jackson.databind.JsonNode v) {
        String repository = v.path("source").path("repository").asText(null);
        String commit = v.path("source").path("commit").asText(null);
        if (repository == null || commit == null || dev.cxpm.core.registry.PublishedSource.problem(repository, commit).isPresent()) {
            return null;
        }
        return new RegistryDatabase.Provenance(repository, commit);
    }

    Optional<VersionRow> version(String plugin, String version) {
        return db.version(plugin, version);
    }

    /**
     * Stores a verified blob ({@code tgz} already hashed to {@code integrity}) and its version row; throws
     * {@link Refused} when the archive is not this plugin at this version, or the row cannot join.
     */
    void add(String plugin, String version, Path tgz, Integrity integrity, long size, Instant publishedAt, String publisher,
             RegistryDatabase.Provenance source) {
        PublishedPlugin.Checked checked = PublishedPlugin.check(PluginArchive.read(tgz));
        if (!checked.ok()) {
            throw new Refused("its archive is not a plugin a publish would accept (" + checked.problems().size() + " problem(s))");
        }
        PublishedPlugin p = checked.plugin();
        if (!p.name().equals(plugin) || !p.version().equals(version)) {
            throw new Refused("its archive's manifest says " + p.name() + "@" + p.version());
        }
        blobs.put(integrity, tgz);
        VersionRow row = new VersionRow(plugin, version, integrity, size, p.manifest().toString(), p.dependenciesJson(), false,
                publisher, publishedAt, null, source);
        Summary summary = new Summary(p.displayName(), p.description(), p.category(), p.keywords(), p.capabilities());
        PublishOutcome outcome;
        try {
            outcome = db.transaction(() -> db.insertVersion(row, summary, true, (name, near) -> Optional.empty(),
                    RegistryDatabase.VersionRule.NONE, null));
        } catch (RuntimeException e) {
            dropIfUnreferenced(integrity);
            throw e;
        }
        if (outcome != PublishOutcome.PUBLISHED) {
            dropIfUnreferenced(integrity);
            throw new Refused("this mirror cannot add it (" + outcome + ")");
        }
        changed.accept(plugin);
    }

    /** Brings a version's yanked flag and deprecation message to upstream's; true when either changed. */
    boolean state(VersionRow v, boolean yanked, String deprecated) {
        boolean any = false;
        if (v.yanked() != yanked) {
            db.setYanked(v.plugin(), v.version(), yanked, RegistryDatabase.VersionRule.NONE);
            any = true;
        }
        if (!Objects.equals(v.deprecated(), deprecated)) {
            db.setDeprecated(v.plugin(), v.version(), deprecated);
            any = true;
        }
        if (any) {
            changed.accept(v.plugin());
        }
        return any;
    }

    /** Makes the standing advisories upstream's: new ones added under upstream's id, ones upstream withdrew withdrawn here. */
    void advisories(String plugin, List<AdvisoryRow> upstream, Instant now) {
        List<AdvisoryRow> here = db.advisories(plugin);
        boolean any = false;
        for (AdvisoryRow a : here) {
            if (a.withdrawnAt() == null && upstream.stream().noneMatch(u -> u.id().equals(a.id()))) {
                any |= db.withdrawAdvisory(plugin, a.id(), now);
            }
        }
        for (AdvisoryRow u : upstream) {
            if (here.stream().noneMatch(a -> a.id().equals(u.id()))) {
                any |= db.insertAdvisory(u, "MIRROR-").isPresent();
            }
        }
        if (any) {
            changed.accept(plugin);
        }
    }

    private void dropIfUnreferenced(Integrity integrity) {
        if (!db.integrities().contains(integrity)) {
            blobs.delete(integrity);
        }
    }

    /** One upstream item this mirror will not store: the rest of the sync goes on. */
    static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why);
        }
    }
}
