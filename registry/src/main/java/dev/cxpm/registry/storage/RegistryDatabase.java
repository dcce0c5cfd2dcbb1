package dev.cxpm.registry.storage;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import dev.cxpm.registry.storage.search.NameVariants;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registry's metadata: plugins, their versions, owners and tokens. Everything a request
 * decides is decided above this interface ({@link Registry}); an implementation only stores and
 * answers, but makes {@link #insertVersion} atomic, because two publishers may race. The
 * implementation is {@link JdbcDatabase} (SQLite embedded, PostgreSQL for scale-out).
 */
public interface RegistryDatabase extends AutoCloseable {

    /** What a plugin looks like in search results and pages, taken from its latest version. */
    record PluginRow(String name, String displayName, String description, String category,
            List<String> keywords, List<String> capabilities, String latestVersion, Instant createdAt, Instant updatedAt) {
    }

    /**
     * One published version. {@code manifest} and {@code dependencies} are JSON text; {@code source} is where it was
     * built from when its publisher said so (null otherwise).
     */
    record VersionRow(String plugin, String version, Integrity integrity, long size, String manifest,
            String dependencies, boolean yanked, String publishedBy, Instant publishedAt, String deprecated, Provenance source) {
        public VersionRow(String plugin, String version, Integrity integrity, long size, String manifest,
                String dependencies, boolean yanked, String publishedBy, Instant publishedAt, String deprecated) {
            this(plugin, version, integrity, size, manifest, dependencies, yanked, publishedBy, publishedAt, deprecated, null);
        }
    }

    /** The repository and commit a version was published from (checked by {@code publish.SourceProvenance}). */
    record Provenance(String repository, String commit) {
    }

    /**
     * How many changes the plugin's index document has seen (publish, yank, deprecation): the sequence its signed
     * document carries, which only goes up. 0 for a plugin that does not exist.
     */
    long indexSequence(String plugin);

    /**
     * A plugin's index document as stored when a change made it: its sequence, exact bytes, strong ETag, and the
     * signature ({@code X-Cxpm-Signature}'s value) by the key {@code keyId}.
     */
    record StoredIndex(long sequence, byte[] body, String etag, String keyId, String signature) {
    }

    /** The plugin's sequence now and its stored document, if one is (it is current only at that sequence). */
    record IndexLookup(long sequenceNow, Optional<StoredIndex> stored) {
    }

    /** One indexed read; empty when there is no such plugin. */
    Optional<IndexLookup> storedIndex(String plugin);

    /** The ETag of the plugin's stored document while it is current and signed by {@code keyId}; its bytes are not read. */
    Optional<String> currentIndexEtag(String plugin, String keyId);

    /** Stores documents by plugin name, in one transaction; one already stored stays when it is newer. */
    void storeIndexes(java.util.Map<String, StoredIndex> docs);

    /** Up to {@code limit} plugin names after {@code after} (null: from the first) whose stored document is missing or stale. */
    List<String> staleIndexes(String keyId, String after, int limit);

    /** The searchable summary a new version brings (applied to the plugin when it becomes its latest). */
    record Summary(String displayName, String description, String category, List<String> keywords, List<String> capabilities) {
    }

    record TokenRow(String id, String user, String secretHash, List<String> scopes, String description,
            Instant createdAt, Instant expiresAt, Instant revokedAt) {
    }

    record SearchQuery(String text, String category, int page, int perPage) {
    }

    record SearchPage(long total, List<PluginRow> plugins) {
    }

    enum PublishOutcome {
        PUBLISHED,
        /** This exact version exists: versions are immutable. */
        VERSION_EXISTS,
        /** The plugin exists and the publisher is not among its owners. */
        NOT_OWNER,
        /** Another plugin holds this name in a different case. */
        NAME_TAKEN,
        /** The name is new and {@link NewNameRule} refuses it beside an existing one. */
        NAME_CONFUSABLE
    }

    /** Whether a new plugin name may be created beside the existing names near it (each with its owners): the similar one, if any. */
    @FunctionalInterface
    interface NewNameRule {
        Optional<String> confusableWith(String name, java.util.Map<String, List<String>> existing);
    }

    /**
     * Whether a version may join (or, restored, rejoin) the plugin's versions, decided on the versions and stored
     * surfaces as they are inside the transaction that changes them, after the plugin is locked: so of two at the same
     * moment the second is judged with the first in place. It refuses by throwing, which rolls the transaction back.
     */
    @FunctionalInterface
    interface VersionRule {
        VersionRule NONE = published -> { };

        void check(Published published);
    }

    /**
     * A plugin's versions as a {@link VersionRule} (or the check before an upload is stored) reads them: each answer
     * one indexed read, so a check at 5,000 versions reads the two or three rows and surfaces it compares, not every one.
     */
    interface Published {
        /** Every published version's text (for the version a refusal suggests, which must be free). */
        List<String> versions();

        /** {@link RegistryDatabase#previousRelease}: the greatest release below, neither yanked nor a pre-release. */
        Optional<VersionRow> previousRelease(String version);

        /** The smallest release above {@code version}, neither yanked nor a pre-release. */
        Optional<VersionRow> followingRelease(String version);

        /** The version's stored surface (JSON text), or null. */
        String surface(String version);

        /** The version's row, when published. */
        Optional<VersionRow> row(String version);
    }

    /** The plugin's versions as {@link Published} reads them, each answer read when asked, outside any transaction. */
    Published published(String plugin);

    Optional<PluginRow> plugin(String name);

    /**
     * The plugin names filed under one of this name's {@link NameVariants} (every name it could pass for, and a few
     * more), with their owners: the look-alike check of a new name reads these, not every name.
     */
    java.util.Map<String, List<String>> namesNear(String name);

    /** Versions of a plugin in publication order; empty when the plugin does not exist. */
    List<VersionRow> versions(String plugin);

    Optional<VersionRow> version(String plugin, String version);

    /** A page of a plugin's versions and how many it has in all. */
    record VersionPage(long total, List<VersionRow> rows) {
    }

    /**
     * At most {@code limit} of the plugin's versions, newest first by SemVer precedence (of equal ones, the first
     * published first), after the version {@code after} (null: from the newest), read from the stored order key's index;
     * empty when there is no such plugin or no version {@code after}.
     */
    Optional<VersionPage> newestVersions(String plugin, String after, int limit);

    /**
     * The release a version's changes are counted from ({@code SemverCheck.previousRelease}'s rule): the greatest
     * version below it that is neither yanked nor a pre-release, the first published of equal ones; one indexed read.
     */
    Optional<VersionRow> previousRelease(String plugin, String version);

    /** {@link #surfaces(String)} of just these versions. */
    java.util.Map<String, String> surfaces(String plugin, java.util.Collection<String> versions);

    /**
     * A version's "changes" lines as last built (a JSON array) and the previous release they were counted from: true
     * for as long as that stays its previous release, since no version's surface changes once published.
     */
    record StoredChanges(String from, String lines) {
    }

    /** The stored changes of each of the plugin's versions that has them, by version. */
    java.util.Map<String, StoredChanges> storedChanges(String plugin);

    /** Stores (replaces) the changes of these versions of the plugin. */
    void storeChanges(String plugin, java.util.Map<String, StoredChanges> changes);

    /** {@link #downloads(String)} of just these versions. */
    java.util.Map<String, Long> downloads(String plugin, java.util.Collection<String> versions);

    /** The downloads flushed so far of all of a plugin's versions. */
    long totalDownloads(String plugin);

    /** Which of {@code among} are the blob of one of the plugin's versions. */
    java.util.Set<Integrity> blobsOf(String plugin, java.util.Collection<Integrity> among);

    /**
     * In one transaction: creates the plugin (owned by the publisher) when new and {@code newName} allows it
     * beside the names near it at that moment (no two new names are decided at once), refuses when the
     * publisher does not own it (unless {@code anyOwner}), inserts the version unless one of the same
     * precedence (equal but for build metadata) exists, then asks {@code rule}, inserts the version with its surface
     * ({@code surfaceJson}, null when unknown), and refreshes the plugin's latest version and search entry.
     */
    PublishOutcome insertVersion(VersionRow version, Summary summary, boolean anyOwner, NewNameRule newName, VersionRule rule,
                                 String surfaceJson);

    /**
     * The stored surface of each version of a plugin (core's {@code Surface} as JSON text), by version; versions
     * published before surfaces were stored are absent until {@link #setSurface} records theirs.
     */
    java.util.Map<String, String> surfaces(String plugin);

    /** Records a version's surface (JSON text); a version's surface never changes, so this only fills it in. */
    void setSurface(String plugin, String version, String surfaceJson);

    /** A version's page as stored at publish ({@code PageData} as JSON) and its icon's type (null: no icon). */
    record StoredPage(String json, String iconType, String readmeHtml) {
    }

    record Icon(byte[] bytes, String type) {
    }

    /** The stored page of a version; empty when there is no such version or its page was never computed. */
    Optional<StoredPage> page(String plugin, String version);

    /** Records a version's page and icon (null: none); a version's page never changes, so this only fills it in. */
    void setPage(String plugin, String version, String json, byte[] icon, String iconType, String readmeHtml);

    /** Replaces a version's rendered README (rendered again from its stored Markdown: stored before, or by an older renderer). */
    void setReadmeHtml(String plugin, String version, String readmeHtml);

    Optional<Icon> icon(String plugin, String version);

    /** Blob downloads of each version of a plugin, by version, as flushed so far. */
    java.util.Map<String, Long> downloads(String plugin);

    /** Adds downloads to the versions whose blob has each integrity (an atomic increment per blob). */
    void addDownloads(java.util.Map<Integrity, Long> counts);

    /** A page of the plugins a user owns that have a live version, and how many they own in all. */
    record OwnedPage(long total, List<PluginRow> plugins) {
    }

    /** At most {@code limit} of the plugins a user owns that have a live version, by name, after {@code after} (null: from the first). */
    OwnedPage pluginsOwnedBy(String user, String after, int limit);

    /**
     * Words of plugin names, display names and keywords that could be what a misspelt word meant: the same first
     * letter and a length within {@code lengthDelta}, at most {@code limit} of them.
     */
    List<String> wordsNear(String word, int lengthDelta, int limit);

    /** Sets the yanked flag, once {@code rule} allows it in the same transaction; false when there is no such version. */
    boolean setYanked(String plugin, String version, boolean yanked, VersionRule rule);

    /** Sets (or, with null, clears) a version's deprecation message; false when there is no such version. */
    boolean setDeprecated(String plugin, String version, String message);

    List<String> owners(String plugin);

    /** Names of the plugins a user owns, sorted. */
    List<String> ownedBy(String user);

    void addOwner(String plugin, String user);

    boolean removeOwner(String plugin, String user);

    /** Up to {@code limit} plugins with a live version, by name, after {@code after} (null: from the first): a listing in pages. */
    List<PluginRow> pluginsAfter(String after, int limit);

    /** Plugins matching the text (ranked) or all (by name) when the text is blank. */
    SearchPage search(SearchQuery query);

    /** Readies search for a server's load (the in-memory index, filled in the background); nothing for one command. */
    default void prepareSearch() {
    }

    /** A plugin changed (null: any may have), here or in another process on the same database: after the change committed. */
    default void changed(String plugin) {
    }

    /** Every integrity a version points to, for the start-up sweep of orphan blobs. */
    List<Integrity> integrities();

    void insertToken(TokenRow token);

    Optional<TokenRow> tokenBySecretHash(String secretHash);

    /** The token with this id, revoked or not. */
    Optional<TokenRow> token(String id);

    /** Marks a token revoked; false when there is no such token. */
    boolean revokeToken(String id, Instant at);

    /** At most {@code limit} of the user's tokens, by id, after the id {@code after} (null for the first). */
    List<TokenRow> tokens(String user, String after, int limit);

    /** The connection pools as they are now, for the metrics an operator watches. */
    List<JdbcConnections.Pool> pools();

    /** Throws (with the details for the log) unless the database answers within the deadline; for readiness checks. */
    void check(java.time.Duration deadline);

    // ---- audit log and advisories -------------------------------------------------------

    /** One audited write: who ({@code user}, {@code tokenId}: never a secret), when, from where, what ({@code details}: JSON text). */
    record AuditRow(long id, Instant at, String user, String tokenId, String remote, String action, String plugin, String version,
            String details) {
    }

    /** A page of the audit log, newest first: rows before the id {@code before} (null: the newest), filtered by what is not null. */
    record AuditQuery(Long before, String plugin, String user, Instant since, int limit) {
    }

    /** An advisory on a range of a plugin's versions; {@code withdrawnAt} is null while it stands. */
    record AdvisoryRow(String plugin, String id, String range, String severity, String summary, String url, String createdBy,
            Instant createdAt, Instant withdrawnAt) {
    }

    /**
     * Runs {@code writes} in one transaction: every write method called inside joins it, and a failure anywhere
     * (an audit row that cannot be written included) rolls all of them back.
     */
    <T> T transaction(java.util.function.Supplier<T> writes);

    /** Appends to the audit log: inside {@link #transaction}, as part of the write it records. Rows are never changed. */
    void appendAudit(AuditRow row);

    List<AuditRow> audit(AuditQuery query);

    /**
     * Adds an advisory, numbering it {@code idPrefix0001} onwards when its id is null; the id it got, or empty when
     * the plugin does not exist or already has an advisory with that id.
     */
    Optional<String> insertAdvisory(AdvisoryRow advisory, String idPrefix);

    /** Marks an advisory withdrawn; false when there is no such standing advisory. */
    boolean withdrawAdvisory(String plugin, String id, Instant at);

    /** A plugin's advisories, oldest first, withdrawn ones included. */
    List<AdvisoryRow> advisories(String plugin);

    /**
     * Calls {@code changed} (in a thread of its own) with each plugin another process sharing this database changed,
     * or null when changes may have been missed; until the returned handle is closed. A database only one process
     * uses (SQLite) never calls it.
     */
    AutoCloseable listen(java.util.function.Consumer<String> changed);

    /** Whether other registry processes may write to this database (PostgreSQL), so a cache must check it is current. */
    default boolean sharedWithOtherInstances() {
        return false;
    }

    @Override
    void close();
}
