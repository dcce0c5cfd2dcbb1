package dev.cxpm.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.registry.api.ApiHandlers;
import dev.cxpm.registry.api.Request;
import dev.cxpm.registry.api.Uploads;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.index.SigningKeys;
import dev.cxpm.registry.ops.ClientAddress;
import dev.cxpm.registry.ops.CostlyRequests;
import dev.cxpm.registry.ops.Health;
import dev.cxpm.registry.ops.JdkServerLimits;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.Traffic;
import dev.cxpm.registry.web.ClientRelease;
import dev.cxpm.registry.web.WebAssets;
import dev.cxpm.registry.web.WebHandlers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * A route: the methods and path it answers (a template, as metrics and the access log name it), who may call it, what
     * answers, and whether that costs CPU time enough to run among the {@link CostlyRequests} (a search, a rendered page)
     * rather than on the request's own virtual thread (an answer from a cache, a blob streamed).
     */
    record Route(Set<String> methods, String template, Pattern path, Access access, Handler handler, boolean costly) {
    }

    /** What each {@code {placeholder}} of a route template matches. */
    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "name", "([^/]+)", "version", "([^/]+)", "user", "([^/]+)",
            "sha512", "([0-9a-f]{128})(?:\\.tgz)?", "id", "([0-9a-f]+)", "advisory", "([^/]+)", "download", "([A-Za-z0-9._-]+)", "file", "(.*)", "color", "([0-9A-Fa-f]{3,8})");

    private static Route route(Set<String> methods, String template, Access access, Handler handler) {
        return route(methods, template, access, handler, false);
    }

    private static Route costly(Set<String> methods, String template, Access access, Handler handler) {
        return route(methods, template, access, handler, true);
    }

    private static Route route(Set<String> methods, String template, Access access, Handler handler, boolean costly) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append(PLACEHOLDERS.get(m.group(1)));
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return new Route(methods, template, Pattern.compile(regex.toString()), access, handler, costly);
    }

    private final Uploads uploads;
    private final Traffic traffic;
    private final Duration shutdownGrace;
    private final boolean trustProxy;
    private final Optional<URI> mirrorOf;

    private final SigningKeys keys;
    private final CostlyRequests costly;

    private RegistryServer(Registry registry, HttpServer server, CodexMarketplace codex, Options options, Uploads uploads,
                           SigningKeys keys) {
        this.registry = registry;
        this.server = server;
        this.codex = codex;
        this.uploads = uploads;
        this.keys = keys;
        Operations ops = options.operations();
        this.traffic = new Traffic(ops, registry, Clock.systemUTC());
        this.shutdownGrace = ops.shutdownGrace();
        this.trustProxy = ops.trustProxy();
        this.mirrorOf = options.mirrorOf();
        this.costly = new CostlyRequests(ops.costlyRequests());
        ApiHandlers api = new ApiHandlers(registry, codex.name(), uploads, ops.maxPublishBytes(), keys);
        this.web = new WebHandlers(registry, codex.name(), url(), options.publicUrl(), options.mirrorOf(), options.client());
        Health health = new Health(registry);
        String plugin = "/api/v1/plugins/{name}";
        this.routes = List.of(
                route(Set.of("PUT", "POST"), Traffic.PUBLISH_ROUTE, Access.PUBLISH, api::publish),
                route(Set.of("POST", "DELETE"), plugin + "/versions/{version}/yank", Access.PUBLISH_PLUGIN, api::yank),
                route(Set.of("PUT"), plugin + "/deprecation", Access.PUBLISH_PLUGIN, api::deprecate),
                route(READ, plugin + "/advisories", Access.ANYONE, api::advisories),
                route(Set.of("POST"), plugin + "/advisories", Access.PUBLISH_PLUGIN, api::addAdvisory),
                route(Set.of("DELETE"), plugin + "/advisories/{advisory}", Access.PUBLISH_PLUGIN, api::withdrawAdvisory),
                route(READ, "/api/v1/audit", Access.ADMIN, api::audit),
                route(READ, plugin + "/owners", Access.ANYONE, api::owners),
                route(Set.of("PUT", "DELETE"), plugin + "/owners/{user}", Access.OWNER, api::changeOwner),
                route(READ, plugin, Access.ANYONE, api::index),
                route(READ, Registry.BLOB_PATH + "{sha512}", Access.ANYONE, api::blob),
                costly(READ, Traffic.SEARCH_ROUTE, Access.ANYONE, api::search),
                route(READ, "/api/v1/me", Access.TOKEN, api::me),
                route(Set.of("POST"), "/api/v1/tokens", Access.OWNER, api::createToken),
                route(READ, "/api/v1/tokens", Access.OWNER, api::tokens),
                route(Set.of("DELETE"), "/api/v1/tokens/{id}", Access.OWNER_OR_THIS_TOKEN, api::revokeToken),
                route(READ, CodexMarketplace.URL_PATH + "/{file}", Access.ANYONE, this::codexFile),
                route(READ, "/api/v1/registry", Access.ANYONE, api::probe),
                route(READ, dev.cxpm.core.registry.RegistryKey.KEYS_PATH, Access.ANYONE, api::keys),
                route(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"), "/health", Access.ANYONE, api::health),
                route(READ, "/healthz", Access.ANYONE, health::live),
                route(READ, "/readyz", Access.ANYONE, health::ready),
                route(READ, "/metrics", Access.ANYONE, traffic::metrics),
                costly(READ, "/", Access.ANYONE, web::home),
                route(READ, "/install.sh", Access.ANYONE, web::installScript),
                route(READ, "/downloads/{download}", Access.ANYONE, web::download),
                costly(READ, "/plugins/{name}", Access.ANYONE, web::plugin),
                costly(READ, "/plugins/{name}/{version}", Access.ANYONE, web::version),
                route(READ, "/plugins/{name}/{version}/icon", Access.ANYONE, web::icon),
                costly(READ, "/owners/{user}", Access.ANYONE, web::owner),
                route(READ, "/assets/registry.css", Access.ANYONE, WebAssets::stylesheet),
                route(READ, "/assets/registry.js", Access.ANYONE, WebAssets::script),
                route(READ, "/assets/icon.svg", Access.ANYONE, WebAssets::icon),
                route(READ, "/assets/accent/{color}.css", Access.ANYONE, WebAssets::accent));
    }

    /**
     * How a server is set up beyond storage: the Codex marketplace view's repository and name, the
     * address users reach it at when that is not the one it listens on (behind a proxy, with TLS), the
     * directory publish bodies are spooled to, and how many uploads it receives at once (each may take
     * 50 MiB of that directory and up to 16 MiB of heap for the manifests and SKILL.md heads it checks).
     */
    public record Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl, Path uploads, int maxUploads,
                          Duration maxUploadTime, Operations operations, Path signingKey, Optional<URI> mirrorOf,
                          Optional<ClientRelease> client) {
        public static final String DEFAULT_MARKETPLACE_NAME = "cxpm-registry";
        public static final int DEFAULT_MAX_UPLOADS = 4;
        /** A 50 MiB body takes this long only below ~3.5 Mbit/s; past it, a stalled client stops holding a place. */
        public static final Duration DEFAULT_MAX_UPLOAD_TIME = Duration.ofMinutes(2);

        /** The signing key's file when none is named: beside the view's repository, in the data directory. */
        public static final String SIGNING_KEY_FILE = "signing-key.json";

        public Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl, Path uploads, int maxUploads) {
            this(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, DEFAULT_MAX_UPLOAD_TIME);
        }

        public Options(Path codexRepository, String marketplaceName, Optional<URI> publicUrl, Path uploads, int maxUploads,
                       Duration maxUploadTime) {
            this(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, Operations.defaults(),
                    codexRepository.resolveSibling(SIGNING_KEY_FILE), Optional.empty(), Optional.empty());
        }

        /** The same set-up, run as {@code ops} says (log, limits, shutdown). */
        public Options with(Operations ops) {
            return new Options(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, ops, signingKey, mirrorOf, client);
        }

        /** The same with the signing key in file (made there on first start when absent). */
        public Options withSigningKey(Path file) {
            return new Options(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, operations, file, mirrorOf, client);
        }

        /** The same set-up as a read-only mirror of {@code upstream}: every write is refused, pages say whose mirror it is. */
        public Options mirroring(URI upstream) {
            return new Options(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, operations, signingKey, Optional.of(upstream), client);
        }

        /** The same, also handing out the cxpm release in {@code client} (install.sh and /downloads/). */
        public Options withClient(Optional<ClientRelease> client) {
            return new Options(codexRepository, marketplaceName, publicUrl, uploads, maxUploads, maxUploadTime, operations, signingKey, mirrorOf, client);
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
        JdkServerLimits.apply(options.maxUploadTime());
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        SigningKeys keys = SigningKeys.loadOrCreate(options.signingKey(), java.time.Instant.now());
        RegistryServer s = new RegistryServer(registry, http, new CodexMarketplace(registry, options.codexRepository(), options.marketplaceName()),
                options, new Uploads(options.uploads(), options.maxUploads(), options.maxUploadTime()), keys);
        http.createContext("/", s::handle);
        http.setExecutor(s.executor);
        registry.prepareSearch();
        http.start();
        // after the start, so that filling the documents a migrated or imported registry lacks (in the background) does
        // not hold up its first answer; until then a document is signed as it is sent
        registry.signIndexesWith(keys);
        return s;
    }

    /** The key this server signs index documents with. */
    public dev.cxpm.core.registry.RegistryKey signingKey() {
        return keys.current();
    }

    /** Where costly requests run (tests hold its threads busy). */
    CostlyRequests costlyRequests() {
        return costly;
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

    /**
     * Stops accepting connections at once, lets the requests in flight finish for up to the shutdown grace, then
     * closes the connections still open and waits for every handler to return: a publish in flight has then either
     * committed or rolled back, so the caller may close the database and the blob store after this.
     */
    @Override
    public void close() {
        server.stop((int) Math.min(Integer.MAX_VALUE, (shutdownGrace.toMillis() + 999) / 1000));
        codex.close();
        executor.close();
        costly.close();
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
        Traffic.Served served = traffic.begin(ex);
        try (ex) {
            var headers = ex.getResponseHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            Request plain = new Request(ex, null, null);
            try {
                route(ex, served);
            } catch (RegistryException e) {
                if (isPage(ex.getRequestURI().getRawPath())) {
                    web.refused(plain, e);
                } else {
                    plain.sendError(e);
                }
            } catch (RuntimeException e) {
                plain.sendError(internalError(served.id(), ex, e));
            }
        } finally {
            traffic.end(served);
        }
    }

    /** Web pages answer a refusal with a page; the API, the git view and the operators' endpoints with JSON. */
    private static boolean isPage(String path) {
        return !path.startsWith("/api/") && !path.startsWith(CodexMarketplace.URL_PATH + "/")
                && !Set.of("/health", "/healthz", "/readyz", "/metrics", "/install.sh").contains(path) && !path.startsWith("/.well-known/")
                && !path.startsWith("/downloads/");
    }

    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());

    /**
     * A failure of the server itself: the details (paths, SQL, exception text) go to the log under the
     * request's id, and the client sees only that id (also in its access log line and X-Request-Id).
     */
    private static RegistryException internalError(String id, HttpExchange ex, RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "request " + id + " (" + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ") failed", e);
        return new RegistryException(500, "internal", "internal error (request " + id + "); the server log has the details");
    }

    private void route(HttpExchange ex, Traffic.Served served) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.methods().contains(method) && m.matches()) {
                traffic.admit(served, route.template());
                if (mirrorOf.isPresent() && !READ.contains(method) && !route.template().equals("/health")) {
                    throw new RegistryException(405, "read-only-mirror", "this registry is a read-only mirror of " + mirrorOf.get()
                            + "; publish, yank, deprecate, advisories, owners and tokens are changed there");
                }
                Caller caller = route.access().needsToken()
                        ? registry.authenticate(ex.getRequestHeaders().getFirst("Authorization")).from(remote(ex)) : null;
                Request request = new Request(ex, m, caller);
                if (caller != null) {
                    traffic.admitToken(served, caller.user(), caller.tokenId());
                    route.access().check(caller, request);
                }
                if (route.costly()) {
                    costly.run(() -> route.handler().handle(request),
                            seconds -> ex.getResponseHeaders().set("Retry-After", Integer.toString(seconds)));
                } else {
                    route.handler().handle(request);
                }
                return;
            }
        }
        traffic.admit(served, Metrics.UNMATCHED);
        if (path.startsWith("/api/")) {
            throw new RegistryException(404, "not-found", "no route " + method + " " + path);
        }
        web.notFound(new Request(ex, null, null));
    }

    /** Where a request came from, for the audit log: the same address the limits and the access log use. */
    private String remote(HttpExchange ex) {
        return ClientAddress.of(ex, trustProxy).getHostAddress();
    }

    private void codexFile(Request r) throws IOException {
        try (CodexMarketplace.RepositoryFile f = codex.file(r.rawParam(1))
                .orElseThrow(() -> new RegistryException(404, "not-found", "no such file in the marketplace repository"))) {
            // plain content type: git then uses the "dumb" protocol, which static files can serve
            r.send(200, "application/octet-stream", f.content(), f.size());
        }
    }
}
