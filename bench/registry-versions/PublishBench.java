// A publish at VERSIONS versions (issue 12): its wall and process CPU, then the index document it made. See docs/BENCHMARKS.md, wt-reg6 (session 17).
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** PageBench DIR VERSIONS ROUNDS: per-request wall and process CPU (server and client in one JVM), bytes, at VERSIONS versions. */
public class PublishBench {
    static byte[] tgzVersion(String v) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (var e : Map.of("package/.codex-plugin/plugin.json", "{\"name\":\"team-tools\",\"version\":\"" + v + "\",\"description\":\"Triage for teams.\"}",
                    "package/skills/triage/SKILL.md", "---\nname: triage\ndescription: Label new issues.\n---\nTriage.\n",
                    "package/README.md", "# Team Tools\n\nTriage.\n").entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setSize(b.length);
                tar.putArchiveEntry(t);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] tgz() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (var e : Map.of("package/.codex-plugin/plugin.json", "{\"name\":\"team-tools\",\"version\":\"1.0.0\",\"description\":\"Triage for teams.\"}",
                    "package/skills/triage/SKILL.md", "---\nname: triage\ndescription: Label new issues.\n---\nTriage.\n",
                    "package/README.md", "# Team Tools\n\nTriage.\n").entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setSize(b.length);
                tar.putArchiveEntry(t);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int versions = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Registry registry = Registry.embedded(data, Clock.systemUTC());
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), tgz());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db"))) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size, manifest,"
                    + " dependencies, yanked, published_by, published_at, surface) SELECT plugin_id, ?, ?, seq + ?, integrity, size, manifest,"
                    + " dependencies, 0, published_by, published_at, surface FROM versions WHERE version = '1.0.0'")) {
                for (int i = 1; i < versions; i++) {
                    String v = (1 + i / 1000) + "." + (i / 100 % 10) + "." + (i % 100) + (i % 7 == 0 ? "-rc.1" : "");
                    p.setString(1, v);
                    p.setString(2, v);
                    p.setInt(3, i);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE plugins SET latest_version = '" + (1 + (versions - 1) / 1000) + "." + ((versions - 1) / 100 % 10) + "." + ((versions - 1) % 100) + "'");
                s.executeUpdate("UPDATE plugins SET index_sequence = index_sequence + 1"); // the stored index document is stale: made again with all rows
            }
            c.commit();
        }
        RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        HttpClient http = HttpClient.newHttpClient();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var thread = ManagementFactory.getThreadMXBean(); // the publishing thread's own: the process's adds JIT, GC and the background fill
        http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/team-tools")).build(), HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(3000);
        for (int i = 0; i < rounds; i++) {
            String v = "9.0." + i;
            byte[] next = tgzVersion(v);
            long c0 = os.getProcessCpuTime();
            long tc0 = thread.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), next);
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - c0;
            long threadCpu = thread.getCurrentThreadCpuTime() - tc0;
            long t1 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/team-tools")).build(), HttpResponse.BodyHandlers.ofByteArray());
            System.out.printf("publish %s at %d versions: wall %.1f ms cpu %.1f ms (its thread %.1f ms); then the index document %d bytes in %.1f ms%n",
                    v, versions + i, wall / 1e6, cpu / 1e6, threadCpu / 1e6,
                    r.body().length, (System.nanoTime() - t1) / 1e6);
        }
        server.close();
        registry.close();
    }
}
