package dev.cxpm.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A registry server in its own JVM, so a test can start it with a small heap and see whether an upload
 * exhausts it, or in a JVM where no HTTP server ran before (the JDK reads its server limits once): prints {@code URL ...}
 * and {@code TOKEN ...}, and stops when stdin closes. A second argument is the upload time limit in seconds.
 */
public final class SmallHeapRegistry {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
             RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                     args.length < 2 ? new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry")
                             : new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry", java.util.Optional.empty(),
                                     data.resolve("uploads"), RegistryServer.Options.DEFAULT_MAX_UPLOADS,
                                     java.time.Duration.ofSeconds(Long.parseLong(args[1]))))) {
            System.out.println("URL " + server.url());
            System.out.println("TOKEN " + registry.createToken(null, "alice", List.of("admin"), null, null).token());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
