package dev.cxpm.core.install;

import dev.cxpm.core.EditDistance;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.marketplace.MarketplaceSource;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.registry.RegistryClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which {@code plugin@marketplace} {@code cxpm install} means when the user typed less: a bare
 * {@code NAME} is looked up in every configured marketplace and must be in exactly one; with a registry
 * ({@code --registry URL}, a registry page's address {@code URL/plugins/NAME}, or, for a bare name no
 * configured marketplace has, the default registry) the registry is added first exactly as
 * {@code cxpm marketplace add URL} adds it (nothing changes when it is already added) and the plugin is
 * taken from it. What the user typed is untrusted: names are checked as Codex checks them before they
 * name anything, and a URL becomes a registry only when a cxpm registry answers there.
 */
public final class InstallTarget {

    /** What was asked, as typed: {@code PLUGIN[@MARKETPLACE]} or a page URL, {@code -m NAME}, {@code --registry URL}. */
    public record Request(String plugin, Optional<String> marketplace, Optional<String> registry) {
    }

    private final Marketplaces marketplaces;
    private final Supplier<Optional<URI>> defaultRegistry;

    /** defaultRegistry: where a bare name no configured marketplace has is looked for last (read only then, see {@code DefaultRegistry}). */
    public InstallTarget(Marketplaces marketplaces, Supplier<Optional<URI>> defaultRegistry) {
        this.marketplaces = marketplaces;
        this.defaultRegistry = defaultRegistry;
    }

    /** The plugin to install; a registry it names is added as a marketplace on the way. */
    public PluginId resolve(Request req) {
        String text = req.plugin().strip();
        Optional<URI> registry = req.registry().map(RegistryClient::parseUrl);
        if (text.startsWith("http://") || text.startsWith("https://")) {
            Matcher page = Patterns.PAGE.matcher(text);
            if (!page.matches()) {
                throw new UserError(UserError.Kind.USAGE, "`" + shown(text) + "` is not a plugin's page on a registry",
                        "give the page's address, e.g. cxpm install https://host/plugins/NAME, or cxpm install NAME --registry https://host");
            }
            if (registry.isPresent() || req.marketplace().isPresent()) {
                throw new UserError(UserError.Kind.USAGE, "the page's address already names the registry",
                        "drop --registry and --marketplace, or give the plugin by name: cxpm install NAME --registry URL");
            }
            return fromRegistry(RegistryClient.parseUrl(page.group(1)), page.group(2), Optional.empty(), Looked.NOWHERE);
        }
        if (registry.isPresent()) {
            int at = text.indexOf('@');
            Optional<String> named = at < 0 ? req.marketplace() : Optional.of(text.substring(at + 1));
            return fromRegistry(registry.get(), at < 0 ? text : text.substring(0, at), named, Looked.NOWHERE);
        }
        if (text.indexOf('@') >= 0 || req.marketplace().isPresent()) {
            return PluginId.parse(text, req.marketplace());
        }
        return onlyMarketplaceWith(name(text));
    }

    /**
     * A bare name: the one configured marketplace that lists it, else the default registry, else not found. The
     * marketplaces are read one at a time (each let go before the next), noting the names near it for a not-found.
     */
    private PluginId onlyMarketplaceWith(String name) {
        List<String> having = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        List<Near> near = new ArrayList<>();
        marketplaces.forEach(c -> {
            searched.add(c.name());
            if (c.manifest().flatMap(m -> m.plugin(name)).isPresent()) {
                having.add(c.name());
            }
            nearIn(name, c, near);
        });
        List<String> in = having.stream().distinct().sorted().toList();
        if (in.size() == 1) {
            return new PluginId(name, in.get(0));
        }
        if (in.size() > 1) {
            throw inSeveral(name, in, "install");
        }
        Looked looked = new Looked(searched, nearest(near));
        Optional<URI> fallback = defaultRegistry.get();
        if (fallback.isPresent()) {
            return fromRegistry(fallback.get(), name, Optional.empty(), looked);
        }
        throw notFound(name, looked, Optional.empty());
    }

    /** Where a bare name was looked for: the marketplaces' names, and the listed names nearest it, closest first. */
    private record Looked(List<String> marketplaces, List<String> near) {
        static final Looked NOWHERE = new Looked(List.of(), List.of());
    }

    /** A bare name several marketplaces have: the candidates, one {@code NAME@MARKETPLACE} a line, to copy one. */
    public static UserError inSeveral(String name, List<String> marketplaces, String command) {
        return new UserError(UserError.Kind.USAGE, "plugin `" + name + "` is in " + marketplaces.size() + " marketplaces; say which:\n"
                + marketplaces.stream().map(m -> "  " + name + "@" + m).collect(Collectors.joining("\n")),
                "e.g. cxpm " + command + " " + name + "@" + marketplaces.get(0));
    }

    /**
     * Adds the registry as {@code cxpm marketplace add URL} does (unchanged when already added) and names the
     * plugin in it. Nothing is added unless a cxpm registry answers there and has the plugin.
     */
    private PluginId fromRegistry(URI url, String plugin, Optional<String> expectedMarketplace, Looked searched) {
        String name = name(plugin);
        expectedMarketplace.flatMap(MarketplaceName::problem).ifPresent(p -> {
            throw new UserError(UserError.Kind.USAGE, p, "e.g. cxpm install " + name + " --registry " + url);
        });
        MarketplaceSource source = MarketplaceSource.recognise(new MarketplaceSource.Git(url.toString(), Optional.empty()));
        if (!(source instanceof MarketplaceSource.Registry registry)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no cxpm registry answers at " + url,
                    "check the address (a registry's plugin page shows the command to copy); a git marketplace is added with cxpm marketplace add URL");
        }
        try {
            new RegistryClient(registry.url(), null).index(name, Optional.empty());
        } catch (UserError e) {
            throw e.kind() == UserError.Kind.NOT_FOUND ? notFound(name, searched, Optional.of(registry.url())) : e;
        }
        Marketplaces.Added added = marketplaces.add(source, expectedMarketplace);
        return new PluginId(name, added.name());
    }

    private static String name(String text) {
        Optional<String> problem = PluginName.problem(text);
        if (problem.isPresent()) {
            throw new UserError(UserError.Kind.USAGE, problem.get(), "e.g. cxpm install demo, or cxpm install demo@my-marketplace");
        }
        return text;
    }

    /** Says where cxpm looked, and the nearest names it saw there (as git and cargo suggest commands). */
    private static UserError notFound(String name, Looked searched, Optional<URI> registry) {
        List<String> where = searched.marketplaces().stream().map(c -> "marketplace `" + c + "`").distinct().sorted()
                .collect(Collectors.toCollection(ArrayList::new));
        registry.ifPresent(u -> where.add("the registry at " + u));
        String message = where.isEmpty()
                ? "plugin `" + name + "` was not found: no marketplace is configured, and no default registry is set"
                : "plugin `" + name + "` was not found; searched " + String.join(", ", where);
        List<String> near = searched.near();
        String hint = (near.isEmpty() ? "" : "did you mean " + String.join(", ", near) + "? ")
                + (registry.isPresent() || !where.isEmpty() ? "cxpm search " + name + " lists matching plugins; " : "")
                + "to install from a registry: cxpm install " + name + " --registry URL (a registry's page shows the command)";
        return new UserError(UserError.Kind.NOT_FOUND, message, hint);
    }

    private static final int MAX_SUGGESTIONS = 3;

    private record Near(String id, int distance) {
    }

    /** Adds c's listed plugins within a third of the name's length in edit distance ({@link EditDistance}, as did-you-mean and search) (at least 1, at most 3 edits). */
    private static void nearIn(String name, Marketplaces.Configured c, List<Near> near) {
        int limit = Math.max(1, Math.min(3, name.length() / 3));
        String typed = name.toLowerCase(java.util.Locale.ROOT);
        if (c.manifest().isEmpty()) {
            return;
        }
        c.manifest().get().forEachPlugin(e -> {
            String listed = e.name().toLowerCase(java.util.Locale.ROOT);
            // names whose lengths differ by more than the limit are skipped before any table is built, so a
            // huge typed name costs nothing per listed plugin
            int d = Math.abs(typed.length() - listed.length()) > limit ? limit + 1 : EditDistance.between(typed, listed);
            if (d <= limit && PluginName.problem(e.name()).isEmpty()) {
                near.add(new Near(e.name() + "@" + c.name(), d));
                if (near.size() >= HELD_NEAR) {
                    List<Near> best = nearestOf(near);
                    near.clear();
                    near.addAll(best);
                }
            }
        });
    }

    /** Near names held before they are cut back to the nearest few: 100,000 names a typo away hold a few, not 100,000. */
    private static final int HELD_NEAR = 64;

    /** The nearest few, closest first. */
    private static List<String> nearest(List<Near> near) {
        return nearestOf(near).stream().map(Near::id).toList();
    }

    private static List<Near> nearestOf(List<Near> near) {
        return near.stream().sorted(Comparator.comparingInt(Near::distance).thenComparing(Near::id)).distinct()
                .limit(MAX_SUGGESTIONS).toList();
    }

    private static String shown(String text) {
        String s = text.codePoints().limit(120).filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() < text.length() ? s + "..." : s;
    }

    /** Compiled on first use (only for a registry page's address), not when the class loads: a few ms of a cold command. */
    private static final class Patterns {
        /** A registry page's address: {@code BASE/plugins/NAME}, BASE being the registry (possibly under a path). */
        static final Pattern PAGE = Pattern.compile("(https?://[^?#]+?)/plugins/([^/?#]+)/?");
    }
}
