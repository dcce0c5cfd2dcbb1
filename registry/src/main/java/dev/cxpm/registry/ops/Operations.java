package dev.cxpm.registry.ops;

import dev.cxpm.registry.ops.CostlyRequests;
import dev.cxpm.registry.publish.PluginArchive;
import java.time.Duration;
import java.util.Optional;

/**
 * How a server is run, beyond what it serves: where its access log goes, who may read {@code /metrics} (loopback
 * callers, or with a metrics token only callers that send it), its request limits, whether a proxy in front says who
 * the client is, how long a shutdown waits for requests in flight, and how many costly requests (searches, pages) run
 * and wait at once. {@link #defaults()} suits an embedded server
 * (tests, a library user): no log, no rate limits, no wait; {@code cxpm serve} sets the limits an exposed server needs.
 */
public record Operations(AccessLog accessLog, Optional<String> metricsToken, RateLimits.Rate perAddress, RateLimits.Rate perToken,
                         boolean trustProxy, Duration shutdownGrace, long maxPublishBytes, Metrics metrics,
                         CostlyRequests.Limits costlyRequests) {

    /** Per client address: a sync of a few hundred plugins in one burst, then 20 requests a second. */
    public static final RateLimits.Rate SERVE_PER_ADDRESS = new RateLimits.Rate(1200, 600);
    /** Per token, on the routes that authenticate (publish, yank, owners, tokens): 10 a second after a burst of 120. */
    public static final RateLimits.Rate SERVE_PER_TOKEN = new RateLimits.Rate(600, 120);
    /** Under the 30 s a container platform waits after SIGTERM before it kills. */
    public static final Duration SERVE_SHUTDOWN_GRACE = Duration.ofSeconds(20);

    public Operations {
        if (maxPublishBytes < 1 || maxPublishBytes > PluginArchive.MAX_COMPRESSED_BYTES) {
            throw new IllegalArgumentException("the publish size limit must be 1 to " + PluginArchive.MAX_COMPRESSED_BYTES + " bytes");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("the shutdown grace must not be negative");
        }
        metricsToken.ifPresent(t -> {
            if (t.isBlank()) {
                throw new IllegalArgumentException("the metrics token must not be blank");
            }
        });
    }

    /** With the default limits of costly requests (searches and pages: half the cores at once, 32 per core waiting). */
    public Operations(AccessLog accessLog, Optional<String> metricsToken, RateLimits.Rate perAddress, RateLimits.Rate perToken,
                      boolean trustProxy, Duration shutdownGrace, long maxPublishBytes, Metrics metrics) {
        this(accessLog, metricsToken, perAddress, perToken, trustProxy, shutdownGrace, maxPublishBytes, metrics, CostlyRequests.Limits.defaults());
    }

    /** The same, with other limits of costly requests. */
    public Operations with(CostlyRequests.Limits limits) {
        return new Operations(accessLog, metricsToken, perAddress, perToken, trustProxy, shutdownGrace, maxPublishBytes, metrics, limits);
    }

    public static Operations defaults() {
        return new Operations(AccessLog.OFF, Optional.empty(), RateLimits.Rate.NONE, RateLimits.Rate.NONE, false, Duration.ZERO,
                PluginArchive.MAX_COMPRESSED_BYTES, new Metrics());
    }
}
