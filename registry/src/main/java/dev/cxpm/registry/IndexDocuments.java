package dev.cxpm.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.registry.publish.SemverGate;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.Versions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's index document as clients read it: every version, oldest first, with its integrity,
 * size, tarball, dependencies, yanked and deprecated state, publish time and publisher, source repository and commit when
 * known, surface changes since its previous release, the standing advisories ({@code "advisories": [{id, range, severity,
 * summary, url?}]}, absent when none), and a strong ETag (a hash of the bytes). Its {@code sequence} goes up with every
 * change, so a client can tell a replayed older document from a newer one; the server signs the exact bytes.
 */
final class IndexDocuments {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IndexDocuments() {
    }

    static Optional<Registry.IndexDocument> build(RegistryDatabase db, SemverGate surfaces, String plugin) {
        // the sequence is read before and after the rest: a change in between (on any server) would pair a number
        // with a state it does not describe, and a client holding the later pair would take this one for a replay
        for (int attempt = 0; ; attempt++) {
            long sequence = db.indexSequence(plugin);
            Optional<Registry.IndexDocument> doc = build(db, surfaces, plugin, sequence);
            if (db.indexSequence(plugin) == sequence || attempt == 10) {
                return doc;
            }
        }
    }

    private static Optional<Registry.IndexDocument> build(RegistryDatabase db, SemverGate surfaces, String plugin, long sequence) {
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
        rows.sort((a, b) -> Versions.ORDER.compare(a.version(), b.version()));
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
            return Optional.of(new Registry.IndexDocument(bytes, "\"" + Tokens.sha256(new String(bytes, StandardCharsets.UTF_8)).substring(0, 32) + "\"",
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
