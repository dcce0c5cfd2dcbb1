package dev.cxpm.registry.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.Tokens;
import dev.cxpm.registry.publish.SemverGate;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.IndexLookup;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.StoredIndex;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.Versions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plugin's index document as clients read it: every version, oldest first, with its integrity,
 * size, tarball, dependencies, yanked and deprecated state, publish time and publisher, source repository and commit when
 * known, surface changes since its previous release, the standing advisories ({@code "advisories": [{id, range, severity,
 * summary, url?}]}, absent when none), and a strong ETag (a hash of the bytes). Its {@code sequence} goes up with every
 * change, so a client can tell a replayed older document from a newer one; the server signs the exact bytes.
 *
 * <p>Once a server gives it its key ({@link #signWith}), each document is built and signed when a change makes it (in
 * the writer's thread, after the change commits) and stored in the database beside the plugin, so a read is one
 * indexed lookup and a copy of bytes at any registry size, with no cache to outgrow (issue 12: at 100,000 plugins half
 * the reads missed a cache of 50,000 and rebuilt and signed, and the turnover made the collector stall). A stored
 * document is served only at the plugin's current sequence and signed by the current key; one missing or stale (a
 * registry imported or migrated, a key rotated, a server stopped between a change's commit and storing its document) is
 * built by its reader and stored behind, and a background thread makes every missing one after start, readers served
 * meanwhile. Servers sharing a PostgreSQL database read each other's stored documents (they are given the same key).
 */
public final class IndexDocuments implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final System.Logger LOG = System.getLogger(IndexDocuments.class.getName());
    /** Documents made (or stored) per transaction in the background. */
    public static final int BATCH = 200;
    /** Documents readers rebuilt, waiting to be stored: bounded; past it a document is made again by its next reader. */
    static final int PENDING_MAX = 1_000;

    /** A document as built, before signing. */
    private record Document(byte[] json, String etag, long sequence) {
    }

    private final RegistryDatabase db;
    private final SemverGate surfaces;
    private volatile SigningKeys keys;
    private final BlockingQueue<Map.Entry<String, StoredIndex>> pending = new ArrayBlockingQueue<>(PENDING_MAX);
    private Thread storer;
    private volatile boolean closed;
    private volatile boolean filled;

    public IndexDocuments(RegistryDatabase db, SemverGate surfaces) {
        this.db = db;
        this.surfaces = surfaces;
    }

    /**
     * From now on documents are signed with {@code keys} and stored; those missing or stale (signed by another key
     * included) are made in the background, a batch at a time, without holding up readers.
     */
    public synchronized void signWith(SigningKeys keys) {
        this.keys = keys;
        filled = false; // a server started again on this registry, maybe with a rotated key: the scan runs again
        if (storer == null && !closed) {
            storer = Thread.ofPlatform().daemon().name("cxpm-index-documents").start(this::storeInBackground);
        }
    }

    /** Whether the background thread has made every document missing at start (for tests and the log). */
    public boolean filled() {
        return filled;
    }

    /** The plugin's document: stored and current, or built (and signed, and queued to be stored, once a key is given). */
    public Optional<Registry.IndexDocument> read(String plugin) {
        SigningKeys k = keys;
        if (k == null) { // a registry opened by a command, not a server: nothing signs, nothing is stored
            return build(plugin).map(d -> new Registry.IndexDocument(d.json(), d.etag(), d.sequence(), null));
        }
        Optional<IndexLookup> found = db.storedIndex(plugin);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredIndex> stored = found.get().stored();
        if (stored.isPresent() && current(stored.get(), found.get().sequenceNow(), k)) {
            return stored.map(IndexDocuments::document);
        }
        Optional<StoredIndex> made = make(plugin, k);
        made.ifPresent(d -> pending.offer(Map.entry(plugin, d)));
        return made.map(IndexDocuments::document);
    }

    /**
     * The ETag of the plugin's stored document while it is current, read without its bytes: a client revalidating the
     * copy it holds (2.4 MB at 5,000 versions) is answered 304 from one small row. Empty when none is stored and current.
     */
    public Optional<String> currentEtag(String plugin) {
        SigningKeys k = keys;
        return k == null ? Optional.empty() : db.currentIndexEtag(plugin, k.current().id());
    }

    private static boolean current(StoredIndex s, long sequenceNow, SigningKeys k) {
        return s.sequence() == sequenceNow && s.keyId().equals(k.current().id());
    }

    private static Registry.IndexDocument document(StoredIndex s) {
        return new Registry.IndexDocument(s.body(), s.etag(), s.sequence(), s.signature());
    }

    /**
     * The plugin changed through this server (its change committed): its document made, signed and stored now, so
     * that the writer's answer means every server reads the new one. A failure here loses nothing: the plugin's
     * sequence has moved, so the stored document is stale and its next reader makes it.
     */
    public void changed(String plugin) {
        SigningKeys k = keys;
        if (k == null || plugin == null) {
            return;
        }
        try {
            make(plugin, k).ifPresent(d -> db.storeIndexes(Map.of(plugin, d)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not store the index document of " + plugin + " (its next reader makes it)", e);
        }
    }

    /** Built and signed: the signature ({@code X-Cxpm-Signature}'s value) is made here, once per change, never per read. */
    private Optional<StoredIndex> make(String plugin, SigningKeys k) {
        return build(plugin).map(d -> new StoredIndex(d.sequence(), d.json(), d.etag(), k.current().id(), k.sign(d.json()).header()));
    }

    /** Every missing or stale document made once after start, then what readers rebuilt, stored in batches. */
    private void storeInBackground() {
        long start = System.nanoTime();
        int made = 0;
        String after = null;
        SigningKeys scanned = null;
        Map<String, StoredIndex> batch = new LinkedHashMap<>();
        while (!closed) {
            try {
                if (!filled) {
                    SigningKeys k = keys;
                    if (k != scanned) {
                        scanned = k;
                        after = null;
                    }
                    List<String> names = db.staleIndexes(k.current().id(), after, BATCH);
                    for (String name : names) {
                        make(name, k).ifPresent(d -> batch.put(name, d));
                    }
                    made += names.size();
                    after = names.isEmpty() ? after : names.get(names.size() - 1);
                    if (names.isEmpty() && keys == k) {
                        filled = true;
                        if (made >= BATCH) { // a fill worth an operator's notice (an import, a migration, a rotation)
                            LOG.log(System.Logger.Level.INFO, "stored the index documents of " + made + " plugins in "
                                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s");
                        }
                    }
                } else {
                    Map.Entry<String, StoredIndex> first = pending.poll(1, TimeUnit.SECONDS);
                    if (first != null) {
                        batch.put(first.getKey(), first.getValue());
                    }
                }
                for (Map.Entry<String, StoredIndex> e; batch.size() < BATCH * 2 && (e = pending.poll()) != null; ) {
                    batch.putIfAbsent(e.getKey(), e.getValue());
                }
                db.storeIndexes(batch);
                batch.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // the database away for a moment: tried again (readers build meanwhile, as before any was stored)
                LOG.log(System.Logger.Level.WARNING, "could not store index documents; trying again in a second", e);
                batch.clear();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private Optional<Document> build(String plugin) {
        // the sequence is read before and after the rest: a change in between (on any server) would pair a number
        // with a state it does not describe, and a client holding the later pair would take this one for a replay
        for (int attempt = 0; ; attempt++) {
            long sequence = db.indexSequence(plugin);
            Optional<Document> doc = build(plugin, sequence);
            if (db.indexSequence(plugin) == sequence || attempt == 10) {
                return doc;
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = storer;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Optional<Document> build(String plugin, long sequence) {
        Optional<PluginRow> row = db.plugin(plugin);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        PluginRow p = row.get();
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", p.name());
        doc.put("sequence", sequence);
        doc.put("latest", p.latestVersion());
        doc.put("description", p.description());
        if (p.displayName() != null) {
            doc.put("displayName", p.displayName());
        }
        if (p.category() != null) {
            doc.put("category", p.category());
        }
        ArrayNode versions = doc.putArray("versions");
        List<VersionRow> rows = new ArrayList<>(db.versions(plugin));
        Map<String, String> keys = new HashMap<>(); // each version's order key built once, not at every compare
        rows.sort(Comparator.comparing(r -> keys.computeIfAbsent(r.version(), Versions::orderKey)));
        Map<String, List<String>> changes = surfaces.changes(plugin, rows);
        for (VersionRow v : rows) {
            ObjectNode o = versions.addObject();
            o.put("version", v.version());
            o.put("integrity", v.integrity().sri());
            o.put("size", v.size());
            o.put("tarball", Registry.BLOB_PATH + v.integrity().hex());
            o.set("dependencies", parse(v.dependencies()));
            o.put("yanked", v.yanked());
            if (v.deprecated() != null) {
                o.put("deprecated", v.deprecated());
            }
            o.put("publishedAt", v.publishedAt().toString());
            o.put("publisher", v.publishedBy());
            if (v.source() != null) {
                o.putObject("source").put("repository", v.source().repository()).put("commit", v.source().commit());
            }
            if (changes.containsKey(v.version())) {
                changes.get(v.version()).forEach(o.putArray("changes")::add);
            }
        }
        // only while one stands, so a plugin without advisories keeps the document (and ETag) it always had
        List<RegistryDatabase.AdvisoryRow> standing = db.advisories(plugin).stream().filter(a -> a.withdrawnAt() == null).toList();
        if (!standing.isEmpty()) {
            ArrayNode advisories = doc.putArray("advisories");
            for (RegistryDatabase.AdvisoryRow a : standing) {
                ObjectNode o = advisories.addObject().put("id", a.id()).put("range", a.range()).put("severity", a.severity())
                        .put("summary", a.summary());
                if (a.url() != null) {
                    o.put("url", a.url());
                }
            }
        }
        try {
            byte[] bytes = JSON.writeValueAsBytes(doc);
            return Optional.of(new Document(bytes, "\"" + Tokens.sha256(new String(bytes, StandardCharsets.UTF_8)).substring(0, 32) + "\"",
                    sequence));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
