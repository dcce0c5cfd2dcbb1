package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.PlainText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's index document from a cxpm registry ({@code GET /api/v1/plugins/NAME}), parsed once:
 * every published version with its integrity, blob path, dependencies and yanked/deprecated marks.
 * New resolution never picks a yanked version; a lockfile's exact version is found yanked or not.
 * {@code advisories}: the security advisories the registry attaches to ranges of versions ({@link Advisory}); those it
 * published malformed are left out and named, one line each, in {@code ignoredAdvisories}.
 */
public record RegistryIndex(String name, Optional<String> description, List<Release> releases, List<Advisory> advisories,
        List<String> ignoredAdvisories, long sequence) {

    /** A key given twice (a second {@code name}, a version's second {@code integrity}) is refused, not read as its last value. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * One published version; {@code changes} are its surface changes since the previous release as the registry
     * words them ("removed skill `review`"), control characters replaced and bounded, since a terminal shows them.
     * {@code publishedAt} is when the registry says it was published; {@link Instant#MAX} when the answer has no
     * readable time, so that a minimum release age treats it as just published rather than as old.
     */
    public record Release(PluginVersion version, Integrity integrity, Optional<ArchiveSize> size, String tarball, Map<String, String> dependencies,
            boolean yanked, Optional<String> deprecated, List<String> changes, Instant publishedAt, Optional<String> publisher,
            Optional<Source> source) {
    }

    private static Instant publishedAt(JsonNode v) {
        String t = v.path("publishedAt").asText("");
        if (t.length() > 64) {
            return Instant.MAX;
        }
        try {
            return Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    /** Where a version was built from, as its publisher's clean checkout said (shown, so made terminal-safe). */
    public record Source(String repository, String commit) {
    }

    /** What a registry that predates signing sends: no sequence. */
    public static final long NO_SEQUENCE = -1;

    private static Optional<String> shown(JsonNode n) {
        if (!n.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(PlainText.printable(n.asText(), MAX_CHANGE_CHARS));
    }

    private static final int MAX_CHANGES = 50;
    private static final int MAX_CHANGE_CHARS = 200;

    private static List<String> changes(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : array) {
            if (out.size() == MAX_CHANGES) {
                out.add("and " + (array.size() - MAX_CHANGES) + " more");
                break;
            }
            out.add(PlainText.printable(c.asText(), MAX_CHANGE_CHARS));
        }
        return List.copyOf(out);
    }

    /** Why text, a name or version that becomes a directory, cannot be one: longer than a file name may be (255 bytes). */
    private static Optional<String> tooLong(String what, String text) {
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return bytes <= 255 ? Optional.empty() : Optional.of(what + " is " + bytes + " bytes long (`" + PlainText.printable(text, 40)
                + "`), longer than a directory name can be (255 bytes)");
    }

    public static RegistryIndex parse(byte[] json, String where) {
        RegistryIndex index;
        try {
            JsonNode doc = JSON.readTree(json);
            List<Release> out = new ArrayList<>();
            for (JsonNode v : doc.path("versions")) {
                Map<String, String> deps = new LinkedHashMap<>();
                v.path("dependencies").properties().forEach(e -> deps.put(e.getKey(), e.getValue().asText()));
                PluginVersion version = PluginVersion.of(v.path("version").asText());
                out.add(new Release(version, Integrity.parse(v.path("integrity").asText()),
                        ArchiveSize.of(v.path("size"), "the size of version " + version.text()), tarball(v.path("tarball").asText()), Map.copyOf(deps), v.path("yanked").asBoolean(false),
                        v.path("deprecated").isTextual() ? Optional.of(v.path("deprecated").asText()) : Optional.empty(),
                        changes(v.path("changes")), publishedAt(v), shown(v.path("publisher")),
                        shown(v.path("source").path("repository")).flatMap(r -> shown(v.path("source").path("commit")).map(c -> new Source(r, c)))));
            }
            out.sort(Comparator.comparing(Release::version));
            for (int i = 1; i < out.size(); i++) {
                if (out.get(i).version().compareTo(out.get(i - 1).version()) == 0) { // which of the two would install?
                    throw new IOException("version " + out.get(i).version().text() + " is listed twice");
                }
            }
            if (!doc.path("name").isTextual()) {
                throw new IOException("no name");
            }
            Advisory.Parsed advisories = Advisory.parseAll(doc.path("advisories"));
            index = new RegistryIndex(doc.path("name").asText(),
                    doc.path("description").isTextual() ? Optional.of(doc.path("description").asText()) : Optional.empty(), List.copyOf(out),
                    advisories.advisories(), advisories.ignored(),
                    ArchiveSize.sequence(doc.path("sequence")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(UserError.Kind.NETWORK, "the index document is not JSON: "
                    + dev.cxpm.core.format.json.SyntaxError.json(where, e, null).message(), "is this a cxpm registry? retry, or run cxpm marketplace update");
        } catch (IOException | UserError e) {
            throw new UserError(UserError.Kind.NETWORK, "the index document from " + where + " cannot be read: " + e.getMessage(),
                    "is this a cxpm registry? retry, or run cxpm marketplace update");
        }
        // names and versions become directories of the Codex home: a registry answering path syntax is not trusted with any
        Optional<String> hostile = PluginName.problem(index.name()).or(() -> tooLong("its name", index.name()))
                .or(() -> index.releases().stream()
                .flatMap(r -> VersionDir.problem(r.version().text()).or(() -> tooLong("a version", r.version().text()))
                        .or(() -> r.dependencies().keySet().stream()
                        .flatMap(d -> PluginName.problem(d).or(() -> tooLong("a dependency's name", d)).stream()).findFirst()).stream())
                .findFirst());
        if (hostile.isPresent()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the index document from " + where + " is refused: " + hostile.get(),
                    "nothing was installed; a cxpm registry never publishes such a name: tell the registry's operators");
        }
        return index;
    }

    /**
     * Where a release's archive is, as the registry wrote it: a path on the registry ({@code /api/v1/blobs/HEX}) or an
     * http(s) URL, made into a URI by the download and by sync's lockfile entry. Anything else (a space, {@code //host},
     * another scheme) is refused with the document: as a URI it threw IllegalArgumentException, an internal error (exit 70).
     */
    private static String tarball(String text) throws IOException {
        try {
            java.net.URI u = new java.net.URI(text);
            boolean path = u.getScheme() == null && u.getRawAuthority() == null && text.startsWith("/");
            boolean web = ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
            if (path || web) {
                return text;
            }
        } catch (java.net.URISyntaxException bad) {
            // refused below
        }
        throw new IOException("a release's tarball `" + PlainText.printable(text, MAX_CHANGE_CHARS) + "` is neither a path on the registry nor an http(s) URL");
    }

    /**
     * The newest release new resolution may pick: not yanked, SemVer, inside the range. Without a
     * range the newest non-prerelease, or the newest prerelease when there is nothing else (npm's latest).
     */
    public Optional<Release> pick(Optional<VersionRange> range) {
        return pick(range, r -> true);
    }

    /** As {@link #pick(Optional)}, among the releases that are also {@code eligible} (old enough, say). */
    public Optional<Release> pick(Optional<VersionRange> range, java.util.function.Predicate<Release> eligible) {
        List<Release> candidates = releases.stream().filter(r -> !r.yanked() && r.version().isSemver() && eligible.test(r)).toList();
        if (range.isPresent()) {
            return candidates.stream().filter(r -> range.get().includes(r.version())).max(Comparator.comparing(Release::version));
        }
        return candidates.stream().filter(r -> VersionRange.ANY.includes(r.version())).max(Comparator.comparing(Release::version))
                .or(() -> candidates.stream().max(Comparator.comparing(Release::version)));
    }

    /** The release with exactly this version, yanked or not (what a lockfile pins). */
    public Optional<Release> exactly(String version) {
        return releases.stream().filter(r -> r.version().text().equals(version)).findFirst();
    }

    /** The advisories whose range includes this version. */
    public List<Advisory> advisoriesFor(PluginVersion version) {
        return advisories.stream().filter(a -> a.affects(version)).toList();
    }

    /** Version texts of releases new resolution may use, oldest first. */
    public List<String> available() {
        return releases.stream().filter(r -> !r.yanked()).map(r -> r.version().text()).toList();
    }
}
