package dev.cxpm.core.policy;

import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.marketplace.MarketplaceSource;
import dev.cxpm.core.marketplace.ScpLike;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a marketplace comes from, as policy rules see it: a local directory, a git URL (with the ref asked for),
 * or a cxpm registry (its base URL, and the git view Codex is given for it).
 */
public sealed interface MarketplaceOrigin {

    record Local(Path root) implements MarketplaceOrigin {
    }

    record Git(String url, Optional<String> ref) implements MarketplaceOrigin {
    }

    record Registry(URI url, String codexView) implements MarketplaceOrigin {
    }

    static MarketplaceOrigin of(MarketplaceSource source) {
        if (source instanceof MarketplaceSource.Local l) { // before the pattern switch, whose bootstrap costs a cold install ms
            return new Local(l.root());
        }
        return switch (source) {
            case MarketplaceSource.Local l -> new Local(l.root());
            case MarketplaceSource.Git g -> new Git(g.url(), g.ref());
            case MarketplaceSource.Registry r -> new Registry(r.url(), r.codexMarketplace().toString());
        };
    }

    /** A marketplace configured in the Codex home; registry: the registry cxpm remembers behind it, if any. */
    static MarketplaceOrigin of(CodexConfig.MarketplaceEntry entry, Optional<URI> registry) {
        if (registry.isPresent()) {
            return new Registry(registry.get(), entry.source());
        }
        return entry.sourceType().equals("local") ? new Local(Path.of(entry.source()).toAbsolutePath().normalize())
                : new Git(entry.source(), entry.ref());
    }

    /** The host of a git or registry URL ({@code git@host:path} too), lower case; empty for a local directory. */
    default Optional<String> host() {
        if (this instanceof Local) { // before the pattern switch, whose bootstrap costs a cold install ms
            return Optional.empty();
        }
        String url = switch (this) {
            case Local l -> null;
            case Git g -> g.url();
            case Registry r -> r.url().toString();
        };
        if (url == null) {
            return Optional.empty();
        }
        Optional<String> scp = url.contains("://") ? Optional.empty() : ScpLike.host(url);
        if (scp.isPresent()) {
            return scp.map(h -> h.toLowerCase(Locale.ROOT));
        }
        try {
            return Optional.ofNullable(URI.create(url).getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** How the source is shown in messages. */
    default String text() {
        if (this instanceof Local l) { // before the pattern switch, whose bootstrap costs a cold install ms
            return l.root().toString();
        }
        return switch (this) {
            case Local l -> l.root().toString();
            case Git g -> g.url() + g.ref().map(r -> " (ref " + r + ")").orElse("");
            case Registry r -> registryUrl(r.url());
        };
    }

    static String registryUrl(URI url) {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
