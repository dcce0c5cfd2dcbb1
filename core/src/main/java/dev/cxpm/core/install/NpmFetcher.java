package dev.cxpm.core.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Unpacker;
import java.io.IOException;
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
import org.semver4j.Semver;

/**
 * Fetches an {@code npm} plugin source the way {@code npm pack} would: the registry comes from the
 * user's npm configuration ({@code npm_config_registry}, then {@code .npmrc} in the working directory
 * and in HOME, with {@code @scope:registry} and {@code //host/:_authToken}), the version is the entry's
 * (exact or range) or {@code latest}, the tarball is checked against the packument's {@code integrity}
 * before it is unpacked with the archive safety rules of {@link Unpacker}.
 */
public final class NpmFetcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> vars;
    private final Path cwd;

    public NpmFetcher(Map<String, String> vars, Path cwd) {
        this.vars = vars;
        this.cwd = cwd;
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
        Optional<String> token = token(registry, rc);
        String encoded = pkg.startsWith("@") ? "@" + URLEncoder.encode(pkg.substring(1), StandardCharsets.UTF_8) : pkg;
        JsonNode packument;
        try {
            packument = JSON.readTree(getString(URI.create(registry + encoded), token, pkg));
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, "the npm registry " + registry + " answered with invalid JSON for " + pkg, null, e);
        }
        String version = pickVersion(packument, npm.version(), pkg);
        JsonNode dist = packument.path("versions").path(version).path("dist");
        String tarball = dist.path("tarball").asText("");
        if (tarball.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the registry lists no tarball for " + pkg + "@" + version, null);
        }
        Path tgz = work.resolve("npm-package.tgz");
        download(URI.create(tarball), token, tgz, pkg);
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

    private static Optional<String> token(String registry, Map<String, String> rc) {
        String hostPath = registry.replaceFirst("^https?:", "");
        for (Map.Entry<String, String> e : rc.entrySet()) {
            if (e.getKey().endsWith(":_authToken") && hostPath.startsWith(e.getKey().substring(0, e.getKey().length() - ":_authToken".length()))) {
                return Optional.of(e.getValue());
            }
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
                for (String line : Files.readAllLines(f)) {
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
        Semver best = null;
        for (Iterator<String> it = versions.fieldNames(); it.hasNext(); ) {
            Semver v = Semver.parse(it.next());
            if (v != null && (wanted.isEmpty() || satisfies(v, wanted.get())) && (best == null || v.isGreaterThan(best))) {
                best = v;
            }
        }
        if (best == null) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no version of npm package " + pkg + " matches " + wanted.orElse("latest"),
                    "check the marketplace entry's version");
        }
        return best.getVersion();
    }

    private static boolean satisfies(Semver v, String range) {
        try {
            return v.satisfies(range);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    private static HttpRequest.Builder request(URI uri, Optional<String> token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private static String getString(URI uri, Optional<String> token, String pkg) {
        try {
            HttpResponse<String> r = client().send(request(uri, token).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                throw new UserError(UserError.Kind.NOT_FOUND, "npm package " + pkg + " was not found at " + uri, "check the package name and your .npmrc registry");
            }
            if (r.statusCode() != 200) {
                throw new UserError(UserError.Kind.NETWORK, "npm registry answered " + r.statusCode() + " for " + uri, "check the registry URL and your token in .npmrc");
            }
            return r.body();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, "cannot reach the npm registry at " + uri + ": " + UserError.reason(e), "check your network and .npmrc", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.NETWORK, "interrupted while fetching " + uri, null, e);
        }
    }

    private static void download(URI uri, Optional<String> token, Path to, String pkg) {
        try {
            HttpResponse<Path> r = client().send(request(uri, token).build(), HttpResponse.BodyHandlers.ofFile(to));
            if (r.statusCode() != 200) {
                throw new UserError(UserError.Kind.NETWORK, "npm registry answered " + r.statusCode() + " for the tarball of " + pkg + " (" + uri + ")", null);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, "cannot download " + uri + ": " + UserError.reason(e), "check your network and .npmrc", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.NETWORK, "interrupted while fetching " + uri, null, e);
        }
    }

    private static String sha1Hex(Path file) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
            md.update(Files.readAllBytes(file));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new UserError(UserError.Kind.IO, "cannot hash " + file, null, e);
        }
    }
}
