package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.marketplace.MarketplaceSource;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.marketplace.ScpLike;
import dev.cxpm.core.project.MarketplaceDecl;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.store.RemoteSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The marketplaces a project sees: cxpm.toml's (cloned on first use), then the Codex home's. */
public final class ProjectMarketplaces {

    private final Path projectDir;
    private final CodexHome home;
    private final Marketplaces marketplaces;
    private final dev.cxpm.core.marketplace.GitCli git;
    private final RemoteSources remoteSources;

    ProjectMarketplaces(Path projectDir, CodexHome home, Marketplaces marketplaces, dev.cxpm.core.marketplace.GitCli git,
            RemoteSources remoteSources) {
        this.projectDir = projectDir;
        this.home = home;
        this.marketplaces = marketplaces;
        this.git = git;
        this.remoteSources = remoteSources;
    }

    /**
     * The manifests of cxpm.toml's local marketplaces, read ahead by {@link #readAhead} (by root) for {@link #index},
     * which takes each once. Only what read without a problem: a marketplace that failed is read again by index, which
     * tells the problem where it did before.
     */
    private final Map<Path, Marketplace> readAhead = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Reads the manifests of cxpm.toml's local marketplaces for {@link #index}, on a worker while the caller reads the rest
     * (the lockfile, the policy): the index is read by every sync with a lock, and a marketplace of 1,000 plugins read
     * there was a serial stretch of a cold one (~12 ms of interpreted CPU). Reads files only: a git marketplace (which
     * index may clone) is left to index.
     */
    void readAhead(ProjectManifest project) {
        readAhead.clear();
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            if (isGit(decl.source())) {
                continue;
            }
            Path root = rootOf(decl);
            try {
                readAhead.put(root, Marketplace.load(root));
            } catch (RuntimeException e) {
                // index reads it again and says what is wrong, as before
            }
        }
    }

    /** The releases this project can see (cxpm.toml's marketplaces, then the Codex home's). */
    ProjectIndex index(ProjectManifest project) {
        List<ProjectIndex.Source> sources = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            Path root = rootOf(decl);
            Marketplace read = isGit(decl.source()) ? null : readAhead.remove(root);
            Marketplace m = read != null ? read : Marketplace.load(root);
            if (!m.name().equals(decl.name())) {
                throw new UserError(UserError.Kind.INVALID_INPUT,
                        project.file() + ":" + decl.line() + ": marketplace `" + decl.name() + "` is called `" + m.name()
                                + "` in its own manifest (" + m.manifestFile() + ")",
                        "rename the key in cxpm.toml to `" + m.name() + "`: Codex knows a marketplace by its manifest name");
            }
            Optional<java.net.URI> registry = isGit(decl.source())
                    ? Optional.ofNullable(home.config().marketplaces().get(decl.name())).flatMap(e -> marketplaces.registryOf(decl.name(), e))
                    : Optional.empty();
            sources.add(source(decl.name(), MarketplaceLookup.whole(m), isGit(decl.source()) && registry.isEmpty() ? Optional.of(gitUrl(decl)) : Optional.empty(), registry));
            seen.add(decl.name());
        }
        List<String> named = project.plugins().values().stream().map(p -> p.name()).toList();
        for (var e : home.config().marketplaces().entrySet()) {
            if (seen.contains(e.getKey())) {
                continue;
            }
            try {
                Path root = marketplaces.rootOf(e.getKey(), e.getValue());
                Optional<java.net.URI> registry = marketplaces.registryOf(e.getKey(), e.getValue());
                // read when a plugin is looked up in it, keeping the entries of the names asked (the project's first)
                sources.add(source(e.getKey(), MarketplaceLookup.asked(root, named),
                        e.getValue().isGit() && registry.isEmpty() ? Optional.of(e.getValue().source()) : Optional.empty(), registry));
            } catch (UserError ignored) {
                // a broken marketplace of the user's is not this project's concern unless it needs it
            }
        }
        Map<String, String> pins = new HashMap<>();
        project.plugins().values().forEach(p -> p.marketplace().ifPresent(m -> pins.put(p.name(), m)));
        return new ProjectIndex(sources, pins, remoteSources, marketplaces.registries());
    }

    public CodexConfig ensureMarketplaces(ProjectManifest project, CodexConfig config, java.util.function.Supplier<ProjectIndex> index) {
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            if (config.marketplaces().containsKey(decl.name())) {
                continue;
            }
            if (isGit(decl.source())) {
                continue; // a clone only exists once `cxpm marketplace add` made it; index() said so already
            }
            config = config.withMarketplace(decl.name(), CodexConfig.MarketplaceEntry.local(rootOf(decl).toString()));
        }
        return config;
    }

    /** Where a marketplace the project uses comes from: cxpm.toml's declaration, else the Codex home's entry. */
    Optional<CodexConfig.MarketplaceEntry> entryOf(ProjectManifest project, String name) {
        MarketplaceDecl decl = project.marketplaces().get(name);
        if (decl != null) {
            return Optional.of(isGit(decl.source()) ? CodexConfig.MarketplaceEntry.git(gitUrl(decl), decl.ref())
                    : CodexConfig.MarketplaceEntry.local(projectDir.resolve(decl.source()).normalize().toString()));
        }
        return Optional.ofNullable(home.config().marketplaces().get(name));
    }

    Optional<java.net.URI> registryOf(String name, CodexConfig.MarketplaceEntry entry) {
        CodexConfig.MarketplaceEntry configured = home.config().marketplaces().get(name);
        return configured == null ? Optional.empty() : marketplaces.registryOf(name, configured);
    }

    /** A git source as `codex plugin marketplace add` reads one: URL, ssh, git@host: or owner/repo shorthand. */
    public static boolean isGit(String source) {
        String s = source.strip();
        // each expression only where it could match (git@host: needs an @, owner/repo a /): a local directory, every
        // sync's case, compiles none (a regular expression compiles interpreted on a fresh JVM)
        return s.startsWith("https://") || s.startsWith("http://") || s.startsWith("ssh://")
                || s.indexOf('@') > 0 && ScpLike.isUrl(s)
                || !s.startsWith(".") && !s.startsWith("/") && s.indexOf('/') > 0 && MarketplaceSource.SHORTHAND.matcher(s).matches();
    }

    private String gitUrl(MarketplaceDecl decl) {
        return ((MarketplaceSource.Git) MarketplaceSource.parse(decl.source(), projectDir, decl.ref())).url();
    }

    private Path rootOf(MarketplaceDecl decl) {
        if (isGit(decl.source())) {
            Path clone = home.marketplaceClone(MarketplaceName.of(decl.name()));
            if (!Files.isDirectory(clone)) {
                // Cloned exactly as `codex plugin marketplace add` would, so Codex lists it too.
                marketplaces.add(MarketplaceSource.parse(decl.source(), projectDir, decl.ref()), Optional.of(decl.name()));
            }
            return clone;
        }
        return projectDir.resolve(decl.source()).normalize();
    }

    private ProjectIndex.Source source(String name, MarketplaceLookup m, Optional<String> gitUrl, Optional<java.net.URI> registry) {
        Optional<String> commit = gitUrl.isPresent() ? headCommit(m.root()) : Optional.empty();
        return new ProjectIndex.Source(name, m, gitUrl, commit, registry);
    }

    private Optional<String> headCommit(Path repo) {
        try {
            String out = git.run(repo, "rev-parse", "HEAD");
            return out.matches("[0-9a-f]{40}([0-9a-f]{24})?") ? Optional.of(out) : Optional.empty();
        } catch (UserError e) {
            return Optional.empty();
        }
    }
}
