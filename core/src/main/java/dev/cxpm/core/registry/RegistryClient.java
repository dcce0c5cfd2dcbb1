package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.Stall;
import dev.cxpm.core.pack.ArchiveDownload;
import dev.cxpm.core.pack.PackLimits;
import dev.cxpm.core.pack.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cxpm registry's JSON API seen from the client side (JDK HttpClient). Each refusal of the
 * server becomes a {@link UserError} whose kind matches the status (400 invalid, 401/403 invalid
 * with a login hint, 404 not found, 409 conflict, 5xx or unreachable: network), with the
 * server's full problem list in the message.
 */
public final class RegistryClient {

    /** Made on first use: a cold command that never reads a registry's JSON does not pay for an ObjectMapper. */
    private static final class Lazy {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    static ObjectMapper json() {
        return Lazy.JSON;
    }

    /** The most an index document may hold: thousands of versions with their dependencies fit in far less. */
    public static final int MAX_INDEX_BYTES = 32 << 20;
    /** Search pages, token and owner lists, refusals: a page of 100 results is well under this. */
    static final int MAX_ANSWER_BYTES = 4 << 20;
    /** What {@code GET /api/v1/registry} answers is a few names. */
    static final int MAX_PROBE_BYTES = 64 << 10;

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration answerTime;
    private final Progress progress;
    private final Duration blobStall;

    public RegistryClient(URI base, String token) {
        this(base, token, Duration.ofMinutes(2), Progress.NONE);
    }

    /** progress: where blob downloads and publish uploads report their bytes. */
    public RegistryClient(URI base, String token, Progress progress) {
        this(base, token, Duration.ofMinutes(2), progress);
    }

    /** {@code answerTime}: how long a JSON request may take in all, answer body included. */
    RegistryClient(URI base, String token, Duration answerTime) {
        this(base, token, answerTime, Progress.NONE);
    }

    private RegistryClient(URI base, String token, Duration answerTime, Progress progress) {
        this(base, token, answerTime, progress, Stall.TIME);
    }

    /** {@code blobStall}: how long a blob download may bring under {@link Stall#BYTES_PER_SECOND} a second ({@link Stall#TIME}). */
    RegistryClient(URI base, String token, Duration answerTime, Progress progress, Duration blobStall) {
        this.blobStall = blobStall;
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.answerTime = answerTime;
        this.progress = progress;
    }

    public URI base() {
        return base;
    }

    /** A registry URL as the user typed it, normalised (no trailing slash); USAGE error when it is not http(s). */
    public static URI parseUrl(String text) {
        try {
            String t = text.strip();
            while (t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
            URI u = new URI(t);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new UserError(UserError.Kind.USAGE, "not a registry URL: " + text, "use http(s)://host[:port]");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new UserError(UserError.Kind.USAGE, "not a registry URL: " + text, "use http(s)://host[:port]");
        }
    }

    public record Whoami(String user, List<String> scopes, String tokenId) {
    }

    public Whoami whoami() {
        JsonNode r = send(request("/api/v1/me").GET());
        return new Whoami(r.path("user").asText(), strings(r.path("scopes")), r.path("tokenId").asText());
    }

    /** size: the bytes sent, known here (the registry's answer is not trusted with a number of them). */
    public record Published(String name, String version, String integrity, long size) {
    }

    /**
     * Uploads the archive in the file, streamed from disk so that memory stays bounded whatever its size; one over
     * {@link PackLimits#maxArchiveBytes()} is refused before anything is sent (see {@link #uploadSize}).
     */
    public Published publish(Path tgz) {
        return publish(tgz, Optional.empty());
    }

    /** The same, telling the registry where the archive was built from. */
    public Published publish(Path tgz, Optional<PublishedSource> source) {
        long size = uploadSize(tgz);
        JsonNode r;
        try (Progress.Step step = progress.begin("uploading " + Sizes.human(size) + " to " + base)) {
            // counted as the client reads it, which is as it sends it; with its length, so that it is not sent chunked
            // (and a file that changes size meanwhile fails the request rather than sending something else)
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new CountingInputStream(open(tgz), sent -> step.transferred(sent, size))), size);
            HttpRequest.Builder req = request("/api/v1/plugins").header("Content-Type", "application/gzip");
            source.ifPresent(src -> req.header(PublishedSource.REPOSITORY_HEADER, src.repository()).header(PublishedSource.COMMIT_HEADER, src.commit()));
            r = send(req.PUT(body));
        }
        return new Published(r.path("name").asText(), r.path("version").asText(), r.path("integrity").asText(), size);
    }

    /**
     * The size of the archive publish would send: an INVALID_INPUT error when it is over the archive size limit
     * (which the registry refuses too, after the upload), so a caller can check before talking to the registry at all.
     */
    public static long uploadSize(Path tgz) {
        long size;
        try {
            size = Files.size(tgz);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + tgz + ": " + UserError.reason(e), null, e);
        }
        long max = PackLimits.DEFAULT.maxArchiveBytes();
        if (size > max) {
            throw new UserError(UserError.Kind.INVALID_INPUT, tgz + " is " + Sizes.human(size) + ", over the limit of " + Sizes.human(max)
                    + " for a published archive", "nothing was sent; no registry takes an archive that large");
        }
        return size;
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The calls of the commands that look after the registry's records: yank, deprecate, advisories, owners, tokens, audit log. */
    public RegistryAdmin admin() {
        return new RegistryAdmin(this);
    }

    /** The plugin's index document: all versions with integrity, dependencies and yanked flag. */
    public JsonNode index(String plugin) {
        return send(request("/api/v1/plugins/" + enc(plugin)).GET(), MAX_INDEX_BYTES);
    }

    /** What {@code GET /api/v1/registry} says: the registry's marketplace name and its Codex git view. */
    public record Probe(String marketplace, URI codexMarketplace) {
    }

    /**
     * Asks whether a cxpm registry answers at the base URL. Empty when something else answers (a git
     * host, a web server: anything but the registry's JSON); a NETWORK error when nothing answers.
     */
    public Optional<Probe> probe() {
        HttpResponse<byte[]> r = exchange(request("/api/v1/registry").timeout(Duration.ofSeconds(20)).GET(), MAX_PROBE_BYTES);
        if (r.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            JsonNode body = json().readTree(r.body());
            if (!"cxpm".equals(body.path("registry").asText()) || !body.path("marketplace").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Probe(body.path("marketplace").asText(), URI.create(base + body.path("codexMarketplace").asText())));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An index document's bytes, ETag and signature header (null when absent), or notModified when the cached ETag still holds. */
    public record IndexFetch(boolean notModified, byte[] json, String etag, String signature) {
    }

    /** The registry's published keys ({@link RegistryKey#KEYS_PATH}); empty when it publishes none (it predates signing). */
    public Optional<RegistryKeys> keys() {
        HttpResponse<byte[]> r = exchange(request(RegistryKey.KEYS_PATH).GET(), MAX_PROBE_BYTES);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw refuse(r);
        }
        return Optional.of(RegistryKeys.parse(r.body(), base + RegistryKey.KEYS_PATH));
    }

    public IndexFetch index(String plugin, Optional<String> etag) {
        HttpRequest.Builder b = request("/api/v1/plugins/" + enc(plugin)).GET();
        etag.ifPresent(e -> b.header("If-None-Match", e));
        HttpResponse<byte[]> r = exchange(b, MAX_INDEX_BYTES);
        if (r.statusCode() == 304) {
            return new IndexFetch(true, new byte[0], etag.orElse(""), null);
        }
        if (r.statusCode() == 404) {
            throw new UserError(UserError.Kind.NOT_FOUND, "plugin `" + plugin + "` was not found in the registry at " + base,
                    "cxpm search " + plugin + " lists matching plugins");
        }
        if (r.statusCode() != 200) {
            throw refuse(r);
        }
        return new IndexFetch(false, r.body(), r.headers().firstValue("ETag").orElse(""),
                r.headers().firstValue(RegistryKey.SIGNATURE_HEADER).orElse(null));
    }

    /**
     * Downloads a blob (a path from an index document, e.g. {@code /api/v1/blobs/HEX}) to dest, unverified,
     * streamed and cut off at the archive size limit.
     */
    public void download(String tarball, Path dest) {
        download(tarball, dest, "downloading " + tarball);
    }

    /** As {@link #download(String, Path)}; {@code what} is what the progress line calls it ({@code downloading demo 1.2.3}). */
    public void download(String tarball, Path dest, String what) {
        URI u = tarball.startsWith("http://") || tarball.startsWith("https://") ? URI.create(tarball) : URI.create(base + tarball);
        long max = PackLimits.DEFAULT.maxArchiveBytes();
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofMinutes(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body(); Progress.Step step = progress.begin(what)) {
                if (r.statusCode() != 200) {
                    throw r.statusCode() == 404
                            ? new UserError(UserError.Kind.NOT_FOUND, "the registry at " + base + " has no blob " + tarball)
                            : new UserError(UserError.Kind.NETWORK, "the registry at " + base + " failed (HTTP " + r.statusCode() + ") sending " + tarball);
                }
                // the announced length is the server's word: shown only when it is one a download may have
                long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                long total = announced > 0 && announced <= max ? announced : -1;
                if (!ArchiveDownload.save(body, dest, max, done -> step.transferred(done, total), blobStall)) {
                    throw new UserError(UserError.Kind.INVALID_INPUT, "the registry at " + base + " sent more than " + Sizes.human(max) + " for " + tarball,
                            "nothing was installed; no plugin cxpm installs is that large, tell the registry's operators");
                }
            }
        } catch (ArchiveDownload.Stalled e) {
            throw new UserError(UserError.Kind.NETWORK, "the registry at " + base + " stopped sending " + tarball + ": " + e.getMessage(),
                    "nothing was installed; try again, and tell the registry's operators if it keeps happening", e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.NETWORK, "interrupted talking to " + base);
        }
    }

    public JsonNode search(String query, String category, int page, int perPage) {
        StringBuilder q = new StringBuilder("/api/v1/search?page=").append(page).append("&perPage=").append(perPage);
        if (query != null) {
            q.append("&q=").append(enc(query));
        }
        if (category != null) {
            q.append("&category=").append(enc(category));
        }
        return send(request(q.toString()).GET());
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /**
     * One request whose answer is read into memory: at most {@code max} bytes (more is refused without reading
     * it), and all of it within {@code answerTime} (the request's own timeout ends when the headers arrive).
     */
    private HttpResponse<byte[]> exchange(HttpRequest.Builder b, int max) {
        HttpRequest request = b.build();
        var answer = http.sendAsync(request, CappedBody.handler(max));
        try {
            return answer.get(answerTime.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CappedBody.TooLarge) {
                throw new UserError(UserError.Kind.INVALID_INPUT, "the registry at " + base + " sent more than " + Sizes.human(max)
                        + " for " + request.uri().getRawPath() + "; no cxpm registry answer is that large", "tell the registry's operators");
            }
            throw unreachable(cause instanceof IOException io ? io : new IOException(cause));
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new UserError(UserError.Kind.NETWORK, "the registry at " + base + " did not finish answering " + request.uri().getRawPath()
                    + " within " + answerTime.toSeconds() + " seconds", "try again; is the registry overloaded?");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.NETWORK, "interrupted talking to " + base);
        }
    }

    private UserError unreachable(IOException e) {
        String why = UserError.reason(e, base.getHost());
        return new UserError(UserError.Kind.NETWORK, "cannot reach the registry at " + base + ": " + why,
                why.startsWith("unknown host") ? "check the registry's address and your network" : "is 'cxpm serve' running there?", e);
    }

    JsonNode send(HttpRequest.Builder b) {
        return send(b, MAX_ANSWER_BYTES);
    }

    private JsonNode send(HttpRequest.Builder b, int max) {
        HttpResponse<byte[]> r = exchange(b, max);
        if (r.statusCode() >= 200 && r.statusCode() < 300) {
            return parse(r);
        }
        throw refuse(r);
    }

    private JsonNode parse(HttpResponse<byte[]> r) {
        JsonNode body;
        try {
            body = r.body().length == 0 ? json().createObjectNode() : json().readTree(r.body());
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, base + " answered " + r.statusCode() + " with something that is not JSON",
                    "is this a cxpm registry?");
        }
        return body;
    }

    private UserError refuse(HttpResponse<byte[]> r) {
        JsonNode body = parse(r);
        int s = r.statusCode();
        String message = body.path("message").asText("HTTP " + s);
        List<String> lines = new ArrayList<>();
        lines.add(message);
        for (JsonNode p : body.path("problems")) {
            String file = p.path("file").isTextual() ? " " + p.path("file").asText() + ":" : "";
            lines.add("  " + p.path("code").asText() + file + " " + p.path("message").asText());
        }
        String text = String.join("\n", lines);
        return switch (s) {
            case 400, 413, 422 -> new UserError(UserError.Kind.INVALID_INPUT, text);
            case 401 -> new UserError(UserError.Kind.INVALID_INPUT, "the registry refused the token: " + text, "cxpm login --registry " + base);
            case 403 -> new UserError(UserError.Kind.INVALID_INPUT, "not allowed: " + text, "ask an owner for a token with the right scope");
            case 404 -> new UserError(UserError.Kind.NOT_FOUND, text);
            case 409 -> new UserError(UserError.Kind.CONFLICT, text);
            case 503 -> new UserError(UserError.Kind.NETWORK, "the registry at " + base + " is busy: " + text,
                    "try again in " + r.headers().firstValue("Retry-After").orElse("a few") + " seconds");
            default -> new UserError(UserError.Kind.NETWORK, "the registry failed (HTTP " + s + "): " + text);
        };
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
