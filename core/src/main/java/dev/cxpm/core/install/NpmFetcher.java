package dev.cxpm.core.install;

import dev.cxpm.core.FileText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.pack.ArchiveDownload;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.PackLimits;
import dev.cxpm.core.pack.Sizes;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches an {@code npm} plugin source the way {@code npm pack} would: the registry comes from the
 * user's npm configuration ({@code npm_config_registry}, then {@code .npmrc} in the working directory
 * and in HOME, with {@code @scope:registry} and {@code //host[:port]/path/:_authToken}, each token sent only to
 * URLs under its host, port and path, as npm does), the version is the entry's (exact or range) or
 * {@code latest}, the tarball is streamed to disk (cut off at {@link PackLimits#maxArchiveBytes()}, with or
 * without an integrity) and checked against the packument's {@code integrity} before it is unpacked with
 * the archive safety rules of {@link Unpacker}.
 */
public final class NpmFetcher {
    /** An .npmrc is a few lines of settings; one larger is not read (it may be a checkout's, so anything). */
    private static final int NPMRC_MAX_BYTES = 1 << 20;

    private final Map<String, String> vars;
    private final Path cwd;
    private final Progress progress;

    public NpmFetcher(Map<String, String> vars, Path cwd) {
        this(vars, cwd, Progress.NONE);
    }

    /** progress: where the download of a package's tarball reports its bytes. */
    public NpmFetcher(Map<String, String> vars, Path cwd, Progress progress) {
        this.vars = vars;
        this.cwd = cwd;
        this.progress = progress;
    }

    /** An unpacked package and the exact version its range picked. */
    public record Fetched(Path dir, String version) {
    }

    /** Downloads, verifies and unpacks into work/npm-package. */
    public Fetched fetch(PluginSource.Npm npm, Path work) {
        Map<String, String> rc = npmrc();
        String pkg = npm.packageName();
        String registry = npm.registry().orElseGet(() -> registryFor(pkg, rc));
        if (!registry.endsWith("/")) {
            registry = registry + "/";
        }
        String encoded = pkg.startsWith("@") ? "@" + URLEncoder.encode(pkg.substring(1), StandardCharsets.UTF_8) : pkg;
        JsonNode packument;
        Path json = work.resolve("npm-packument.json");
        try {
            get(URI.create(registry + encoded), rc, json, PackLimits.DEFAULT.maxFileBytes(), pkg, "the packument", Progress.NONE);
            packument = Mapper.JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, "the npm registry " + registry + " answered with invalid JSON for " + pkg, null, e);
        } finally {
            deleteQuietly(json);
        }
        String version = pickVersion(packument, npm.version(), pkg);
        JsonNode dist = packument.path("versions").path(version).path("dist");
        String tarball = dist.path("tarball").asText("");
        if (tarball.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the registry lists no tarball for " + pkg + "@" + version, null);
        }
        Path tgz = work.resolve("npm-package.tgz");
        URI tarballUri;
        try {
            tarballUri = URI.create(tarball);
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the registry lists an invalid tarball URL for " + pkg + "@" + version, null, e);
        }
        get(tarballUri, rc, tgz, PackLimits.DEFAULT.maxArchiveBytes(), pkg, "the tarball", progress);
        String integrity = dist.path("integrity").asText("");
        if (!integrity.isEmpty()) {
            Integrity.parse(integrity).verify(tgz);
        } else if (!dist.path("shasum").asText("").isEmpty()) {
            String sha1 = dist.path("shasum").asText();
            String actual = sha1Hex(tgz);
            if (!actual.equalsIgnoreCase(sha1)) {
                throw new UserError(UserError.Kind.INTEGRITY, "integrity mismatch for " + pkg + "@" + version + ": shasum " + actual
                        + " is not the registry's " + sha1, "the download is corrupt or the registry is wrong; retry");
            }
        }
        Path dir = work.resolve("npm-package");
        new Unpacker().unpack(tgz, dir);
        return new Fetched(dir, version);
    }

    private String registryFor(String pkg, Map<String, String> rc) {
        if (pkg.startsWith("@") && pkg.contains("/")) {
            String scoped = rc.get(pkg.substring(0, pkg.indexOf('/')) + ":registry");
            if (scoped != null) {
                return scoped;
            }
        }
        for (String k : List.of("npm_config_registry", "NPM_CONFIG_REGISTRY")) {
            if (vars.get(k) != null && !vars.get(k).isBlank()) {
                return vars.get(k);
            }
        }
        return rc.getOrDefault("registry", "https://registry.npmjs.org/");
    }

    /**
     * The token npm would send to url: the {@code //host[:port]/path/:_authToken} whose host and port are
     * the URL's and whose path is the longest one the URL's path starts with, walking up as npm does
     * (npm-registry-fetch's regKeyFromURI). A token is never sent to another host, port or path.
     */
    static Optional<String> token(URI url, Map<String, String> rc) {
        if (url.getHost() == null) {
            return Optional.empty();
        }
        int port = url.getPort();
        boolean defaultPort = port == -1 || (port == 443 && "https".equals(url.getScheme())) || (port == 80 && "http".equals(url.getScheme()));
        String key = "//" + url.getHost() + (defaultPort ? "" : ":" + port) + (url.getRawPath() == null ? "" : url.getRawPath());
        while (key.length() > 2) {
            String token = rc.get(key + ":_authToken");
            if (token != null && !token.isEmpty()) {
                return Optional.of(token);
            }
            key = key.replaceFirst("([^/]+|/)$", "");
        }
        return Optional.empty();
    }

    /** npmrc keys: the project's .npmrc over the user's (npm's precedence), ${VAR} expanded. */
    private Map<String, String> npmrc() {
        Map<String, String> out = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        String user = vars.get("NPM_CONFIG_USERCONFIG");
        if (user != null && !user.isBlank()) {
            files.add(Path.of(user));
        } else if (vars.get("HOME") != null) {
            files.add(Path.of(vars.get("HOME")).resolve(".npmrc"));
        }
        files.add(cwd.resolve(".npmrc"));
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                for (String line : FileText.read(f, NPMRC_MAX_BYTES).lines().toList()) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || !l.contains("=")) {
                        continue;
                    }
                    String key = l.substring(0, l.indexOf('=')).strip();
                    String value = l.substring(l.indexOf('=') + 1).strip();
                    for (Map.Entry<String, String> v : vars.entrySet()) {
                        value = value.replace("${" + v.getKey() + "}", v.getValue());
                    }
                    out.put(key, value);
                }
            } catch (IOException e) {
                throw new UserError(UserError.Kind.IO, "cannot read " + f + ": " + e.getMessage(), null, e);
            }
        }
        return out;
    }

    private static String pickVersion(JsonNode packument, Optional<String> wanted, String pkg) {
        JsonNode versions = packument.path("versions");
        if (wanted.isPresent() && versions.has(wanted.get())) {
            return wanted.get();
        }
        if (wanted.isEmpty()) {
            String latest = packument.path("dist-tags").path("latest").asText("");
            if (versions.has(latest)) {
                return latest;
            }
        }
        // npm's list is from outside; matched and ordered as cxpm's own versions are (SemVer precedence, npm's range
        // rules). No range and no `latest` tag: the highest of all, pre-releases too.
        Optional<VersionRange> range = wanted.flatMap(VersionRange::parse);
        String best = null;
        PluginVersion bestVersion = null;
        for (Iterator<String> it = versions.fieldNames(); it.hasNext() && (wanted.isEmpty() || range.isPresent()); ) {
            String name = it.next();
            PluginVersion v = PluginVersion.of(name);
            if (v.isSemver() && (range.isEmpty() || range.get().includes(v)) && (bestVersion == null || v.compareTo(bestVersion) > 0)) {
                best = name;
                bestVersion = v;
            }
        }
        if (best == null) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no version of npm package " + pkg + " matches " + wanted.orElse("latest"),
                    "check the marketplace entry's version");
        }
        return best;
    }

    /**
     * Made on the first download only: every sync constructs a fetcher, few fetch from npm, and a client costs tens of
     * milliseconds on a fresh JVM. Redirects are followed here, not by the client, so that each hop gets the token of its own URL.
     */
    private static final class Client {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
    private static final int MAX_REDIRECTS = 10;

    /** Made on the first packument only, as the client above: every sync constructs a fetcher, few read npm's JSON. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    /**
     * GETs uri into the file to, streamed, and refuses (deleting what was written) an answer of more than
     * max bytes, whatever its Content-Length said; what names the thing fetched in messages.
     */
    private static void get(URI uri, Map<String, String> rc, Path to, long max, String pkg, String what, Progress progress) {
        URI at = uri;
        try {
            for (int hop = 0; ; hop++) {
                HttpRequest.Builder b = HttpRequest.newBuilder(at).timeout(Duration.ofSeconds(60))
                        .header("Accept", "application/json");
                token(at, rc).ifPresent(t -> b.header("Authorization", "Bearer " + t));
                HttpResponse<InputStream> r = Client.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = r.body(); Progress.Step step = progress.begin("downloading " + pkg)) {
                    int status = r.statusCode();
                    Optional<String> location = r.headers().firstValue("Location");
                    if (status >= 300 && status < 400 && location.isPresent() && hop < MAX_REDIRECTS) {
                        at = at.resolve(location.get());
                        continue;
                    }
                    if (status == 404) {
                        throw new UserError(UserError.Kind.NOT_FOUND, "npm package " + pkg + " was not found at " + at,
                                "check the package name and your .npmrc registry");
                    }
                    if (status != 200) {
                        throw new UserError(UserError.Kind.NETWORK, "npm registry answered " + status + " for " + what + " of " + pkg + " (" + at + ")",
                                "check the registry URL and your token in .npmrc");
                    }
                    long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1); // the server's word: shown only
                    long total = announced > 0 && announced <= max ? announced : -1;
                    if (!ArchiveDownload.save(body, to, max, done -> step.transferred(done, total))) {
                        throw new UserError(UserError.Kind.INVALID_INPUT, what + " of " + pkg + " at " + uri + " is more than " + Sizes.human(max)
                                + ", the most cxpm downloads for a package", "nothing was installed; a plugin that large is not a plugin cxpm installs");
                    }
                    return;
                }
            }
        } catch (IOException e) {
            deleteQuietly(to);
            throw new UserError(UserError.Kind.NETWORK, "cannot reach the npm registry at " + at + ": " + UserError.reason(e, at.getHost()), "check your network and .npmrc", e);
        } catch (InterruptedException e) {
            deleteQuietly(to);
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.NETWORK, "interrupted while fetching " + at, null, e);
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the npm registry redirected " + uri + " to an invalid URL", null, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover in the work directory, which its owner removes
        }
    }

    private static String sha1Hex(Path file) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
            try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), md)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new UserError(UserError.Kind.IO, "cannot hash " + file, null, e);
        }
    }
}
