package dev.cxpm.registry.web;

import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.api.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cxpm client this registry hands out: {@code GET /install.sh} (a POSIX sh script that downloads the release,
 * checks its SHA-512 and installs it into ~/.local) and {@code GET /downloads/NAME} for the release archives (built by
 * dist/, {@code -Prelease}) found in one directory at start-up.
 *
 * <p>Only the names found then are served, each an exact key of a map: no part of a request's path reaches the file
 * system. A directory holding several versions serves the newest one that has its self-contained archive and a
 * well-formed {@code .sha512} beside it.
 */
public final class ClientRelease {

    static final String PLATFORM = "linux-x64";
    private static final Pattern SELF_CONTAINED = Pattern.compile("cxpm-([0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9A-Za-z.]+)?)-" + PLATFORM + "\\.tar\\.gz");
    private static final Pattern SUM = Pattern.compile("([0-9a-f]{128})  (\\S+)\\n?");
    private static final String TEMPLATE = template();

    private final String version;
    private final String archive;
    private final String sha512;
    /** Name under /downloads/ to file: the archives and their .sha512 files. */
    private final Map<String, Path> files;

    private ClientRelease(String version, String archive, String sha512, Map<String, Path> files) {
        this.version = version;
        this.archive = archive;
        this.sha512 = sha512;
        this.files = files;
    }

    /** The newest release in {@code dir}, if it holds one (a directory that cannot be read holds none). */
    public static Optional<ClientRelease> find(Path dir) {
        PluginVersion best = null;
        String bestName = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = SELF_CONTAINED.matcher(p.getFileName().toString());
                PluginVersion v = m.matches() ? PluginVersion.of(m.group(1)) : null; // SemVer's order, as plugins are sorted
                if (v != null && v.isSemver() && sumOf(p).isPresent() && (best == null || v.compareTo(best) > 0)) {
                    best = v;
                    bestName = m.group(0);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        if (bestName == null) {
            return Optional.empty();
        }
        String version = bestName.substring("cxpm-".length(), bestName.length() - ("-" + PLATFORM + ".tar.gz").length());
        Map<String, Path> files = new TreeMap<>();
        Path selfContained = dir.resolve(bestName);
        String sum = sumOf(selfContained).orElseThrow();
        files.put(bestName, selfContained);
        files.put(bestName + ".sha512", dir.resolve(bestName + ".sha512"));
        Path portable = dir.resolve("cxpm-" + version + ".tar.gz");
        if (sumOf(portable).isPresent()) {
            files.put(portable.getFileName().toString(), portable);
            files.put(portable.getFileName() + ".sha512", dir.resolve(portable.getFileName() + ".sha512"));
        }
        return Optional.of(new ClientRelease(version, bestName, sum, files));
    }

    /** The SHA-512 in ARCHIVE.sha512 when both are plain files and it has the sha512sum form {@code HEX  ARCHIVE}. */
    private static Optional<String> sumOf(Path archive) {
        Path sum = archive.resolveSibling(archive.getFileName() + ".sha512");
        try {
            if (!Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(sum, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(sum) > 1024) {
                return Optional.empty();
            }
            // read as it was looked at (through no link) and no further than the bound, whatever it grew to since
            byte[] bytes = dev.cxpm.core.FileText.bytes(sum, 1024, LinkOption.NOFOLLOW_LINKS);
            Matcher m = SUM.matcher(StandardCharsets.US_ASCII.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)));
            return m.matches() && m.group(2).equals(archive.getFileName().toString()) ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    public String version() {
        return version;
    }

    /** The script for a registry reached at {@code baseUrl}, which {@link WebHandlers#shownSafely} has accepted. */
    String installScript(String baseUrl) {
        if (!WebHandlers.shownSafely(baseUrl)) {
            throw new IllegalArgumentException("not a plain URL: " + baseUrl);
        }
        return TEMPLATE.replace("@BASE@", baseUrl).replace("@VERSION@", version).replace("@ARCHIVE@", archive).replace("@SHA512@", sha512);
    }

    void download(Request r, String name) throws IOException {
        Path file = files.get(name);
        if (file == null) {
            throw new RegistryException(404, "not-found", "no download " + name + (files.containsKey(archive) ? "; this registry serves " + archive : ""));
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            var headers = r.exchange().getResponseHeaders();
            headers.set("Content-Type", name.endsWith(".sha512") ? "text/plain; charset=utf-8" : "application/gzip");
            headers.set("Cache-Control", "public, max-age=300");
            if (r.isHead()) {
                r.exchange().sendResponseHeaders(200, -1);
                return;
            }
            r.exchange().sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = r.exchange().getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static String template() {
        try (InputStream in = ClientRelease.class.getResourceAsStream("install.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
