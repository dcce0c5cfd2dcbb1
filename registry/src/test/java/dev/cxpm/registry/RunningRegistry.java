package dev.cxpm.registry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A real registry server on 127.0.0.1 over storage in a temp dir, with an admin token, for the tests of hostile input. */
final class RunningRegistry implements AutoCloseable {

    final Path data;
    final Registry registry;
    final RegistryServer server;
    final String admin;
    private final HttpClient http = HttpClient.newHttpClient();

    RunningRegistry(Path data, Registry registry) throws IOException {
        this.data = data;
        this.registry = registry;
        this.server = RegistryServer.start(registry, "127.0.0.1", 0,
                new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        this.admin = registry.createToken(null, "alice", List.of("admin"), null, "test").token();
    }

    static RunningRegistry embedded(Path data) throws IOException {
        return new RunningRegistry(data, Registry.embedded(data, Clock.systemUTC()));
    }

    String token(String user) {
        return registry.createToken(null, user, List.of("owner"), null, null).token();
    }

    HttpResponse<String> publish(String token, byte[] archive) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).header("Content-Type", "application/gzip")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> http(String method, String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }
}
