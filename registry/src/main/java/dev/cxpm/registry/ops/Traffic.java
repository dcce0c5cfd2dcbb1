package dev.cxpm.registry.ops;

import com.sun.net.httpserver.HttpExchange;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.api.Request;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Set;

/**
 * The server's bookkeeping around each request: a request id (sent back as {@code X-Request-Id}, logged with any
 * internal error), the per-address and per-token limits, the metrics and the access log line. The router tells it
 * which route matched (by template) and who the caller is; it never looks at the raw path itself.
 */
public final class Traffic {

    /** Probes and scrapes are not limited: a load balancer or Prometheus behind one address must never get 429. */
    private static final Set<String> UNLIMITED = Set.of("/healthz", "/readyz", "/metrics", "/health");
    public static final String PUBLISH_ROUTE = "/api/v1/plugins";
    public static final String SEARCH_ROUTE = "/api/v1/search";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final SecureRandom IDS = new SecureRandom();

    private final Operations ops;
    private final Registry registry;
    private final RateLimits limits;
    private final Clock clock;

    public Traffic(Operations ops, Registry registry, Clock clock) {
        this.ops = ops;
        this.registry = registry;
        this.clock = clock;
        this.limits = new RateLimits(ops.perAddress(), ops.perToken());
    }

    /** One request as it is handled: set up by {@link #begin}, filled in by the router, counted by {@link #end}. */
    public static final class Served {
        private final String id;
        private final long started = System.nanoTime();
        private final HttpExchange exchange;
        private final InetAddress client;
        private Counting body;
        private String route = Metrics.UNMATCHED;
        private String user;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        private Served(String id, HttpExchange exchange, InetAddress client) {
            this.id = id;
            this.exchange = exchange;
            this.client = client;
        }

        public String id() {
            return id;
        }
    }

    public Served begin(HttpExchange ex) {
        byte[] random = new byte[6];
        IDS.nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        ex.getResponseHeaders().set("X-Request-Id", id);
        Served s = new Served(id, ex, ClientAddress.of(ex, ops.trustProxy()));
        s.body = new Counting(ex.getResponseBody(), () -> end(s));
        ex.setStreams(null, s.body);
        return s;
    }

    /** The route that matched (its template); 429 when the client's address has used up its requests. */
    public void admit(Served s, String routeTemplate) {
        s.route = routeTemplate;
        if (!UNLIMITED.contains(routeTemplate)) {
            refuseIfWaiting(s, limits.address(ClientAddress.limitKey(s.client)), "from your address");
        }
    }

    /** The caller the route authenticated; 429 when its token has used up its requests. */
    public void admitToken(Served s, String user, String tokenId) {
        s.user = user;
        refuseIfWaiting(s, limits.token(tokenId), "with this token");
    }

    private void refuseIfWaiting(Served s, long seconds, String whose) {
        if (seconds > 0) {
            ops.metrics().rateLimited();
            s.exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            throw new RegistryException(429, "rate-limited", "too many requests " + whose + "; try again in " + seconds + " second(s)");
        }
    }

    /**
     * Counts the answered request and writes its access log line, once: when the handler closes the answer's body
     * (before the client can have all of it, so a client that reads the metrics next sees its request counted), or
     * after the exchange for an answer without a body.
     */
    public void end(Served s) {
        if (!s.ended.compareAndSet(false, true)) {
            return;
        }
        long nanos = System.nanoTime() - s.started;
        int status = s.exchange.getResponseCode();
        String method = METHODS.contains(s.exchange.getRequestMethod()) ? s.exchange.getRequestMethod() : "OTHER";
        ops.metrics().request(s.route, method, status, nanos);
        if (s.route.equals(PUBLISH_ROUTE) && (method.equals("PUT") || method.equals("POST"))) {
            ops.metrics().publish(status);
        } else if (s.route.equals(SEARCH_ROUTE)) {
            ops.metrics().search(nanos);
        }
        ops.accessLog().write(new AccessLog.Entry(clock.instant(), s.id, method, s.route, status, s.body.count, nanos / 1e6,
                s.client.getHostAddress(), s.user));
    }

    /**
     * {@code /metrics}: with a metrics token, to callers that send it ({@code Authorization: Bearer TOKEN}); without
     * one, to callers on this machine only. Refused with 403; the text names the ways in, which are no secret.
     */
    public void metrics(Request r) throws IOException {
        boolean allowed = ops.metricsToken()
                .map(t -> MessageDigest.isEqual(("Bearer " + t).getBytes(StandardCharsets.UTF_8),
                        String.valueOf(r.header("Authorization")).getBytes(StandardCharsets.UTF_8)))
                .orElse(ClientAddress.of(r.exchange(), ops.trustProxy()).isLoopbackAddress());
        if (!allowed) {
            throw new RegistryException(403, "forbidden", ops.metricsToken().isPresent()
                    ? "metrics need the server's metrics token (Authorization: Bearer TOKEN)"
                    : "metrics are served to this machine only (or start the server with --metrics-token-file)");
        }
        r.exchange().getResponseHeaders().set("Cache-Control", "no-store");
        r.send(200, "text/plain; version=0.0.4; charset=utf-8", ops.metrics().render(registry.databasePools()).getBytes(StandardCharsets.UTF_8));
    }

    /** Counts the bytes of the answer's body, for the access log, and ends the request's bookkeeping when closed. */
    private static final class Counting extends FilterOutputStream {
        private long count;
        private final Runnable onClose;

        Counting(OutputStream out, Runnable onClose) {
            super(out);
            this.onClose = onClose;
        }

        @Override
        public void close() throws IOException {
            // counted before the last bytes are flushed: a client that has the whole answer finds its request counted
            try {
                onClose.run();
            } finally {
                out.close();
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
