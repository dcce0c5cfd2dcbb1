package dev.cxpm.core.marketplace;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.registry.RegistryClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a marketplace comes from, parsed from what the user typed exactly as {@code codex plugin
 * marketplace add} parses it: {@code owner/repo[@ref]} is GitHub shorthand (even when such a directory
 * exists; write {@code ./owner/repo} for that), {@code http(s)://}, {@code ssh://} and {@code git@host:}
 * are git URLs, {@code file://} is refused, anything else is a local directory. New kinds (a cxpm
 * registry) are new records here and a case in {@link Marketplaces}.
 */
public sealed interface MarketplaceSource {

    /** A directory used in place: nothing is copied. */
    record Local(Path root) implements MarketplaceSource {
    }

    /**
     * A git repository cloned into the Codex home; with sparse paths only those (plus the top-level
     * files) are checked out, from a partial clone, as {@code codex plugin marketplace add --sparse} does.
     */
    record Git(String url, Optional<String> ref, List<String> sparsePaths) implements MarketplaceSource {
        public Git {
            sparsePaths = List.copyOf(sparsePaths);
        }

        public Git(String url, Optional<String> ref) {
            this(url, ref, List.of());
        }
    }

    /**
     * A cxpm registry: config.toml records it as a git source on the registry's Codex git view
     * (so the real Codex CLI uses it too); cxpm resolves against the registry's JSON API.
     */
    record Registry(URI url, URI codexMarketplace) implements MarketplaceSource {
    }

    /** Where a registry serves its Codex git view; a git URL ending so is probed as a registry too. */
    String CODEX_VIEW_PATH = "/codex/marketplace.git";

    Pattern SHORTHAND = Pattern.compile("([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\\.git)?(?:@([^@\\s]+))?");

    static MarketplaceSource parse(String text, Path cwd, Optional<String> ref) {
        return parse(text, cwd, ref, List.of());
    }

    /** As {@link #parse(String, Path, Optional)}, with {@code --sparse} paths, which only a git source takes (as in Codex). */
    static MarketplaceSource parse(String text, Path cwd, Optional<String> ref, List<String> sparsePaths) {
        MarketplaceSource source = parseSource(text, cwd, ref);
        if (sparsePaths.isEmpty()) {
            return source;
        }
        if (!(source instanceof Git g)) {
            throw new UserError(UserError.Kind.USAGE, "--sparse is only supported for git marketplace sources",
                    "drop --sparse for a local directory: it is used in place, nothing is checked out");
        }
        for (String p : sparsePaths) {
            if (p.isBlank() || p.startsWith("/") || p.startsWith("-") || Path.of(p).normalize().startsWith("..")) {
                throw new UserError(UserError.Kind.USAGE, "--sparse " + p + " is not a path inside the repository",
                        "give directories relative to the repository root, e.g. --sparse .agents --sparse plugins/demo");
            }
        }
        return new Git(g.url(), g.ref(), sparsePaths);
    }

    private static MarketplaceSource parseSource(String text, Path cwd, Optional<String> ref) {
        String s = text.trim();
        if (s.isEmpty() || s.startsWith("file:")) {
            throw invalid();
        }
        if (s.startsWith("https://") || s.startsWith("http://") || s.startsWith("ssh://") || ScpLike.isUrl(s)) {
            return new Git(s, ref);
        }
        if (s.contains("://")) {
            throw invalid();
        }
        Matcher m = SHORTHAND.matcher(s);
        if (!s.startsWith(".") && m.matches()) {
            Optional<String> r = ref.isPresent() ? ref : Optional.ofNullable(m.group(3));
            return new Git("https://github.com/" + m.group(1) + "/" + m.group(2) + ".git", r);
        }
        Path dir = cwd.resolve(s).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "marketplace directory " + dir + " does not exist",
                    "give a local marketplace directory, owner/repo or a git URL");
        }
        if (ref.isPresent()) {
            throw new UserError(UserError.Kind.USAGE, "--ref applies to git marketplaces only, and " + dir + " is a local directory");
        }
        return new Local(dir);
    }

    /**
     * A git source whose http(s) URL a cxpm registry answers becomes a {@link Registry}. URLs ending
     * in {@code .git} are git repositories (no probe, no round trip) unless they end in the registry's
     * Codex view path; anything else is probed with {@code GET URL/api/v1/registry}, and when something
     * other than a registry answers, the URL stays a git URL exactly as before.
     */
    static MarketplaceSource recognise(MarketplaceSource source) {
        if (!(source instanceof Git g) || g.ref().isPresent() || !g.sparsePaths().isEmpty() || !(g.url().startsWith("http://") || g.url().startsWith("https://"))) {
            return source;
        }
        String url = g.url();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        String base;
        if (url.endsWith(CODEX_VIEW_PATH)) {
            base = url.substring(0, url.length() - CODEX_VIEW_PATH.length());
        } else if (url.endsWith(".git")) {
            return source;
        } else {
            base = url;
        }
        URI baseUrl;
        try {
            baseUrl = RegistryClient.parseUrl(base);
        } catch (UserError e) {
            return source;
        }
        Optional<RegistryClient.Probe> probe = new RegistryClient(baseUrl, null).probe();
        return probe.<MarketplaceSource>map(p -> new Registry(baseUrl, p.codexMarketplace())).orElse(source);
    }

    private static UserError invalid() {
        return new UserError(UserError.Kind.USAGE,
                "invalid marketplace source format; expected owner/repo, a git URL, or a local marketplace path",
                "file:// URLs are not accepted (as in Codex); give the directory path instead");
    }

    /** The config.toml entry Codex writes for this source. */
    default CodexConfig.MarketplaceEntry entry() {
        return switch (this) {
            case Local l -> CodexConfig.MarketplaceEntry.local(l.root().toString());
            case Git g -> new CodexConfig.MarketplaceEntry("git", g.url(), g.ref(), g.sparsePaths());
            case Registry r -> CodexConfig.MarketplaceEntry.git(r.codexMarketplace().toString(), Optional.empty());
        };
    }
}
