package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a plugin's index document is 2.4 MB at 5,000 versions, stored when a change makes it, and a client that
 * holds it revalidates with {@code If-None-Match} before each resolve. The 304 used to read the stored document's bytes
 * from the database to compare its ETag; it now reads the ETag alone (bytes of stored documents counted at the database
 * interface). A stale or unknown ETag still gets the whole document, and a changed plugin its new one.
 */
class IndexRevalidationTest {

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();
    /** Bytes of stored index documents the database answered. */
    final AtomicLong documentBytes = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        RegistryDatabase db = JdbcDatabase.sqlite(data.resolve("registry.db"));
        RegistryDatabase counted = (RegistryDatabase) Proxy.newProxyInstance(RegistryDatabase.class.getClassLoader(),
                new Class<?>[] {RegistryDatabase.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(db, args);
                        if (result instanceof Optional<?> o && o.orElse(null) instanceof RegistryDatabase.IndexLookup l) {
                            l.stored().ifPresent(s -> documentBytes.addAndGet(s.body().length));
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        registry = new Registry(counted, new FileBlobStore(data.resolve("blobs")), data.resolve("uploads"), Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        // published after the server started: the change stores the signed document before the publish returns
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), TestArchive.plugin("demo", "1.0.0").bytes());
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    HttpResponse<String> index(String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo"));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientHoldingTheCurrentDocumentIsAnswered304WithoutItsBytesBeingRead() throws Exception {
        HttpResponse<String> first = index(null);
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(documentBytes.get()).as("the first read copies the stored document").isEqualTo(first.body().length());

        documentBytes.set(0);
        HttpResponse<String> again = index(etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.headers().firstValue("ETag")).contains(etag);
        assertThat(again.body()).isEmpty();
        assertThat(documentBytes.get()).as("bytes of the stored document read to answer 304").isZero();

        assertThat(index("\"not-it\"").statusCode()).isEqualTo(200);
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), TestArchive.plugin("demo", "1.1.0").bytes());
        HttpResponse<String> changed = index(etag);
        assertThat(changed.statusCode()).as("the plugin changed: its held copy is stale").isEqualTo(200);
        assertThat(changed.body()).contains("\"1.1.0\"");
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    }
}
