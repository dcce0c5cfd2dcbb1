package dev.cxpm.registry.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.api.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Liveness ({@code /healthz}: the process answers; nothing else is touched, so a slow database never gets a healthy
 * process restarted) and readiness ({@code /readyz}: the database and the blob store each answer within
 * {@link #DEADLINE}; 503 naming the one that did not). A client sees only {@code ok}, {@code unreachable} or
 * {@code timeout} per dependency: paths, hosts and driver messages go to the server log. One check runs at a time
 * and its result is reused for {@link #REUSE}, so probing {@code /readyz} in a loop costs the database nothing more.
 */
public final class Health {

    static final Duration DEADLINE = Duration.ofSeconds(2);
    static final Duration REUSE = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(Health.class.getName());

    private final Registry registry;
    private Map<String, String> last;
    private long lastAt;

    public Health(Registry registry) {
        this.registry = registry;
    }

    public void live(Request r) throws IOException {
        r.send(200, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode().put("status", "ok")));
    }

    public void ready(Request r) throws IOException {
        Map<String, String> checks = checks();
        boolean ready = checks.values().stream().allMatch("ok"::equals);
        ObjectNode o = JSON.createObjectNode().put("status", ready ? "ready" : "unready");
        ObjectNode c = o.putObject("checks");
        checks.forEach(c::put);
        r.exchange().getResponseHeaders().set("Cache-Control", "no-store");
        r.send(ready ? 200 : 503, "application/json", JSON.writeValueAsBytes(o));
    }

    synchronized Map<String, String> checks() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < REUSE.toNanos()) {
            return last;
        }
        // a thread each, not waited for past the deadline: a check stuck in a driver finishes on its own
        Executor thread = task -> Thread.ofVirtual().name("cxpm-readiness").start(task);
        var database = CompletableFuture.runAsync(() -> registry.checkDatabase(DEADLINE), thread);
        var blobs = CompletableFuture.runAsync(registry::checkBlobs, thread);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("database", outcome("database", database, now));
        out.put("blobs", outcome("blobs", blobs, now));
        last = out;
        lastAt = System.nanoTime();
        return out;
    }

    private static String outcome(String what, CompletableFuture<Void> check, long started) {
        long left = DEADLINE.toNanos() - (System.nanoTime() - started);
        try {
            check.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            return "ok";
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "readiness: the " + what + " did not answer within " + DEADLINE.toMillis() + " ms");
            return "timeout";
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "readiness: the " + what + " is unreachable", e.getCause());
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "timeout";
        }
    }
}
