package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.backup.BackupException;
import dev.cxpm.registry.storage.backup.BlobGc;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.RegistryExport;
import dev.cxpm.registry.storage.backup.RegistryImport;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export, import and gc on real SQLite and blob directories, compared over HTTP from a real server on each side. */
class RegistryBackupTest {

    static final List<String> PLUGINS = List.of("github-triage", "postgres-explorer", "design-review");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    /** A registry with yanked and deprecated versions, an extra owner, tokens and downloads. */
    static void fill(Registry r) {
        Caller admin = new Caller("alice", List.of(Caller.ADMIN), null);
        DemoPlugins.seed(r, admin);
        r.deprecate(admin, "github-triage", "<1.0.0", "use 1.x");
        r.addOwner(admin, "github-triage", "bob");
        r.createToken(null, "bob", List.of("owner"), null, "laptop");
    }

    @Test
    void roundTripSqliteToSqliteServesTheSameIndexDocumentsSearchAndBlobs() throws Exception {
        Path src = tmp.resolve("src");
        Registry source = Registry.embedded(src, Clock.systemUTC());
        fill(source);
        String token = source.createToken(null, "carol", List.of("owner"), null, null).token();
        source.close();
        Path dump = tmp.resolve("backup");
        List<Integrity> integrities;
        try (JdbcDatabase db = JdbcDatabase.sqlite(src.resolve("registry.db"))) {
            RegistryExport.Summary s = RegistryExport.export(db, new FileBlobStore(src.resolve("blobs")), dump);
            assertThat(s.rows().get("plugins")).isEqualTo(PLUGINS.size());
            assertThat(s.blobs()).isPositive();
            integrities = db.integrities();
        }
        assertThat(Files.readString(dump.resolve("tokens.jsonl"))).doesNotContain(token);
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        try (JdbcDatabase db = JdbcDatabase.sqlite(dst.resolve("registry.db"))) {
            RegistryImport.importFrom(dump, db, new FileBlobStore(dst.resolve("blobs")));
        }
        assertSameRegistry(Registry.embedded(src, Clock.systemUTC()), src, Registry.embedded(dst, Clock.systemUTC()), dst, token, integrities);
    }

    /** Index documents, search and blobs byte-equal (server addresses aside); the source's token works on the target. */
    static void assertSameRegistry(Registry a, Path aData, Registry b, Path bData, String token, List<Integrity> integrities)
            throws Exception {
        try (RegistryServer sa = RegistryServer.start(a, "127.0.0.1", 0, new RegistryServer.Options(aData.resolve("git-a"), "cxpm-registry"));
             RegistryServer sb = RegistryServer.start(b, "127.0.0.1", 0, new RegistryServer.Options(bData.resolve("git-b"), "cxpm-registry"))) {
            for (String p : PLUGINS) {
                String docA = get(sa.url(), "/api/v1/plugins/" + p).replace(sa.url().toString(), "URL");
                String docB = get(sb.url(), "/api/v1/plugins/" + p).replace(sb.url().toString(), "URL");
                assertThat(docB).isEqualTo(docA).contains(p);
            }
            assertThat(get(sb.url(), "/api/v1/search?q=github").replace(sb.url().toString(), "URL"))
                    .isEqualTo(get(sa.url(), "/api/v1/search?q=github").replace(sa.url().toString(), "URL")).contains("github-triage");
            // the words typo-tolerant search corrects against are restored too (filled in one pass by the import)
            assertThat(get(sb.url(), "/api/v1/search?q=githb")).contains("\"correctedQuery\":\"github\"").contains("github-triage");
            assertThat(get(sb.url(), "/api/v1/plugins/github-triage")).contains("use 1.x");
            for (Integrity i : integrities) {
                byte[] blobA = bytes(sa.url(), "/api/v1/blobs/" + i.hex());
                assertThat(bytes(sb.url(), "/api/v1/blobs/" + i.hex())).isEqualTo(blobA);
                assertThat(Integrity.sha512(blobA)).isEqualTo(i);
            }
            HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(sb.url().resolve("/api/v1/me"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("carol");
        } finally {
            a.close();
            b.close();
        }
    }

    static String get(URI base, String path) throws IOException, InterruptedException {
        return new String(bytes(base, path), StandardCharsets.UTF_8);
    }

    static byte[] bytes(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    /** A registry filled as {@link #fill} does, exported to {@code tmp/backup}. */
    static Path exported(Path tmp) {
        Path src = tmp.resolve("src");
        Registry source = Registry.embedded(src, Clock.systemUTC());
        fill(source);
        source.close();
        Path dump = tmp.resolve("backup");
        try (JdbcDatabase db = JdbcDatabase.sqlite(src.resolve("registry.db"))) {
            RegistryExport.export(db, new FileBlobStore(src.resolve("blobs")), dump);
        }
        return dump;
    }

    /** What importing {@code dump} into a registry at {@code dst} threw, or null. */
    static BackupException importInto(Path dump, Path dst) {
        try (JdbcDatabase db = JdbcDatabase.sqlite(dst.resolve("registry.db"))) {
            return org.assertj.core.api.Assertions.catchThrowableOfType(BackupException.class,
                    () -> RegistryImport.importFrom(dump, db, new FileBlobStore(dst.resolve("blobs"))));
        }
    }

    private static void assertEmpty(Path dst) throws IOException {
        try (JdbcDatabase db = JdbcDatabase.sqlite(dst.resolve("registry.db"))) {
            assertThat(db.pluginsAfter("", 10)).isEmpty();
        }
        try (Stream<Path> blobs = Files.walk(dst.resolve("blobs"))) {
            assertThat(blobs.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void importIntoANonEmptyRegistryIsRefused() throws IOException {
        Path dump = exported(tmp);
        Path dst = tmp.resolve("dst");
        Registry target = Registry.embedded(dst, Clock.systemUTC());
        target.createToken(null, "admin", List.of("admin"), null, null);
        target.close();
        BackupException e = importInto(dump, dst);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(BackupException.Cause.NOT_EMPTY);
        assertThat(e.getMessage()).contains("not empty");
    }

    @Test
    void aCorruptedBlobIsRefusedAndTheTargetStaysEmpty() throws IOException {
        Path dump = exported(tmp);
        Path blob;
        try (Stream<Path> s = Files.list(dump.resolve("blobs"))) {
            blob = s.findFirst().orElseThrow();
        }
        byte[] content = Files.readAllBytes(blob);
        content[content.length / 2] ^= 1;
        Files.write(blob, content);
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        BackupException e = importInto(dump, dst);
        assertThat(e.kind()).isEqualTo(BackupException.Cause.INTEGRITY);
        assertThat(e.getMessage()).contains("blobs/" + blob.getFileName()).contains("does not match");
        assertEmpty(dst);
    }

    @Test
    void aHostileExportIsRefusedWithFileAndLineAndNothingImported() throws IOException {
        Path dump = exported(tmp);
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        // a row that names a plugin with a path in it; the manifest's hash then no longer matches either, but the line is refused first
        Path plugins = dump.resolve("plugins.jsonl");
        List<String> lines = Files.readAllLines(plugins);
        lines.set(1, lines.get(1).replaceFirst("\"name\":\"[^\"]+\"", "\"name\":\"../../etc\""));
        Files.write(plugins, lines);
        assertThat(importInto(dump, dst).getMessage()).startsWith("plugins.jsonl line 2: ");
        assertEmpty(dst);

        Path dump2 = tmp.resolve("backup2");
        Files.move(dump, dump2);
        Files.writeString(dump2.resolve("plugins.jsonl"), "x".repeat(17 * 1024 * 1024));
        assertThat(importInto(dump2, dst).getMessage()).startsWith("plugins.jsonl line 1: line longer than");
        assertEmpty(dst);
    }

    @Test
    void aManifestClaimingOtherCountsOrAStrayFileIsRefused() throws IOException {
        Path dump = exported(tmp);
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        Path manifest = dump.resolve("manifest.json");
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.replaceFirst("\"blobs\" : \\d+", "\"blobs\" : 999"));
        assertThat(importInto(dump, dst).getMessage()).contains("manifest.json says 999");
        Files.writeString(manifest, original.replaceFirst("(\"tokens.jsonl\" : \\{[^}]*\"lines\" : )\\d+", "$1" + 7));
        assertThat(importInto(dump, dst).getMessage()).startsWith("tokens.jsonl: ").contains("manifest.json says 7");
        Files.writeString(manifest, original);
        Files.writeString(dump.resolve("blobs").resolve("..evil"), "x");
        assertThat(importInto(dump, dst).getMessage()).contains("not a blob file");
        assertEmpty(dst);
    }

    @Test
    void exportIntoAnExistingDirectoryIsRefusedAndLeavesNoPartialDirectory() throws IOException {
        Path src = tmp.resolve("src");
        Registry.embedded(src, Clock.systemUTC()).close();
        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("keep"), "mine");
        try (JdbcDatabase db = JdbcDatabase.sqlite(src.resolve("registry.db"))) {
            assertThatThrownBy(() -> RegistryExport.export(db, new FileBlobStore(src.resolve("blobs")), full))
                    .isInstanceOf(BackupException.class).hasMessageContaining("already exists");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.contains("partial"));
        }
    }

    @Test
    void gcRemovesAnOldOrphanKeepsAYoungOneAndEveryReferencedOneAndReportsMissingBlobs() throws IOException {
        Path data = tmp.resolve("data");
        Registry r = Registry.embedded(data, Clock.systemUTC());
        fill(r);
        r.close();
        BlobStore blobs = new FileBlobStore(data.resolve("blobs"));
        byte[] oldBytes = "old orphan".getBytes(StandardCharsets.UTF_8);
        byte[] youngBytes = "young orphan".getBytes(StandardCharsets.UTF_8);
        Integrity old = Integrity.sha512(oldBytes);
        Integrity young = Integrity.sha512(youngBytes);
        blobs.put(old, oldBytes);
        blobs.put(young, youngBytes);
        Instant now = Instant.now();
        Files.setLastModifiedTime(data.resolve("blobs").resolve(old.hex().substring(0, 2)).resolve(old.hex() + ".tgz"),
                FileTime.from(now.minus(Duration.ofHours(25))));
        try (JdbcDatabase db = JdbcDatabase.sqlite(data.resolve("registry.db"))) {
            List<Integrity> referenced = db.integrities();
            BlobGc.Report dry = BlobGc.run(db, blobs, Duration.ofHours(24), now, true);
            assertThat(dry.removed()).extracting(BlobGc.Orphan::integrity).containsExactly(old);
            assertThat(blobs.exists(old)).isTrue();

            BlobGc.Report report = BlobGc.run(db, blobs, Duration.ofHours(24), now, false);
            assertThat(report.removed()).extracting(BlobGc.Orphan::integrity).containsExactly(old);
            assertThat(report.young()).extracting(BlobGc.Orphan::integrity).containsExactly(young);
            assertThat(report.missing()).isEmpty();
            assertThat(blobs.exists(old)).isFalse();
            assertThat(blobs.exists(young)).isTrue();
            assertThat(referenced).allMatch(blobs::exists);

            blobs.delete(referenced.get(0));
            assertThat(BlobGc.run(db, blobs, Duration.ofHours(24), now, false).missing())
                    .extracting(BlobGc.MissingBlob::integrity).contains(referenced.get(0).hex());
            assertThat(db.integrities()).hasSameSizeAs(referenced);
        }
    }
}
