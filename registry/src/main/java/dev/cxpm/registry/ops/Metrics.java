package dev.cxpm.registry.ops;

import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the registry has done, in the Prometheus text exposition format (version 0.0.4), written by hand: a few
 * counters and histograms need no library. Every label value comes from a closed set (the route table's templates,
 * the methods the server answers, the statuses it sends, fixed outcomes), never from the request's path or headers,
 * so no client can create a new series: the number of series has a ceiling set by the code.
 */
public final class Metrics {

    /** Seconds: from a cached index document (well under a millisecond) to a 50 MiB upload on a slow link. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** Methods the routes answer; anything else a client sends is counted as OTHER. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /** The route label of a request no route matched. */
    public static final String UNMATCHED = "unmatched";

    private record RequestKey(String route, String method, String status) {
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> publishes = new ConcurrentHashMap<>();
    private final Histogram search = new Histogram();
    private final LongAdder blobErrors = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(seconds);
        }

        void write(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{").append(sep).append("le=\"").append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            cumulative += counts[BUCKETS.length].sum();
            out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(cumulative).append('\n');
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_sum").append(braces).append(' ').append(sum.sum()).append('\n');
            out.append(name).append("_count").append(braces).append(' ').append(cumulative).append('\n');
        }
    }

    /** How a publish ended, by its status: stored, refused (the client's fault: 4xx) or failed (the server's: 5xx). */
    static String publishOutcome(int status) {
        return status / 100 == 2 ? "published" : status / 100 == 4 ? "refused" : "failed";
    }

    /**
     * One answered request. {@code route} is a template from the route table (or {@link #UNMATCHED}); status -1
     * means no answer was sent (the client went away, or the handler failed after answering began).
     */
    void request(String route, String method, int status, long nanos) {
        String m = METHODS.contains(method) ? method : "OTHER";
        String s = status >= 100 && status <= 599 ? Integer.toString(status) : "none";
        requests.computeIfAbsent(new RequestKey(route, m, s), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(nanos / 1e9);
    }

    void publish(int status) {
        publishes.computeIfAbsent(publishOutcome(status), k -> new LongAdder()).increment();
    }

    void search(long nanos) {
        search.observe(nanos / 1e9);
    }

    void rateLimited() {
        rateLimited.increment();
    }

    /** Counted by {@link WatchedBlobStore}. */
    void blobError() {
        blobErrors.increment();
    }

    /** The exposition text, with the database pools as they are now and the JVM's memory. */
    public String render(List<JdbcConnections.Pool> pools) {
        StringBuilder out = new StringBuilder(8192);
        header(out, "cxpm_http_requests_total", "counter", "HTTP requests answered, by route template, method and status.");
        new TreeMap<String, Long>(requests.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> "{route=\"" + escape(e.getKey().route()) + "\",method=\"" + e.getKey().method() + "\",status=\"" + e.getKey().status() + "\"}",
                e -> e.getValue().sum()))).forEach((labels, n) -> out.append("cxpm_http_requests_total").append(labels).append(' ').append(n).append('\n'));
        header(out, "cxpm_http_request_duration_seconds", "histogram", "Time from a request's arrival to the end of its answer, by route template.");
        new TreeMap<>(latency).forEach((route, h) -> h.write(out, "cxpm_http_request_duration_seconds", "route=\"" + escape(route) + "\""));
        header(out, "cxpm_publishes_total", "counter", "Publish requests by outcome: published, refused (4xx), failed (5xx).");
        for (String outcome : List.of("published", "refused", "failed")) {
            LongAdder n = publishes.get(outcome);
            out.append("cxpm_publishes_total{outcome=\"").append(outcome).append("\"} ").append(n == null ? 0 : n.sum()).append('\n');
        }
        header(out, "cxpm_search_duration_seconds", "histogram", "Time to answer a search API request.");
        search.write(out, "cxpm_search_duration_seconds", "");
        header(out, "cxpm_rate_limited_total", "counter", "Requests refused with 429 by the per-address or per-token limits.");
        out.append("cxpm_rate_limited_total ").append(rateLimited.sum()).append('\n');
        header(out, "cxpm_blob_store_errors_total", "counter", "Blob store operations that failed.");
        out.append("cxpm_blob_store_errors_total ").append(blobErrors.sum()).append('\n');
        header(out, "cxpm_db_pool_connections", "gauge", "Database connections by pool and state (active, idle).");
        for (JdbcConnections.Pool p : pools) {
            out.append("cxpm_db_pool_connections{pool=\"").append(p.name()).append("\",state=\"active\"} ").append(p.size() - p.idle()).append('\n');
            out.append("cxpm_db_pool_connections{pool=\"").append(p.name()).append("\",state=\"idle\"} ").append(p.idle()).append('\n');
        }
        header(out, "cxpm_db_pool_waiting", "gauge", "Requests waiting for a database connection, by pool.");
        for (JdbcConnections.Pool p : pools) {
            out.append("cxpm_db_pool_waiting{pool=\"").append(p.name()).append("\"} ").append(p.waiting()).append('\n');
        }
        header(out, "cxpm_jvm_memory_bytes", "gauge", "JVM memory by area (heap, nonheap) and kind (used, committed, max; -1: no limit).");
        var memory = ManagementFactory.getMemoryMXBean();
        memory(out, "heap", memory.getHeapMemoryUsage());
        memory(out, "nonheap", memory.getNonHeapMemoryUsage());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void memory(StringBuilder out, String area, MemoryUsage u) {
        for (var kind : Map.of("used", u.getUsed(), "committed", u.getCommitted(), "max", u.getMax()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            out.append("cxpm_jvm_memory_bytes{area=\"").append(area).append("\",kind=\"").append(kind.getKey()).append("\"} ")
                    .append(kind.getValue()).append('\n');
        }
    }

    /** Label values are the route table's own templates, but escaped as the format requires all the same. */
    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
