package dev.cxpm.registry.storage;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.jdbc.Dialect;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import dev.cxpm.registry.storage.search.InMemorySearch;
import dev.cxpm.registry.storage.search.SearchRows;
import dev.cxpm.registry.storage.search.SearchWords;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata store over JDBC, one class for both setups: the embedded SQLite file (WAL mode,
 * FTS5 search) and PostgreSQL for scale-out (tsvector search); the {@link Dialect} holds the few
 * statements that differ. {@link JdbcConnections} holds the connections and transactions, and
 * the statements live by table: {@link PluginRows}, {@link PublishTransaction}, {@link SearchRows},
 * {@link TokenRows}, {@link AuditRows}, {@link AdvisoryRows},
 * {@link IndexRows}, and a plugin's versions by its name in {@link PluginVersions}.
 */
public final class JdbcDatabase implements RegistryDatabase {

    private final JdbcConnections db;
    private final Dialect dialect;
    private final String url;
    private final InMemorySearch searchIndex;
    private final PluginVersions pluginVersions;

    /** The embedded database: one SQLite file. */
    public static JdbcDatabase sqlite(Path file) {
        return open("jdbc:sqlite:" + file.toAbsolutePath(), Dialect.SQLITE);
    }

    /** A PostgreSQL database, e.g. {@code jdbc:postgresql://host:5432/cxpm?user=..&password=..}. */
    public static JdbcDatabase postgres(String jdbcUrl) {
        return open(jdbcUrl, Dialect.POSTGRES);
    }

    private static JdbcDatabase open(String url, Dialect dialect) {
        try {
            return new JdbcDatabase(new JdbcConnections(url, dialect), dialect, url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the registry database " + JdbcConnections.redacted(url) + ": " + e.getMessage(), e);
        }
    }

    private JdbcDatabase(JdbcConnections db, Dialect dialect, String url) {
        this.db = db;
        this.dialect = dialect;
        this.url = url;
        this.searchIndex = new InMemorySearch(db, dialect);
        this.pluginVersions = new PluginVersions(db);
        // plugins published before search_words existed, in short transactions so publishes are not held up
        java.util.Set<Long> haveWords = db.read(SearchWords::pluginsWithWords);
        for (long after = 0; after >= 0; ) {
            long from = after;
            after = db.write(c -> SearchWords.backfill(c, from, haveWords));
        }
        db.write(PluginRows::fileMissingNameVariants);
        // versions from before their order key was stored (migration 013): a full batch means there may be more
        while (db.write(c -> VersionRows.fillOrder(c, null)) == VersionRows.FILL_BATCH) {
            // next batch
        }
    }

    @Override
    public Optional<VersionPage> newestVersions(String plugin, String after, int limit) {
        return pluginVersions.newest(plugin, after, limit);
    }

    @Override
    public Optional<VersionRow> previousRelease(String plugin, String version) {
        return pluginVersions.previousRelease(plugin, version);
    }

    @Override
    public Map<String, String> surfaces(String plugin, java.util.Collection<String> versions) {
        return pluginVersions.surfaces(plugin, versions);
    }

    @Override
    public Published published(String plugin) {
        return pluginVersions.published(plugin);
    }

    @Override
    public Map<String, StoredChanges> storedChanges(String plugin) {
        return pluginVersions.storedChanges(plugin);
    }

    @Override
    public void storeChanges(String plugin, Map<String, StoredChanges> changes) {
        pluginVersions.storeChanges(plugin, changes);
    }

    @Override
    public Map<String, Long> downloads(String plugin, java.util.Collection<String> versions) {
        return pluginVersions.downloads(plugin, versions);
    }

    @Override
    public long totalDownloads(String plugin) {
        return pluginVersions.totalDownloads(plugin);
    }

    @Override
    public java.util.Set<Integrity> blobsOf(String plugin, java.util.Collection<Integrity> among) {
        return pluginVersions.blobsOf(plugin, among);
    }

    public JdbcConnections connections() {
        return db;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public List<JdbcConnections.Pool> pools() {
        return db.pools();
    }

    @Override
    public void check(java.time.Duration deadline) {
        db.check(deadline);
    }

    @Override
    public Optional<StoredPage> page(String plugin, String version) {
        return db.read(c -> PageRows.page(c, plugin, version));
    }

    @Override
    public void setPage(String plugin, String version, String json, byte[] icon, String iconType, String readmeHtml) {
        db.write(c -> PageRows.setPage(c, plugin, version, json, icon, iconType, readmeHtml));
    }

    @Override
    public void setReadmeHtml(String plugin, String version, String readmeHtml) {
        db.write(c -> PageRows.setReadmeHtml(c, plugin, version, readmeHtml));
    }

    @Override
    public Optional<Icon> icon(String plugin, String version) {
        return db.read(c -> PageRows.icon(c, plugin, version));
    }

    @Override
    public Map<String, Long> downloads(String plugin) {
        return db.read(c -> PageRows.downloads(c, plugin));
    }

    @Override
    public void addDownloads(Map<Integrity, Long> counts) {
        if (!counts.isEmpty()) {
            db.write(c -> PageRows.addDownloads(c, counts));
        }
    }

    @Override
    public OwnedPage pluginsOwnedBy(String user, String after, int limit) {
        return db.read(c -> PageRows.ownedBy(c, user, after, limit));
    }

    @Override
    public List<String> wordsNear(String word, int lengthDelta, int limit) {
        return word.isEmpty() ? List.of() : db.read(c -> PageRows.wordsNear(c, word, lengthDelta, limit));
    }

    @Override
    public Optional<PluginRow> plugin(String name) {
        return db.read(c -> PluginRows.plugin(c, name));
    }

    @Override
    public Map<String, List<String>> namesNear(String name) {
        return db.read(c -> PluginRows.namesNear(c, name));
    }

    @Override
    public List<VersionRow> versions(String plugin) {
        return db.read(c -> PluginRows.versions(c, plugin));
    }

    @Override
    public long indexSequence(String plugin) {
        return db.read(c -> PluginRows.indexSequence(c, plugin));
    }

    @Override
    public Optional<String> currentIndexEtag(String plugin, String keyId) {
        return db.read(c -> IndexRows.currentEtag(c, plugin, keyId));
    }

    @Override
    public Optional<IndexLookup> storedIndex(String plugin) {
        return db.read(c -> IndexRows.lookup(c, plugin));
    }

    @Override
    public void storeIndexes(Map<String, StoredIndex> docs) {
        if (!docs.isEmpty()) {
            db.write(c -> IndexRows.store(c, docs));
        }
    }

    @Override
    public List<String> staleIndexes(String keyId, String after, int limit) {
        return db.read(c -> IndexRows.stale(c, keyId, after, limit));
    }

    @Override
    public Optional<VersionRow> version(String plugin, String version) {
        return db.read(c -> PluginRows.version(c, plugin, version));
    }

    @Override
    public PublishOutcome insertVersion(VersionRow v, Summary summary, boolean anyOwner, NewNameRule newName, VersionRule rule,
                                        String surfaceJson) {
        return db.write(c -> PublishTransaction.insertVersion(c, dialect, v, summary, anyOwner, newName, rule, surfaceJson));
    }

    @Override
    public Map<String, String> surfaces(String plugin) {
        return db.read(c -> PluginRows.surfaces(c, plugin));
    }

    @Override
    public void setSurface(String plugin, String version, String surfaceJson) {
        db.write(c -> PluginRows.setSurface(c, plugin, version, surfaceJson));
    }

    @Override
    public boolean setYanked(String plugin, String version, boolean yanked, VersionRule rule) {
        return db.write(c -> PublishTransaction.setYanked(c, dialect, plugin, version, yanked, rule));
    }

    @Override
    public boolean setDeprecated(String plugin, String version, String message) {
        return db.write(c -> PluginRows.setDeprecated(c, plugin, version, message));
    }

    @Override
    public List<String> ownedBy(String user) {
        return db.read(c -> PluginRows.ownedBy(c, user));
    }

    @Override
    public List<String> owners(String plugin) {
        return db.read(c -> PluginRows.owners(c, plugin));
    }

    @Override
    public void addOwner(String plugin, String user) {
        db.write(c -> PluginRows.addOwner(c, plugin, user));
    }

    @Override
    public boolean removeOwner(String plugin, String user) {
        return db.write(c -> PluginRows.removeOwner(c, plugin, user));
    }

    @Override
    public List<PluginRow> pluginsAfter(String after, int limit) {
        return db.read(c -> PluginRows.pluginsAfter(c, after, limit));
    }

    @Override
    public SearchPage search(SearchQuery q) {
        return searchIndex.search(q).orElseGet(() -> db.search(c -> SearchRows.search(c, dialect, q)));
    }

    /** The old way, in SQL, whatever the in-memory index holds (what tests compare it with). */
    SearchPage searchInDatabase(SearchQuery q) {
        return db.search(c -> SearchRows.search(c, dialect, q));
    }

    @Override
    public void prepareSearch() {
        searchIndex.start();
    }

    boolean searchIndexReady() {
        return searchIndex.ready();
    }

    /** Fills the in-memory search index now, in this thread (tests). */
    void fillSearchIndex() {
        searchIndex.fill();
    }

    @Override
    public void changed(String plugin) {
        searchIndex.changed(plugin);
    }

    @Override
    public List<Integrity> integrities() {
        return db.read(PluginRows::integrities);
    }

    @Override
    public void insertToken(TokenRow t) {
        db.write(c -> TokenRows.insert(c, t));
    }

    @Override
    public Optional<TokenRow> tokenBySecretHash(String secretHash) {
        return db.read(c -> TokenRows.bySecretHash(c, secretHash));
    }

    @Override
    public Optional<TokenRow> token(String id) {
        return db.read(c -> TokenRows.byId(c, id));
    }

    @Override
    public boolean revokeToken(String id, Instant at) {
        return db.write(c -> TokenRows.revoke(c, id, at));
    }

    @Override
    public List<TokenRow> tokens(String user, String after, int limit) {
        return db.read(c -> TokenRows.ofUser(c, user, after == null ? "" : after, limit));
    }

    @Override
    public <T> T transaction(java.util.function.Supplier<T> writes) {
        return db.write(c -> writes.get());
    }

    @Override
    public void appendAudit(AuditRow row) {
        db.write(c -> {
            AuditRows.append(c, row);
            // every write that changes what a plugin looks like is audited in its transaction: announced with it
            if (dialect == Dialect.POSTGRES && row.plugin() != null) {
                ChangeFeed.announce(c, row.plugin());
            }
            return null;
        });
    }

    @Override
    public AutoCloseable listen(java.util.function.Consumer<String> changed) {
        return dialect == Dialect.POSTGRES ? ChangeFeed.listen(url, changed) : () -> { };
    }

    @Override
    public boolean sharedWithOtherInstances() {
        return dialect == Dialect.POSTGRES;
    }

    @Override
    public List<AuditRow> audit(AuditQuery query) {
        return db.read(c -> AuditRows.read(c, query));
    }

    @Override
    public Optional<String> insertAdvisory(AdvisoryRow advisory, String idPrefix) {
        return Optional.ofNullable(db.write(c -> AdvisoryRows.insert(c, dialect, advisory, idPrefix)));
    }

    @Override
    public boolean withdrawAdvisory(String plugin, String id, Instant at) {
        return db.write(c -> AdvisoryRows.withdraw(c, plugin, id, at));
    }

    @Override
    public List<AdvisoryRow> advisories(String plugin) {
        return db.read(c -> AdvisoryRows.of(c, plugin));
    }

    @Override
    public void close() {
        db.close();
    }
}
