package dev.cxpm.registry.storage.blob;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.registry.CappedBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Blobs in any S3-compatible store (AWS S3, MinIO, S3Proxy...), one object per blob,
 * {@code <prefix>/<hex>.tgz}, path-style URLs. Requests are signed with AWS Signature V4 by hand
 * over the JDK HttpClient: the five calls we need do not justify the AWS SDK's dependency tree.
 * An S3 PUT is atomic (an object is visible whole or not at all), which the interface requires.
 */
public final class S3BlobStore implements BlobStore {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
    private static final Pattern CONTENTS = Pattern.compile("<Contents>(.*?)</Contents>", Pattern.DOTALL);
    private static final Pattern MODIFIED = Pattern.compile("<LastModified>([^<]*)</LastModified>");
    private static final Pattern NEXT = Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");
    /**
     * The most of an answer read into memory (a blob is streamed, never read whole): a listing page of S3's 1,000 keys
     * is about 300 kB; a store that sends more is cut off and the request fails.
     */
    static final int MAX_ANSWER_BYTES = 16 << 20;
    /** The most of an error answer read, for its message (of which 300 characters are shown). */
    private static final int MAX_ERROR_BYTES = 64 << 10;

    private final URI endpoint;
    private final String bucket;
    private final String prefix;
    private final String region;
    private final String accessKey;
    private final String secretKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();

    /**
     * @param location {@code s3://bucket} or {@code s3://bucket/prefix}
     * @param endpoint e.g. {@code http://127.0.0.1:9000}; null for AWS ({@code https://s3.<region>.amazonaws.com})
     */
    public S3BlobStore(String location, URI endpoint, String region, String accessKey, String secretKey) {
        if (!location.startsWith("s3://") || location.length() <= 5) {
            throw new IllegalArgumentException("not an s3://bucket/prefix location: " + location);
        }
        String rest = location.substring(5);
        int slash = rest.indexOf('/');
        this.bucket = slash < 0 ? rest : rest.substring(0, slash);
        String p = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        this.region = region;
        this.endpoint = endpoint != null ? endpoint : URI.create("https://s3." + region + ".amazonaws.com");
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in " + location);
        }
    }

    private String key(Integrity integrity) {
        return prefix + integrity.hex() + ".tgz";
    }

    @Override
    public void put(Integrity integrity, byte[] content) {
        if (exists(integrity)) {
            return; // content-addressed: the same key always holds the same bytes
        }
        HttpResponse<byte[]> r = send("PUT", key(integrity), Map.of(), content);
        check(r, "PUT");
    }

    @Override
    public void put(Integrity integrity, Path file) {
        if (exists(integrity)) {
            return;
        }
        // streamed from the file twice (its hash signs the request, then the body): never whole in memory
        Payload payload;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            payload = new Payload(hex(d.digest()), HttpRequest.BodyPublishers.ofFile(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        check(send("PUT", key(integrity), Map.of(), payload, CappedBody.handler(MAX_ANSWER_BYTES)), "PUT");
    }

    /** A request body and the hex SHA-256 that signs it. */
    private record Payload(String sha256, HttpRequest.BodyPublisher publisher) {
        static Payload of(byte[] body) {
            return new Payload(hex(S3BlobStore.sha256(body == null ? new byte[0] : body)),
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        }
    }

    @Override
    public Optional<InputStream> open(Integrity integrity) {
        // streamed: a download never holds the whole blob in memory
        HttpResponse<InputStream> r = send("GET", key(integrity), Map.of(), Payload.of(null), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() / 100 == 2) {
            return Optional.of(r.body());
        }
        byte[] error;
        try (InputStream in = r.body()) {
            error = in.readNBytes(MAX_ERROR_BYTES); // the rest is not read: closing the stream hangs up
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        throw failure("GET", r.uri(), r.statusCode(), error);
    }

    @Override
    public boolean exists(Integrity integrity) {
        HttpResponse<byte[]> r = send("HEAD", key(integrity), Map.of(), null);
        if (r.statusCode() == 404) {
            return false;
        }
        check(r, "HEAD");
        return true;
    }

    @Override
    public void delete(Integrity integrity) {
        check(send("DELETE", key(integrity), Map.of(), null), "DELETE"); // S3 answers 204 for a missing key too
    }

    /**
     * A one-key listing of the prefix, not the default HEAD of a key never stored: a HEAD answers 404 without a body
     * for a missing bucket as for a missing key, so a bucket deleted or misnamed would look ready.
     */
    @Override
    public void check() {
        Map<String, String> query = new TreeMap<>();
        query.put("list-type", "2");
        query.put("max-keys", "1");
        query.put("prefix", prefix);
        check(send("GET", null, query, null), "LIST");
    }

    @Override
    public Set<Integrity> list() {
        return listWithTimes().keySet();
    }

    @Override
    public Map<Integrity, java.time.Instant> listWithTimes() {
        Map<Integrity, java.time.Instant> all = new java.util.HashMap<>();
        String token = null;
        Set<String> asked = new HashSet<>();
        do {
            Map<String, String> query = new TreeMap<>();
            query.put("list-type", "2");
            query.put("prefix", prefix);
            if (token != null) {
                query.put("continuation-token", token);
            }
            HttpResponse<byte[]> r = send("GET", null, query, null);
            check(r, "LIST");
            String xml = new String(r.body(), StandardCharsets.UTF_8);
            Matcher c = CONTENTS.matcher(xml);
            while (c.find()) {
                Matcher k = KEY.matcher(c.group(1));
                Matcher m = MODIFIED.matcher(c.group(1));
                if (!k.find()) {
                    continue;
                }
                String key = unescape(k.group(1));
                String name = key.substring(Math.min(prefix.length(), key.length()));
                if (key.startsWith(prefix) && name.endsWith(".tgz") && name.indexOf('/') < 0) {
                    // no date read as "now": a blob of unknown age is kept, never taken for an old orphan
                    java.time.Instant at = java.time.Instant.now();
                    if (m.find()) {
                        try {
                            at = java.time.Instant.parse(m.group(1));
                        } catch (java.time.format.DateTimeParseException e) {
                            // kept as young
                        }
                    }
                    java.time.Instant modified = at;
                    Integrity.ofHex(name.substring(0, name.length() - 4)).ifPresent(i -> all.put(i, modified));
                }
            }
            Matcher n = NEXT.matcher(xml);
            String next = xml.contains("<IsTruncated>true</IsTruncated>") && n.find() ? unescape(n.group(1)) : null;
            if (next != null && !asked.add(next)) { // a page named before: asking on would never end
                throw new UncheckedIOException(new IOException("S3 LIST of " + bucket + " named its page " + next + " as the next one again"));
            }
            token = next;
        } while (token != null);
        return all;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private void check(HttpResponse<byte[]> r, String what) {
        if (r.statusCode() / 100 != 2) {
            throw failure(what, r.uri(), r.statusCode(), r.body());
        }
    }

    private static UncheckedIOException failure(String what, URI uri, int status, byte[] error) {
        String body = error == null ? "" : new String(error, StandardCharsets.UTF_8);
        return new UncheckedIOException(new IOException("S3 " + what + " " + uri + " answered " + status + ": "
                + body.substring(0, Math.min(300, body.length()))));
    }

    /** One signed request; {@code key} null addresses the bucket itself (listing). */
    private HttpResponse<byte[]> send(String method, String key, Map<String, String> query, byte[] body) {
        return send(method, key, query, Payload.of(body), CappedBody.handler(MAX_ANSWER_BYTES));
    }

    private <T> HttpResponse<T> send(String method, String key, Map<String, String> query, Payload body, HttpResponse.BodyHandler<T> handler) {
        String path = endpoint.getRawPath().replaceAll("/+$", "") + "/" + encode(bucket, false) + (key == null ? "" : "/" + encode(key, true));
        StringBuilder q = new StringBuilder();
        new TreeMap<>(query).forEach((k, v) -> q.append(q.isEmpty() ? "" : "&").append(encode(k, false)).append('=').append(encode(v, false)));
        String host = endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
        String payloadHash = body.sha256();
        String amzDate = AMZ_DATE.format(Instant.now());
        String day = amzDate.substring(0, 8);
        String signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        String canonical = method + "\n" + path + "\n" + q + "\n"
                + "host:" + host + "\nx-amz-content-sha256:" + payloadHash + "\nx-amz-date:" + amzDate + "\n\n"
                + signedHeaders + "\n" + payloadHash;
        String scope = day + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        k = hmac(k, region);
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        String signature = hex(hmac(k, toSign));
        URI uri = URI.create(endpoint.getScheme() + "://" + host + path + (q.isEmpty() ? "" : "?" + q));
        // until the answer's headers: a store that accepts the connection and then says nothing fails the request
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofMinutes(2))
                .header("x-amz-date", amzDate)
                .header("x-amz-content-sha256", payloadHash)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature)
                .method(method, body.publisher());
        try {
            return http.send(b.build(), handler);
        } catch (IOException e) {
            String why = e.getCause() instanceof CappedBody.TooLarge ? "answered more than " + MAX_ANSWER_BYTES + " bytes" : e.getMessage();
            throw new UncheckedIOException(new IOException("S3 " + method + " " + uri + ": " + why, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, '/' kept only in object keys. */
    static String encode(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~'
                    || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
