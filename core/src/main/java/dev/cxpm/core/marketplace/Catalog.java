package dev.cxpm.core.marketplace;

import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.EditDistance;
import dev.cxpm.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every plugin offered by the configured marketplaces, read from their local copies (the directory
 * itself, or the git clone in the Codex home), so search and info work offline. A plugin whose source
 * is local to its marketplace is read in full; for git and npm sources only the marketplace entry is
 * known until it is installed.
 */
public final class Catalog {

    /**
     * The marketplace an item is offered by, as info shows it, read while the marketplace was walked: an item holds
     * these few strings, not the marketplace's manifest.
     */
    public record Offered(String name, String sourceType, String source, Optional<Instant> fetchedAt, Optional<java.net.URI> registry) {
        static Offered of(Marketplaces.Configured c) {
            return new Offered(c.name(), c.sourceType(), c.source(), c.fetchedAt(), c.registry());
        }
    }

    /**
     * One offered plugin; plugin is empty when its content is not local (git, npm) or unreadable; localDir is where a
     * local source's files are (whether or not they can be read).
     */
    public record Item(Offered marketplace, MarketplaceEntry entry, Optional<Plugin> plugin, Optional<Path> localDir) {
        public String id() {
            return entry.name() + "@" + marketplace.name();
        }

        public Optional<String> version() {
            return plugin.flatMap(Plugin::version).or(entry::version);
        }

        public Optional<String> description() {
            return plugin.flatMap(p -> p.pluginInterface().shortDescription()).or(() -> plugin.flatMap(Plugin::description))
                    .or(entry::description);
        }

        public Optional<String> displayName() {
            return plugin.flatMap(p -> p.pluginInterface().displayName());
        }

        public List<String> keywords() {
            return plugin.map(Plugin::keywords).orElse(List.of());
        }

        public List<String> capabilities() {
            return plugin.map(p -> p.pluginInterface().capabilities()).orElse(List.of());
        }

        public Optional<String> category() {
            return entry.category().or(() -> plugin.flatMap(p -> p.pluginInterface().category()));
        }
    }

    /**
     * What a search result shows of a plugin: read from its files while it was scored, so a hit holds a few strings
     * and neither the plugin's parsed manifest nor its marketplace's (a search keeps as many of these as it shows, not
     * the plugins, and no marketplace.json once it is read).
     */
    public record Summary(String marketplace, String name, Optional<String> version,
            Optional<String> displayName, Optional<String> description, Optional<String> category) {
        public String id() {
            return name + "@" + marketplace;
        }

        static Summary of(Item i) {
            return new Summary(i.marketplace().name(), i.entry().name(), i.version(), i.displayName(), i.description(), i.category());
        }
    }

    /** A search hit and its score (higher is better). */
    public record Hit(Summary item, int score) {
    }

    /** What a search says of a marketplace it read: its name, whether it is a git clone, and how old its local copy is. */
    public record Searched(String name, boolean git, Optional<Instant> fetchedAt) {
    }

    /**
     * A search's answer: the best hits (as many as asked for), how many matched in all, and every
     * configured marketplace (readable or not) in config order.
     */
    public record Found(List<Hit> hits, int matched, List<Searched> marketplaces) {
    }

    private final Marketplaces marketplaces;

    private Catalog(Marketplaces marketplaces) {
        this.marketplaces = marketplaces;
    }

    /**
     * The configured marketplaces, read when a search or a lookup walks them, one at a time: neither holds more than
     * one marketplace's manifest and one plugin's, however many marketplaces of however many plugins are configured.
     */
    public static Catalog of(Marketplaces ms) {
        return new Catalog(ms);
    }

    /** The item for an entry: its plugin read in full when its source is local to the marketplace. */
    private static Item item(Offered c, Marketplace m, MarketplaceEntry e) {
        Optional<Plugin> plugin = Optional.empty();
        Optional<Path> localDir = Optional.empty();
        if (e.source() instanceof PluginSource.Local l) {
            Path dir = m.localPluginDir(l);
            localDir = Optional.of(dir);
            if (Files.isDirectory(dir)) {
                try {
                    plugin = Optional.of(Plugin.load(dir));
                } catch (UserError ignored) {
                    // listed from its marketplace entry alone; info says why it cannot be read
                }
            }
        }
        return new Item(c, e, plugin, localDir);
    }

    /** Items named name, in any marketplace (or only in marketplace when given): only their plugins' files are read. */
    public List<Item> named(String name, Optional<String> marketplace) {
        List<Item> out = new ArrayList<>();
        marketplaces.forEach(c -> {
            if (c.manifest().isEmpty() || marketplace.isPresent() && !c.name().equals(marketplace.get())) {
                return;
            }
            c.manifest().get().plugin(name).ifPresent(e -> out.add(item(Offered.of(c), c.manifest().get(), e)));
        });
        return out;
    }

    /** The most hits a search keeps ({@code --limit}'s largest value): what it holds is at most these, whatever matched. */
    public static final int MAX_LIMIT = 100_000;

    /**
     * Ranked matches, the best {@code limit} of them (1 to {@link #MAX_LIMIT}), and how many matched in all: every word
     * of the query must occur in some field; a word scores by where it occurs (exact name 100, name prefix 60, name 40,
     * display name 30, keyword 25, capability 15, category 15, description 10, long description 5). A word found nowhere
     * may still be a typo of a word of the name, display name or a keyword (one edit for 4-7 letters, two when longer):
     * it scores 1, below every real match. Ties break by name, then marketplace. Each plugin is read, scored and let go
     * before the next is read, and each marketplace before the next; a search holds the best limit hits, not every match.
     */
    public Found search(String query, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit);
        }
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        Ranking ranking = new Ranking(limit);
        List<Searched> searched = new ArrayList<>();
        marketplaces.forEach(c -> {
            Offered offered = Offered.of(c);
            searched.add(new Searched(offered.name(), c.entry().isGit(), offered.fetchedAt()));
            if (c.manifest().isEmpty()) {
                return;
            }
            Marketplace m = c.manifest().get();
            m.forEachPlugin(e -> { // one entry's tree at a time, each let go once scored
                Item item = item(offered, m, e);
                int total = 0;
                boolean all = true;
                for (String w : words) {
                    if (w.isEmpty()) {
                        continue;
                    }
                    int s = score(item, w);
                    if (s == 0 && nearlyMatches(item, w)) {
                        s = TYPO_SCORE;
                    }
                    if (s == 0) {
                        all = false;
                        break;
                    }
                    total += s;
                }
                if (all) {
                    ranking.add(new Hit(Summary.of(item), total));
                }
            });
        });
        return new Found(ranking.best(), ranking.matched, List.copyOf(searched));
    }

    /**
     * The best hits seen so far, at most limit of them: best score first, ties by name, then marketplace, then the order
     * they were found. A heap with the worst held hit on top, which a better one replaces: a search of 300,000 matches
     * asked for 50 holds 50 hits, sorts O(n log limit) in all, and keeps the hits sorting every one would put first.
     */
    private static final class Ranking {
        private static final Comparator<Ranked> ORDER = Comparator.<Ranked>comparingInt(r -> r.hit().score()).reversed()
                .thenComparing(r -> r.hit().item().name())
                .thenComparing(r -> r.hit().item().marketplace())
                .thenComparingLong(Ranked::found);
        private final int limit;
        /** The held hits, the worst on top ({@link #ORDER} reversed). */
        private final java.util.PriorityQueue<Ranked> held = new java.util.PriorityQueue<>(ORDER.reversed());
        private int matched;

        Ranking(int limit) {
            this.limit = limit;
        }

        private record Ranked(Hit hit, long found) {
        }

        void add(Hit h) {
            Ranked r = new Ranked(h, matched++);
            if (held.size() < limit) {
                held.add(r);
            } else if (ORDER.compare(r, held.peek()) < 0) {
                held.poll();
                held.add(r);
            }
        }

        List<Hit> best() {
            List<Ranked> sorted = new ArrayList<>(held);
            sorted.sort(ORDER);
            return sorted.stream().map(Ranked::hit).toList();
        }
    }

    private static int score(Item item, String w) {
        String name = item.entry().name().toLowerCase(Locale.ROOT);
        int best = 0;
        if (name.equals(w)) {
            best = 100;
        } else if (name.startsWith(w)) {
            best = 60;
        } else if (name.contains(w)) {
            best = 40;
        }
        best = Math.max(best, contains(item.displayName(), w) ? 30 : 0);
        best = Math.max(best, item.keywords().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).contains(w)) ? 25 : 0);
        best = Math.max(best, item.capabilities().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).contains(w)) ? 15 : 0);
        best = Math.max(best, contains(item.category(), w) ? 15 : 0);
        best = Math.max(best, contains(item.description(), w) ? 10 : 0);
        best = Math.max(best, item.plugin().map(p -> p.pluginInterface().longDescription()).flatMap(x -> x)
                .filter(d -> d.toLowerCase(Locale.ROOT).contains(w)).isPresent() ? 5 : 0);
        return best;
    }

    private static final int TYPO_SCORE = 1;
    private static final int LONGEST_TYPO_CHECKED = 64;
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");

    /**
     * Whether w is a typo of a word of the name, display name or a keyword. Words under 4 letters are never
     * "corrected" (too many near neighbours), and a word over 64 letters is no name anyone typed: skipping it
     * keeps the cost per plugin bounded, so search stays linear in the number of plugins.
     */
    private static boolean nearlyMatches(Item item, String w) {
        if (w.length() < 4 || w.length() > LONGEST_TYPO_CHECKED) {
            return false;
        }
        int allowed = w.length() <= 7 ? 1 : 2;
        List<String> fields = new ArrayList<>(item.keywords());
        fields.add(item.entry().name());
        item.displayName().ifPresent(fields::add);
        for (String field : fields) {
            for (String word : WORD_BREAK.split(field.toLowerCase(Locale.ROOT))) {
                if (Math.abs(word.length() - w.length()) <= allowed && EditDistance.between(w, word) <= allowed) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean contains(Optional<String> field, String w) {
        return field.map(f -> f.toLowerCase(Locale.ROOT).contains(w)).orElse(false);
    }
}
