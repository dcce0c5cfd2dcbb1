package dev.cxpm.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.registry.api.ApiHandlers;
import dev.cxpm.registry.api.Request;
import dev.cxpm.registry.api.Uploads;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.web.ClientRelease;
import dev.cxpm.registry.web.WebAssets;
import dev.cxpm.registry.web.WebHandlers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry over HTTP: the JDK's server, one virtual thread per request, and the table of
 * every route with who may call it. The router authenticates a route's caller before its
 * handler runs ({@link ApiHandlers} for the JSON API under {@code /api/v1}, {@link WebHandlers}
 * for the web pages, the Codex git view). Refusals are JSON
 * {@code {"error": code, "message": ..., "problems": [...]}} with the status the
 * {@link RegistryException} carries.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Set<String> READ = Set.of("GET", "HEAD");

    private final Registry registry;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CodexMarketplace codex;
    private final List<Route> routes;
    private final WebHandlers web;

    interface Handler {
        void handle(Request r) throws IOException;
    }

    /** A route: the methods and path it answers, who may call it, what answers. */
    record Route(Set<String> methods, Pattern path, Access access, Handler handler) {
    }

    private static Route route(Set<String> methods, String path, Access access, Handler handler) {
        return new Route(methods, Pattern.compile(path), access, handler);
    }

    private final Uploads uploads;

    private RegistryServer(Registry registry, HttpServer server, CodexMarketplace codex, Optional<URI> publicUrl, Uploads uploads,
                           Optional<ClientRelease> client) {
        this.registry = registry;
        this.server = server;
        this.codex = codex;
        this.uploads = uploads;
        ApiHandlers api = new ApiHandlers(registry, codex.name(), uploads);
        this.web = new WebHandlers(registry, codex.name(), url(), publicUrl, client);
        String plugin = "/api/v1/plugins/([^/]+)";
        this.routes = List.of(
                route(Set.of("PUT", "POST"), "/api/v1/plugins", Access.PUBLISH, api::publish),
                route(Set.of("POST", "DELETE"), plugin + "/versions/([^/]+)/yank", Access.PUBLISH_PLUGIN, api::yank),
                route(Set.of("PUT"), plugin + "/deprecation", Access.PUBLISH_PLUGIN, api::deprecate),
                route(READ, plugin + "/owners", Access.ANYONE, api::owners),
                route(Set.of("PUT", "DELETE"), plugin + "/owners/([^/]+)", Access.OWNER, api::changeOwner),
                route(READ, plugin, Access.ANYONE, api::index),
                route(READ, "/api/v1/blobs/([0-9a-f]{128})(?:\\.tgz)?", Access.ANYONE, api::blob),
                route(READ, "/api/v1/search", Access.ANYONE, api::search),
                route(READ, "/api/v1/me", Access.TOKEN, api::me),
                route(Set.of("POST"), "/api/v1/tokens", Access.OWNER, api::createToken),
                route(READ, "/api/v1/tokens", Access.OWNER, api::tokens),
                route(Set.of("DELETE"), "/api/v1/tokens/([0-9a-f]+)", Access.OWNER_OR_THIS_TOKEN, api::revokeToken),
                route(READ, Pattern.quote(CodexMarketplace.URL_PATH) + "/(.*)", Access.ANYONE, this::codexFile),
                route(READ, "/api/v1/registry", Access.ANYONE, api::probe),
                route(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"), "/health", Access.ANYONE, api::health),
                route(READ, "/", Access.ANYONE, web::home),
                route(READ, "/install.sh", Access.ANYONE, web::installScript),
                route(READ, "/downloads/([A-Za-z0-9._-]+)", Access.ANYONE, web::download),
                route(READ, "/plugins/([^/]+)", Access.ANYONE, web::plugin),
                route(READ, "/plugins/([^/]+)/([^/]+)", Access.ANYONE, web::version),
                route(READ, "/plugins/([^/]+)/([^/]+)/icon", Access.ANYONE, web::icon),
                route(READ, "/owners/([^/]+)", Access.ANYONE, web::owner),
                route(READ, "/assets/registry.css", Access.ANYONE, WebAssets::stylesheet),
                route(READ, "/assets/registry.js", Access.ANYONE, WebAssets::script),
                route(READ, "/assets/icon.svg", Access.ANYONE, WebAssets::icon),
                route(READ, "/assets/accent/([0-9A-Fa-f]{3,8})\\.css", Access.ANYONE, WebAssets::accent));
    }

    /**
     * How a server is set up beyond storage: the Codex marketplace view's repository and name, the
     * address users reach it at when that is not the one it listens on (behind a proxy, with TLS), the
     * directory publish bodies are spooled to, and how many uploads it receives at once (each may take
     * 50 MiB of that directory and up to 16 MiB of heap for the manifests and SKILL.md heads it checks).
     */
    public record Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl, Path uploads, int maxUploads,
                          Duration maxUploadTime, Optional<ClientRelease> client) {
        public static final String DEFAULT_MARKETPLACE_NAME = "cxpm-registry";
        public static final int DEFAULT_MAX_UPLOADS = 4;
        /** A 50 MiB body takes this long only below ~3.5 Mbit/s; past it, a stalled client stops holding a place. */
        public static final Duration DEFAULT_MAX_UPLOAD_TIME = Duration.ofMinutes(2);

        public Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl, Path uploads, int maxUploads,
                       Duration maxUploadTime) {
            this(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, Optional.empty());
        }

        public Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl, Path uploads, int maxUploads) {
            this(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, DEFAULT_MAX_UPLOAD_TIME);
        }

        /** The same, also handing out the cxpm release in {@code client} (install.sh and /downloads/). */
        public Options withClient(Optional<ClientRelease> client) {
            return new Options(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, client);
        }

        public Options {
            publicUrl.ifPresent(u -> {
                if (!showable(u)) {
                    throw new IllegalArgumentException("not a plain http(s)://host[:port][/path] URL: " + u);
                }
            });
        }

        /** Whether pages can show this URL in a command to paste: plain http(s)://host[:port][/path], nothing a shell reads specially. */
        public static boolean showable(URI url) {
            return WebHandlers.shownSafely(url.toString());
        }

        /** Uploads spooled beside the view's repository, in the data directory. */
        public Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl) {
            this(codexRepository, marketplaceName, publicUrl, codexRepository.resolveSibling("uploads"), DEFAULT_MAX_UPLOADS);
        }

        public Options(Path codexRepository, String marketplaceName) {
            this(codexRepository, marketplaceName, Optional.empty());
        }
    }

    /** Starts serving on host:port (port 0 picks a free one). */
    public static RegistryServer start(Registry registry, String host, int port, Options options) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        RegistryServer s = new RegistryServer(registry, http, new CodexMarketplace(registry, options.codexRepository(), options.marketplaceName()),
                options.publicUrl(), new Uploads(options.uploads(), options.maxUploads(), options.maxUploadTime()), options.client());
        http.createContext("/", s::handle);
        http.setExecutor(s.executor);
        http.start();
        return s;
    }

    /** Every route this server answers (the scope test checks it covers them all). */
    List<Route> routes() {
        return routes;
    }

    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        codex.close();
        executor.close();
        uploads.close();
    }

    /**
     * On every answer, pages and blobs alike: no type sniffing (a blob or a JSON answer is never
     * run as a page), no framing (no clickjacking of the copy button), and pages load only this
     * origin's stylesheet and script (an injected tag or handler does nothing).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var headers = ex.getResponseHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            Request plain = new Request(ex, null, null);
            try {
                route(ex);
            } catch (RegistryException e) {
                if (isPage(ex.getRequestURI().getRawPath())) {
                    web.refused(plain, e);
                } else {
                    plain.sendError(e);
                }
            } catch (RuntimeException e) {
                plain.sendError(internalError(ex, e));
            }
        }
    }

    /** Web pages answer a refusal with a page; the API and the git view with JSON. */
    private static boolean isPage(String path) {
        return !path.startsWith("/api/") && !path.startsWith(CodexMarketplace.URL_PATH + "/") && !path.equals("/health")
                && !path.equals("/install.sh") && !path.startsWith("/downloads/");
    }

    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
    private static final java.security.SecureRandom REQUEST_IDS = new java.security.SecureRandom();

    /**
     * A failure of the server itself: the details (paths, SQL, exception text) go to the log under a
     * random request id, and the client sees only that id.
     */
    private static RegistryException internalError(HttpExchange ex, RuntimeException e) {
        byte[] random = new byte[6];
        REQUEST_IDS.nextBytes(random);
        String id = java.util.HexFormat.of().formatHex(random);
        LOG.log(System.Logger.Level.ERROR, "request " + id + " (" + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ") failed", e);
        return new RegistryException(500, "internal", "internal error (request " + id + "); the server log has the details");
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.methods().contains(method) && m.matches()) {
                Caller caller = route.access().needsToken() ? registry.authenticate(ex.getRequestHeaders().getFirst("Authorization")) : null;
                Request request = new Request(ex, m, caller);
                if (caller != null) {
                    route.access().check(caller, request);
                }
                route.handler().handle(request);
                return;
            }
        }
        if (path.startsWith("/api/")) {
            throw new RegistryException(404, "not-found", "no route " + method + " " + path);
        }
        web.notFound(new Request(ex, null, null));
    }

    private void codexFile(Request r) throws IOException {
        byte[] f = codex.file(r.rawParam(1))
                .orElseThrow(() -> new RegistryException(404, "not-found", "no such file in the marketplace repository"));
        // plain content type: git then uses the "dumb" protocol, which static files can serve
        r.send(200, "application/octet-stream", f);
    }
}
