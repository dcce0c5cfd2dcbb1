package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.PluginSource;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A marketplace as a project's index looks plugins up in it: cxpm.toml's held whole (the project's own), a Codex home's
 * other ones read when a plugin is first looked up there and holding only the entries of the names asked so far, each
 * read again (one entry at a time) only for a name it may list that was not asked before. So a sync or outdated beside
 * several marketplaces of 100,000 entries the project does not name holds a few entries of each and an 8-byte hash per
 * entry, not every entry of every one (24 MB per 100,000).
 */
public final class MarketplaceLookup {
    private final Path root;
    /** Null until first read (asked), or when it cannot be read: a user's broken marketplace offers nothing. */
    private Marketplace held;
    /** The names whose entries held keeps; null when it is held whole. */
    private final Set<String> asked;
    private boolean unreadable;

    private MarketplaceLookup(Path root, Marketplace held, Set<String> asked) {
        this.root = root;
        this.held = held;
        this.asked = asked;
    }

    static MarketplaceLookup whole(Marketplace m) {
        return new MarketplaceLookup(m.root(), m, null);
    }

    /** A marketplace read on first use, its entries named in first kept from the start (the project's plugins). */
    static MarketplaceLookup asked(Path marketplaceRoot, Collection<String> first) {
        return new MarketplaceLookup(marketplaceRoot.toAbsolutePath().normalize(), null, new HashSet<>(first));
    }

    public Path root() {
        return root;
    }

    /** The first valid entry of this name, as Codex takes it; empty when it lists none (or, a home's, cannot be read). */
    public synchronized Optional<MarketplaceEntry> plugin(String name) {
        if (asked == null) {
            return held.plugin(name);
        }
        if (unreadable) {
            return Optional.empty();
        }
        if (held != null && (asked.contains(name) || !held.mayList(name))) {
            return held.plugin(name);
        }
        asked.add(name);
        try {
            held = Marketplace.open(root).keeping(asked);
        } catch (UserError broken) {
            unreadable = true; // a broken marketplace of the user's is not this project's concern unless it needs it
            held = null;
            return Optional.empty();
        }
        return held.plugin(name);
    }

    /** The plugin directory a local entry points to (not checked for existence). */
    public Path localPluginDir(PluginSource.Local source) {
        return root.resolve(source.path().substring(2)).normalize();
    }
}
