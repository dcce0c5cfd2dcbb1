package dev.cxpm.core.policy;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.CappedBody;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The organisation's policy when it is published at a URL: fetched on each command (at most 1 MiB, 10 seconds for the
 * whole exchange), and kept in cxpm's cache once it parses, so that offline the last policy known still holds. With no
 * answer and no cached copy nothing is allowed: a policy that cannot be read fails closed, never open. Plain HTTP is
 * accepted only from this machine (a loopback address), since anyone on the way could rewrite the rules.
 */
final class OrgPolicy {

    static final long MAX_BYTES = 1 << 20;
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private OrgPolicy() {
    }

    /** The policy at url; notes gets a line when the cached copy had to be used. */
    static PolicyFile fetch(URI url, Map<String, String> vars, java.util.List<String> notes) {
        Path cache = cacheFile(vars, url);
        String text;
        try {
            text = download(url);
        } catch (Unreachable e) {
            if (Files.isRegularFile(cache)) {
                PolicyFile cached = PolicyFile.read(PolicyFile.Level.ORGANISATION, cache);
                notes.add("the organisation policy " + url + " could not be read (" + e.getMessage() + "); enforcing the copy cached "
                        + modified(cache));
                return relabel(cached, url + " (cached copy " + cache + ")");
            }
            throw new UserError(UserError.Kind.NETWORK, "the organisation policy " + url + " cannot be read: " + e.getMessage()
                    + "; there is no cached copy, so nothing is installed",
                    "connect to the network that serves it and run the command again, or ask whoever set `policy` in "
                            + Policies.configFile(vars));
        }
        PolicyFile parsed = PolicyFile.parse(PolicyFile.Level.ORGANISATION, url.toString(), text);
        try {
            Files.createDirectories(cache.getParent());
            TempPaths.replace(cache, ".policy", text);
        } catch (IOException e) {
            notes.add("the organisation policy could not be cached in " + cache + ": " + UserError.reason(e));
        }
        return parsed;
    }

    private static PolicyFile relabel(PolicyFile f, String label) {
        return new PolicyFile(f.level(), label, f.minReleaseAge(), f.marketplaces(), f.plugins(), f.minVersions(), f.mcpCommands(),
                f.denyUnpinned(), f.mcpHosts(), f.httpsOnly(), f.hooks());
    }

    private static String modified(Path file) {
        try {
            return "at " + Files.getLastModifiedTime(file).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        } catch (IOException e) {
            return "earlier";
        }
    }

    /** The URL must be https, or http to this machine. */
    static URI parseUrl(String text, String where) {
        URI url;
        try {
            url = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            url = null;
        }
        String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (url == null || url.getHost() == null || !(scheme.equals("https") || scheme.equals("http")) || url.getUserInfo() != null) {
            throw new UserError(UserError.Kind.INVALID_INPUT, where + ": policy must be a file path or an https:// URL, not `"
                    + PolicyFile.clean(text) + "`", "write policy = \"https://it.example.test/cxpm-policy.toml\" or an absolute path");
        }
        if (scheme.equals("http") && !loopback(url.getHost())) {
            throw new UserError(UserError.Kind.INVALID_INPUT, where + ": the organisation policy must come over https (" + PolicyFile.clean(text)
                    + "): over plain http anyone on the way could rewrite it", "use the https:// address");
        }
        return url;
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
            return false; // never resolve a name here: that would be a lookup an attacker can answer
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static final class Unreachable extends Exception {
        Unreachable(String why) {
            super(why, null, false, false);
        }
    }

    private static String download(URI url) throws Unreachable {
        HttpClient client = HttpClient.newBuilder().connectTimeout(DEADLINE).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(DEADLINE).GET().build();
        var pending = client.sendAsync(request, CappedBody.handler(MAX_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new Unreachable("no answer within " + DEADLINE.toSeconds() + " seconds");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CappedBody.TooLarge) {
                throw new Unreachable("the answer is larger than " + MAX_BYTES / 1024 + " KiB");
            }
            throw new Unreachable(e.getCause() instanceof IOException io ? UserError.reason(io, url.getHost()) : String.valueOf(e.getCause()));
        } finally {
            client.shutdownNow();
        }
        if (response.statusCode() != 200) {
            throw new Unreachable("HTTP " + response.statusCode());
        }
        try {
            return FileText.utf8(response.body());
        } catch (CharacterCodingException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the organisation policy " + url + " is not UTF-8 text",
                    "ask whoever publishes it to fix it; nothing is installed until then");
        }
    }

    /** {@code ~/.cache/cxpm/policy/org-HASH.toml}, one per URL. */
    static Path cacheFile(Map<String, String> vars, URI url) {
        String xdg = vars.get("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(vars.getOrDefault("HOME", "/nonexistent"), ".cache");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
            return base.resolve("cxpm").resolve("policy").resolve("org-" + HexFormat.of().formatHex(h, 0, 12) + ".toml");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
