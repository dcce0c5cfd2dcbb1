package dev.cxpm.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.RegistryExport;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The fast way to a registry of 100,000 plugins for bench/registry-load.sh: {@code seed-export DIR N USERS} publishes
 * the first 400 of {@link RegistryBench}'s plugins through the real {@link Registry} (every 400th plugin repeats the
 * words and category of one of them), exports that registry with the real {@code RegistryExport}, and writes
 * {@code DIR/export}, an export of all N: each plugin a copy of its template's rows under its own name and id (its
 * archive is the template's blob). The script restores it with the real {@code cxpm registry import}, which builds the
 * search entries, words and name variants as a publish would. Also writes {@code DIR/bench/} as {@code seed} does. With
 * {@code VERSIONS} (a fifth argument), plugin-00000 has that many versions (copies of its first, 1.K.M), and USERS sets
 * how many plugins each owner has (N / USERS).
 */
final class RegistryBenchExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TEMPLATES = 400;

    private RegistryBenchExport() {
    }

    static void seedExport(Path dir, int n, int users, int versionsOfTheFirst) throws Exception {
        int templates = Math.min(n, TEMPLATES);
        Path small = dir.resolve("templates");
        long t0 = System.nanoTime();
        RegistryBench.seed(small, templates, users);
        Path smallExport = dir.resolve("templates-export");
        try (JdbcDatabase db = JdbcDatabase.sqlite(small.resolve("registry.db"))) {
            RegistryExport.export(db, new FileBlobStore(small.resolve("blobs")), smallExport);
        }
        Map<String, List<ObjectNode>> rows = new HashMap<>();
        for (String table : List.of("plugins", "owners", "versions", "advisories", "tokens", "audit_log")) {
            List<ObjectNode> list = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(smallExport.resolve(table + ".jsonl"))) {
                for (String line; (line = r.readLine()) != null; ) {
                    list.add((ObjectNode) JSON.readTree(line));
                }
            }
            rows.put(table, list);
        }
        Map<Long, Integer> templateOf = new HashMap<>(); // template plugin id -> its number i
        for (ObjectNode p : rows.get("plugins")) {
            templateOf.put(p.get("id").asLong(), Integer.parseInt(p.get("name").asText().substring("plugin-".length())));
        }
        Map<Integer, ObjectNode> pluginOf = new HashMap<>();
        Map<Integer, List<ObjectNode>> ownersOf = new HashMap<>();
        Map<Integer, List<ObjectNode>> versionsOf = new HashMap<>();
        for (ObjectNode p : rows.get("plugins")) {
            pluginOf.put(templateOf.get(p.get("id").asLong()), p);
        }
        for (ObjectNode o : rows.get("owners")) {
            ownersOf.computeIfAbsent(templateOf.get(o.get("plugin_id").asLong()), k -> new ArrayList<>()).add(o);
        }
        for (ObjectNode v : rows.get("versions")) {
            versionsOf.computeIfAbsent(templateOf.get(v.get("plugin_id").asLong()), k -> new ArrayList<>()).add(v);
        }

        Path out = Files.createDirectories(dir.resolve("export"));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", "cxpm-registry-export");
        manifest.put("version", 1);
        ObjectNode files = manifest.putObject("files");
        try (Table plugins = new Table(out, "plugins"); Table owners = new Table(out, "owners"); Table versions = new Table(out, "versions")) {
            for (int i = 0; i < n; i++) {
                int t = i % templates;
                long id = i + 1L;
                String from = name(t);
                String to = name(i);
                ObjectNode p = pluginOf.get(t).deepCopy();
                p.put("id", id);
                p.put("name", to);
                p.put("name_key", p.get("name_key").asText().replace(from, to));
                p.put("display_name", p.get("display_name").asText().replaceAll(" " + t + "$", " " + i));
                p.put("description", renumber(p.get("description").asText(), t, i));
                plugins.write(p);
                for (ObjectNode o : ownersOf.getOrDefault(t, List.of())) {
                    owners.write(o.deepCopy().put("plugin_id", id));
                }
                List<ObjectNode> its = new ArrayList<>(versionsOf.get(t));
                for (int k = its.size(); i == 0 && k < versionsOfTheFirst; k++) {
                    // plugin-00000 with thousands of versions (the bench of one plugin's listing, yank, index, page)
                    String version = "1." + (k / 1000 + 1) + "." + (k % 1000);
                    its.add(its.getFirst().deepCopy().put("version", version).put("version_release", version).put("seq", k + 1L));
                }
                for (ObjectNode v : its) {
                    ObjectNode copy = v.deepCopy().put("plugin_id", id);
                    for (String text : List.of("manifest", "page")) {
                        if (copy.hasNonNull(text)) {
                            copy.put(text, renumber(copy.get(text).asText().replace(from, to), t, i));
                        }
                    }
                    versions.write(copy);
                }
            }
            plugins.record(files);
            owners.record(files);
            versions.record(files);
        }
        for (String table : List.of("advisories", "tokens", "audit_log")) {
            try (Table copy = new Table(out, table)) {
                for (ObjectNode row : rows.get(table)) {
                    copy.write(row);
                }
                copy.record(files);
            }
        }
        Path blobs = Files.createDirectories(out.resolve("blobs"));
        long blobCount = 0;
        try (Stream<Path> s = Files.list(smallExport.resolve("blobs"))) {
            for (Path b : s.toList()) {
                Files.copy(b, blobs.resolve(b.getFileName()));
                blobCount++;
            }
        }
        manifest.put("blobs", blobCount);
        Files.write(out.resolve("manifest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));

        // the bench's tokens are the templates' (restored with them); blob paths of 500 random plugins of N
        Path bench = Files.createDirectories(dir.resolve("bench"));
        Files.copy(small.resolve("bench/tokens.txt"), bench.resolve("tokens.txt"));
        Map<Integer, String> integrity = new HashMap<>();
        versionsOf.forEach((t, vs) -> integrity.put(t, vs.get(0).get("integrity").asText()));
        Random random = new Random(3);
        List<String> paths = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            paths.add(Registry.BLOB_PATH + integrity.get(random.nextInt(n) % templates));
        }
        Files.write(bench.resolve("blobs.txt"), paths);
        System.out.printf("wrote an export of %d plugins (%d published, the rest copies) in %.1f s%n", n, templates,
                (System.nanoTime() - t0) / 1e9);
    }

    static String name(int i) {
        return String.format("plugin-%05d", i);
    }

    private static String renumber(String text, int from, int to) {
        return text.replace("plugin number " + from + ".", "plugin number " + to + ".").replace(" " + from + "\"", " " + to + "\"");
    }

    /** One table's file, its sha512 and line count as the manifest records them. */
    private static final class Table implements AutoCloseable {
        final String file;
        final MessageDigest sha = Integrity.newSha512();
        final OutputStream out;
        long lines;

        Table(Path dir, String table) throws IOException {
            file = table + ".jsonl";
            out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(file)), 1 << 16), sha);
        }

        void write(JsonNode row) throws IOException {
            out.write(JSON.writeValueAsBytes(row));
            out.write('\n');
            lines++;
        }

        void record(ObjectNode files) throws IOException {
            out.flush();
            files.putObject(file).put("sha512", HexFormat.of().formatHex(sha.digest())).put("lines", lines);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
