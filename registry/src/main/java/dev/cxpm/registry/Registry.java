package dev.cxpm.registry;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.index.IndexDocuments;
import dev.cxpm.registry.index.SigningKeys;
import dev.cxpm.registry.publish.Publishing;
import dev.cxpm.registry.publish.SemverGate;
import dev.cxpm.registry.publish.VersionPages;
import dev.cxpm.registry.search.PluginSearch;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import dev.cxpm.registry.storage.RegistryDatabase.AdvisoryRow;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.backup.BlobGc;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.registry.storage.blob.NoBlobStore;
import dev.cxpm.registry.storage.blob.S3BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's rules, shared by every storage setup: who may publish what, how an upload is
 * checked before anything is stored, the order of writes that keeps a crash harmless (blob
 * first, version row after; orphan blobs swept at start by a single server), tokens ({@link Tokens}), what owners may
 * change ({@link Owners}), the index document ({@link IndexDocuments}), search ({@link PluginSearch}), and what a
 * change reaches ({@link Changes}).
 * The HTTP layer ({@link RegistryServer}) only maps requests to these calls.
 */
public final class Registry implements AutoCloseable {

    /** How clients find a blob: relative to the registry's root URL. */
    public static final String BLOB_PATH = "/api/v1/blobs/";

    private final RegistryDatabase db;
    private final BlobStore blobs;
    private final Clock clock;
    private final Publishing publishing;
    private final SemverGate surfaces;
    private final Tokens tokens;
    private final Owners owners;
    private final VersionPages pages;
    private final DownloadCounts downloads;
    private final AuditLog audit;
    private final Advisories advisories;
    private final PluginSearch search;
    private final IndexDocuments indexes;
    private final Changes changes;
    /** Other processes' changes on a shared PostgreSQL database ({@code ChangeFeed}); nothing on SQLite. */
    private final AutoCloseable feed;

    /**
     * spool: where archives are unpacked, when a blob's surface is read and when an archive in memory is published (the
     * upload spool, {@code DIR/uploads/}, which a server empties at every start): never the shared temp dir, where a JVM
     * killed meanwhile leaves a plugin's files for good.
     */
    public Registry(RegistryDatabase db, BlobStore blobs, Path spool, Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
        this.audit = new AuditLog(db, clock);
        this.pages = new VersionPages(db, blobs);
        this.downloads = new DownloadCounts(db);
        this.search = new PluginSearch(db);
        this.surfaces = new SemverGate(db, blobs, spool);
        this.publishing = new Publishing(db, blobs, clock, surfaces, pages, audit, spool);
        this.tokens = new Tokens(db, clock, audit);
        this.owners = new Owners(db, surfaces, audit);
        this.advisories = new Advisories(db, clock, owners, audit);
        this.indexes = new IndexDocuments(db, surfaces);
        this.changes = new Changes(db, search, indexes);
        this.feed = db.listen(changes::heard);
    }

    /**
     * The embedded setup: {@code DIR/registry.db} (SQLite) and {@code DIR/blobs/}. Does not sweep
     * orphan blobs: {@code cxpm token create --data} opens a live server's directory too, and a
     * sweep there could take the blob of a publish in flight; the server sweeps before it serves.
     */
    public static Registry embedded(Path dataDir, Clock clock) {
        return embedded(dataDir, new FileBlobStore(dataDir.resolve("blobs")), clock);
    }

    /**
     * Runs after every publish, yank, deprecation or advisory, with the plugin's name (views derived from the registry
     * update or mark themselves stale): in the thread that made it, and when another process on the same PostgreSQL
     * database made it (or this one: a process hears its own notices too), in the change feed's thread, where the
     * name is null when changes may have been missed. Only the writer's thread may wait (its caller waits with it):
     * the change feed's thread must not, or every cache on it would stop trusting the feed meanwhile.
     */
    public void onChange(ChangeListener listener) {
        changes.listen(listener);
    }

    /** Told of each change; {@code writer} is true in the thread that made it, false in the change feed's. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(String plugin, boolean writer);
    }

    /**
     * Index documents are signed with {@code keys} from now on, and stored as each change makes them (those missing,
     * e.g. after an import or a migration, are made in the background): a server calls this before it serves.
     */
    public void signIndexesWith(SigningKeys keys) {
        indexes.signWith(keys);
    }

    /** Whether every index document missing when signing began has been made and stored (tests wait for it). */
    boolean indexesFilled() {
        return indexes.filled();
    }

    /** Metadata in PostgreSQL, blobs under {@code DIR/blobs/}, archives unpacked under {@code DIR/uploads/}. */
    public static Registry postgres(String jdbcUrl, Path dataDir, Clock clock) {
        return postgres(jdbcUrl, new FileBlobStore(dataDir.resolve("blobs")), dataDir.resolve("uploads"), clock);
    }

    /** Metadata in PostgreSQL, blobs where {@code blobs} keeps them (e.g. {@link S3BlobStore}), archives unpacked under spool. */
    public static Registry postgres(String jdbcUrl, BlobStore blobs, Path spool, Clock clock) {
        return new Registry(JdbcDatabase.postgres(jdbcUrl), blobs, spool, clock);
    }

    /**
     * Metadata in PostgreSQL and no blob store, for what needs only the database: {@code cxpm token
     * create --database} may run on any machine that reaches it, which need not hold (or be allowed
     * to reach) the blobs. Anything that reads or writes a blob fails; spool is where an archive would be unpacked
     * before that failure (the data directory's, which nothing else is written to).
     */
    public static Registry postgresMetadataOnly(String jdbcUrl, Path spool, Clock clock) {
        return new Registry(JdbcDatabase.postgres(jdbcUrl), NoBlobStore.INSTANCE, spool, clock);
    }

    /** Metadata in {@code DIR/registry.db} (SQLite), blobs where {@code blobs} keeps them. */
    public static Registry embedded(Path dataDir, BlobStore blobs, Clock clock) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Registry(JdbcDatabase.sqlite(dataDir.resolve("registry.db")), blobs, dataDir.resolve("uploads"), clock);
    }

    // ---- tokens ----------------------------------------------------------------------------

    public record CreatedToken(String id, String token, String user, List<String> scopes, Instant expiresAt) {
    }

    /**
     * Makes a token. {@code grantor} is null for {@code cxpm token create --data DIR} or
     * {@code --database JDBC_URL}, run by whoever can write the server's data directory or database,
     * which is as good as admin.
     */
    public CreatedToken createToken(Caller grantor, String user, List<String> scopes, Duration ttl, String description) {
        return tokens.create(grantor, user, scopes, ttl, description);
    }

    /** The caller behind an {@code Authorization: Bearer ...} header; 401 when there is none or it is not valid now. */
    public Caller authenticate(String authorization) {
        return tokens.authenticate(authorization);
    }

    public void revokeToken(Caller caller, String id) {
        tokens.revoke(caller, id);
    }

    /** A page of the caller's tokens by id after {@code after} (null for the first), at most {@code limit} (1 to {@link Tokens#MAX_PAGE}). */
    public Tokens.Page tokens(Caller caller, String after, int limit) {
        return tokens.of(caller, after, limit);
    }

    // ---- publish, yank, owners --------------------------------------------------------------

    public record Published(String name, String version, Integrity integrity, long size) {
    }

    /**
     * Checks the upload completely, then stores the blob, then the version row ({@link Publishing}).
     */
    public Published publish(Caller caller, Path tgz) {
        return publish(caller, tgz, null);
    }

    /** The same, recording where the version was built from (null: not known; see {@code publish.SourceProvenance}). */
    public Published publish(Caller caller, Path tgz, RegistryDatabase.Provenance source) {
        Published p = publishing.publish(caller, tgz, source);
        changes.changed(p.name());
        return p;
    }

    /** The same for an archive in memory (demo plugins, tests), in a directory of its own under the spool ({@link Publishing}). */
    public Published publish(Caller caller, byte[] tgz) {
        Published p = publishing.publish(caller, tgz);
        changes.changed(p.name());
        return p;
    }

    /** Yanking, deprecating and owner changes are for the plugin's owners and admins ({@link Owners}). */
    public void yank(Caller caller, String plugin, String version, boolean yanked) {
        owners.yank(caller, plugin, version, yanked);
        changes.changed(plugin);
    }

    /**
     * Marks every version in the range (all when null) deprecated with the message, or clears it
     * when the message is blank. Returns the versions changed.
     */
    public List<String> deprecate(Caller caller, String plugin, String range, String message) {
        List<String> changed = owners.deprecate(caller, plugin, range, message);
        changes.changed(plugin);
        return changed;
    }

    public void addOwner(Caller caller, String plugin, String user) {
        owners.add(caller, plugin, user);
    }

    public void removeOwner(Caller caller, String plugin, String user) {
        owners.remove(caller, plugin, user);
    }

    public List<String> ownedBy(String user) {
        return db.ownedBy(user);
    }

    // ---- advisories and the audit log -------------------------------------------------------

    /** Attaches an advisory to a range of the plugin's versions ({@link Advisories}); id and url may be null. */
    public AdvisoryRow addAdvisory(Caller caller, String plugin, String id, String range, String severity, String summary, String url) {
        AdvisoryRow a = advisories.add(caller, plugin, new Advisories.Draft(id, range, severity, summary, url));
        changes.changed(plugin);
        return a;
    }

    public void withdrawAdvisory(Caller caller, String plugin, String id) {
        advisories.withdraw(caller, plugin, id);
        changes.changed(plugin);
    }

    /** Every advisory of the plugin, withdrawn ones included, oldest first. */
    public List<AdvisoryRow> advisories(String plugin) {
        return advisories.of(plugin);
    }

    /** A page of the audit log, newest first, for an admin ({@link AuditLog}). */
    public AuditLog.Page audit(Caller caller, String plugin, String user, Instant since, int limit, String cursor) {
        return audit.read(caller, plugin, user, since, limit, cursor);
    }

    /** Where a read-only mirror writes what it copied ({@link dev.cxpm.registry.mirror.Mirror}): no caller, no rules. */
    public dev.cxpm.registry.mirror.MirrorStore mirrorStore() {
        return new dev.cxpm.registry.mirror.MirrorStore(db, blobs, changes::changed);
    }

    // ---- reading ---------------------------------------------------------------------------

    /**
     * The per-plugin index document, its strong ETag (a hash of its bytes), and the signature of those bytes ({@code
     * X-Cxpm-Signature}'s value; null when this registry was given no key: a command's, not a server's).
     */
    public record IndexDocument(byte[] json, String etag, long sequence, String signature) {
    }

    /** The ETag of the plugin's index document when a current one is stored, its bytes unread ({@link IndexDocuments#currentEtag}). */
    public Optional<String> currentIndexEtag(String plugin) {
        return indexes.currentEtag(plugin);
    }

    /**
     * The plugin's index document ({@link IndexDocuments}): the stored one while it is the plugin's current sequence,
     * read from the database each time, so a server sharing it never serves an older document than another server
     * wrote (a client that saw the newer one would refuse the older as a replay).
     */
    public Optional<IndexDocument> index(String plugin) {
        return indexes.read(plugin);
    }

    public Optional<PluginRow> plugin(String name) {
        return db.plugin(name);
    }

    /** Every plugin with a live version, by name, a page at a time: up to {@code limit} after {@code after} (null: the first page). */
    public List<PluginRow> pluginsAfter(String after, int limit) {
        return db.pluginsAfter(after, limit);
    }

    public List<VersionRow> versions(String plugin) {
        return db.versions(plugin);
    }

    public Optional<VersionRow> version(String plugin, String version) {
        return db.version(plugin, version);
    }

    public List<String> owners(String plugin) {
        return db.owners(plugin);
    }

    public Optional<InputStream> blob(Integrity integrity) {
        return blobs.open(integrity);
    }

    /** A blob was served to a client: counted for its version's downloads ({@link DownloadCounts}). */
    public void countDownload(Integrity integrity) {
        downloads.count(integrity);
    }

    /** Downloads of each of the {@code shown} versions (a page of them), including those not yet written to the database. */
    public Map<String, Long> downloadsOf(String plugin, List<VersionRow> shown) {
        return downloads.of(plugin, shown);
    }

    /** Every download of the plugin, counted or not yet written, without reading each version. */
    public long totalDownloads(String plugin) {
        return downloads.total(plugin);
    }

    /** A page of the plugin's versions, newest first ({@link RegistryDatabase#newestVersions}). */
    public Optional<RegistryDatabase.VersionPage> newestVersions(String plugin, String after, int limit) {
        return db.newestVersions(plugin, after, limit);
    }

    /**
     * What each of the {@code shown} versions changed since its previous release ("removed skill `review`"; absent for
     * a first release and when a surface cannot be read, empty when no skill, MCP server or app changed).
     */
    public Map<String, List<String>> changesOf(String plugin, List<VersionRow> shown) {
        return surfaces.changesOf(plugin, shown);
    }

    /** The release {@code version}'s changes are counted from, if any ({@link RegistryDatabase#previousRelease}). */
    public Optional<VersionRow> previousRelease(String plugin, String version) {
        return db.previousRelease(plugin, version);
    }

    /** What a version's page shows, stored at publish (or computed once from the blob for older versions). */
    public Optional<VersionPages.Shown> page(VersionRow version) {
        return pages.page(version);
    }

    public Optional<RegistryDatabase.Icon> icon(String plugin, String version) {
        return db.icon(plugin, version);
    }

    public RegistryDatabase.OwnedPage pluginsOwnedBy(String user, String after, int limit) {
        return db.pluginsOwnedBy(user, after, limit);
    }

    /** A page of plugins matching the words and category ({@link PluginSearch}): answered from its cache when it can. */
    public PluginSearch.Result search(String text, String category, int page, int perPage) {
        return search.answer(text, category, page, perPage);
    }

    /** {@link #search}, and when it finds nothing, the same with misspelt words corrected. */
    public PluginSearch.Tolerant searchTolerant(String text, String category, int page, int perPage) {
        return search.tolerant(text, category, page, perPage);
    }

    /** Readies search for a server's load: its in-memory index is filled in the background (searches work meanwhile). */
    public void prepareSearch() {
        db.prepareSearch();
    }

    /** What the search cache holds, in bytes of queries and answers. */
    long searchCacheBytes() {
        return search.cacheBytes();
    }

    /**
     * Deletes blobs no version points to ({@link BlobGc#sweep}). Run at start, before requests are served, by a server
     * with the store to itself (SQLite): on a shared database and store another instance may be between its blob and its row.
     */
    public int sweepOrphanBlobs() {
        return BlobGc.sweep(db, blobs);
    }

    /** For readiness checks: throws unless the database answers within the deadline (the details are for the log). */
    public void checkDatabase(Duration deadline) {
        db.check(deadline);
    }

    /** For readiness checks: throws unless the blob store answers. */
    public void checkBlobs() {
        blobs.check();
    }

    /** The database's connection pools as they are now, for the metrics. */
    public List<JdbcConnections.Pool> databasePools() {
        return db.pools();
    }

    @Override
    public void close() {
        indexes.close();
        try {
            feed.close();
        } catch (Exception e) {
            // closing at shutdown: nothing left to do with the error
        }
        downloads.close();
        db.close();
    }
}
