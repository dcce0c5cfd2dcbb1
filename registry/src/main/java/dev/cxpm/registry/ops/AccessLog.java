package dev.cxpm.registry.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One JSON line per request: when, its request id, method, route template, status, bytes sent, duration, client
 * address and user (when the route authenticated one). Never the raw path or query (a search, a token sent where it
 * should not be) and never a header: the route template says what was asked without what was in it. Lines are
 * written whole under a lock, so concurrent requests never interleave within a line.
 */
public final class AccessLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** No log: the default of an embedded server. */
    public static final AccessLog OFF = new AccessLog(null, false);

    private final Writer out;
    private final boolean ownsStream;

    private AccessLog(Writer out, boolean ownsStream) {
        this.out = out;
        this.ownsStream = ownsStream;
    }

    /** Lines to a stream the caller keeps open (stderr). */
    public static AccessLog to(Writer out) {
        return new AccessLog(out, false);
    }

    /** Lines appended to a file (created when absent), for log shippers that tail it. */
    public static AccessLog appendingTo(Path file) {
        try {
            return new AccessLog(Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Entry(Instant time, String requestId, String method, String route, int status, long bytes, double durationMs,
                 String remote, String user) {
    }

    void write(Entry e) {
        if (out == null) {
            return;
        }
        ObjectNode o = JSON.createObjectNode().put("time", e.time().toString()).put("requestId", e.requestId())
                .put("method", e.method()).put("route", e.route()).put("status", e.status()).put("bytes", e.bytes())
                .put("durationMs", Math.round(e.durationMs() * 1000) / 1000.0).put("remote", e.remote());
        if (e.user() != null) {
            o.put("user", e.user());
        }
        String line;
        try {
            line = JSON.writeValueAsString(o) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException ex) {
                // a full disk must not fail the request that was already answered
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ownsStream) {
            try {
                out.close();
            } catch (IOException e) {
                // closing at shutdown
            }
        }
    }
}
