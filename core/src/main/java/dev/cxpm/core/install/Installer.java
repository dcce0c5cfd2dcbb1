package dev.cxpm.core.install;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.format.marketplace.AuthPolicy;
import dev.cxpm.core.format.marketplace.InstallPolicy;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.marketplace.GitCli;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.marketplace.RegistryMarketplaces;
import dev.cxpm.core.registry.RegistryIndex;
import java.net.URI;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.HeldBack;
import dev.cxpm.core.resolve.MinReleaseAge;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.ReleaseAge;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.core.validate.PluginValidator;
import dev.cxpm.core.validate.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Installs plugins into a Codex home exactly as {@code codex plugin add} does: the whole plugin
 * directory lands in {@code plugins/cache/<marketplace>/<plugin>/<version|local>/} and config.toml gets
 * {@code [plugins."<plugin>@<marketplace>"] enabled = true}.
 *
 * <p>Crash safety: the copy is staged under {@code plugins/.cxpm-staging/} (same filesystem), verified
 * against the source's digest, then renamed into place beside any previous version; Codex shows the
 * highest version directory, so a reader sees the old or the new plugin, never a half-copied one. The
 * config is replaced atomically afterwards, and only then are older version directories removed.
 * Uninstall removes the config entry first, then the files. All of it under the Codex home lock.
 */
public final class Installer {
    /** Codex's directory name for a plugin whose manifest has no version. */
    public static final String LOCAL_VERSION = "local";
    private static final Set<String> NOT_COPIED_FROM_GIT = Set.of(".git");

    private final CodexHome home;
    private final Marketplaces marketplaces;
    private final GitCli git;
    private final Map<String, String> vars;
    private final Duration lockTimeout;
    private final Path cwd;
    private final SourceCache sources;
    private final dev.cxpm.core.sync.store.Store store;
    private final PluginCache cache;
    private final Progress progress;
    private final PluginGate gate;
    private dev.cxpm.core.approve.Consent consent = dev.cxpm.core.approve.Consent.NOBODY;

    public Installer(CodexHome home, Marketplaces marketplaces, GitCli git, Map<String, String> vars, Duration lockTimeout) {
        this(home, marketplaces, git, vars, lockTimeout, Path.of("").toAbsolutePath());
    }

    /** cwd: where a project's {@code .npmrc} is looked for. */
    public Installer(CodexHome home, Marketplaces marketplaces, GitCli git, Map<String, String> vars, Duration lockTimeout, Path cwd) {
        this(home, marketplaces, git, vars, lockTimeout, cwd, Progress.NONE);
    }

    /** progress: where downloads from a registry report their bytes (git's clones report through {@code git}). */
    public Installer(CodexHome home, Marketplaces marketplaces, GitCli git, Map<String, String> vars, Duration lockTimeout, Path cwd,
            Progress progress) {
        this(home, marketplaces, git, vars, lockTimeout, cwd, progress, PluginGate.NONE);
    }

    /** gate: the policy in force, asked before anything is fetched (names, sources) and again on the fetched files. */
    public Installer(CodexHome home, Marketplaces marketplaces, GitCli git, Map<String, String> vars, Duration lockTimeout, Path cwd,
            Progress progress, PluginGate gate) {
        this.gate = gate;
        this.progress = progress;
        this.cwd = cwd;
        this.store = dev.cxpm.core.sync.store.Store.resolve(vars, cwd);
        this.sources = new SourceCache(store);
        this.home = home;
        this.cache = new PluginCache(home);
        this.marketplaces = marketplaces;
        this.git = git;
        this.vars = vars;
        this.lockTimeout = lockTimeout;
    }

    /** Who approves a plugin whose run surface this user has not approved (default: nobody, and install stops). */
    public Installer approving(dev.cxpm.core.approve.Consent consent) {
        this.consent = consent;
        return this;
    }

    public record Installed(PluginId id, String version, Path installedPath, AuthPolicy authPolicy, boolean unchanged,
            Integrity integrity, MissingPrerequisites missingPrerequisites, String origin, List<PluginTree.Dropped> notInstalled,
            boolean replacedLink) {
    }

    /** An installed plugin: a config entry plus its files in the plugin cache. */
    public record InstalledPlugin(PluginId id, String version, boolean enabled, Path path, boolean marketplaceConfigured) {
    }

    /** What enable or disable left: the plugin, and what it lacks when enabled under --ignore-prerequisites. */
    public record Toggled(InstalledPlugin plugin, MissingPrerequisites missingPrerequisites) {
    }

    public Installed install(PluginId id, Optional<VersionRange> range, boolean ignorePrerequisites) {
        return install(id, range, ReleaseAge.none(java.time.Clock.systemUTC()), ignorePrerequisites);
    }

    /**
     * age: registry versions published more recently are not picked, unless it is the version installed now
     * (as a locked version stays in a project); marketplaces have no publish time, so it does not apply to them.
     */
    public Installed install(PluginId id, Optional<VersionRange> range, ReleaseAge age, boolean ignorePrerequisites) {
        try (HomeLock lock = HomeLock.acquire(home, lockTimeout)) {
            Marketplaces.Configured mk = marketplaces.find(id.marketplace()).orElseThrow(() -> unreadableOrNotFound(marketplaces, id));
            // names and sources first, so that a refused plugin is not even downloaded
            gate.check(List.of(new PluginGate.Candidate(id.plugin(), id.marketplace(), Optional.of(mk.entry()), mk.registry(),
                    Optional.empty(), Optional.empty())));
            if (mk.registry().isPresent()) {
                return installFromRegistry(id, mk, range, age, ignorePrerequisites);
            }
            Marketplace m = mk.manifest().orElseThrow();
            MarketplaceEntry entry = m.plugin(id.plugin()).orElseThrow(() -> notFound(id));
            if (entry.installPolicy() == InstallPolicy.NOT_AVAILABLE) {
                throw new UserError(UserError.Kind.CONFLICT, "plugin `" + id.plugin() + "` is not available for install in marketplace `"
                        + id.marketplace() + "`", "the marketplace marks it policy.installation NOT_AVAILABLE");
            }
            cache.recover();
            Path work = cache.newWork();
            try {
                SourceCache.Fetched fetched = entry.source() instanceof PluginSource.Local
                        ? new SourceCache.Fetched(fetch(entry.source(), m, work), SourceCache.Origin.SOURCE)
                        : sources.get(entry.source(), work, () -> fetch(entry.source(), m, work));
                Set<String> excluded = entry.source() instanceof PluginSource.Local ? Set.of() : NOT_COPIED_FROM_GIT;
                Path boundary = entry.source() instanceof PluginSource.Local ? m.root() : work;
                return place(id, mk, fetched, boundary, excluded, range, entry.authPolicy(), ignorePrerequisites, work);
            } finally {
                cache.discard(work);
            }
        }
    }

    /**
     * Installs one release of a plugin from a cxpm registry marketplace: picked from ALL its published
     * versions by the index document (yanked ones skipped), the blob taken from the store or downloaded
     * and checked against its sha512 integrity, unpacked with the archive safety rules, then placed
     * exactly as any other install.
     */
    private Installed installFromRegistry(PluginId id, Marketplaces.Configured mk, Optional<VersionRange> range, ReleaseAge age,
            boolean ignorePrerequisites) {
        URI url = mk.registry().orElseThrow();
        RegistryMarketplaces.Indexed indexed = marketplaces.registries().index(mk.name(), url, id.plugin());
        Optional<String> installed = PluginCache.shownVersion(id.dirIn(home));
        java.util.function.Function<RegistryIndex.Release, Optional<java.time.Instant>> heldUntil = r ->
                installed.equals(Optional.of(r.version().text())) ? Optional.empty() : age.heldUntil(Optional.of(r.publishedAt()));
        Optional<RegistryIndex.Release> picked = indexed.index().pick(range, r -> heldUntil.apply(r).isEmpty());
        if (picked.isEmpty()) {
            List<HeldBack> tooYoung = indexed.index().releases().stream()
                    .filter(r -> !r.yanked() && r.version().isSemver() && range.map(x -> x.includes(r.version())).orElse(true))
                    .flatMap(r -> heldUntil.apply(r).map(until -> new HeldBack(new PluginRelease(id.plugin(), r.version(), Map.of(),
                            id.marketplace()), until, age.setting().orElseThrow())).stream())
                    .sorted(java.util.Comparator.comparing(HeldBack::eligibleAt)).toList();
            if (!tooYoung.isEmpty()) {
                MinReleaseAge rule = tooYoung.get(0).rule();
                throw new UserError(UserError.Kind.NOT_FOUND, "the versions of " + id + (range.isPresent() ? " matching " + range.get().text() : "")
                        + " are too young for " + rule + ": " + tooYoung.stream().map(HeldBack::describe).collect(java.util.stream.Collectors.joining(", ")),
                        "wait until " + ReleaseAge.shown(tooYoung.get(0).eligibleAt()) + ", pick an older version with --version, or lower "
                                + "min-release-age at " + rule.setBy() + " if you trust this release");
            }
        }
        RegistryIndex.Release release = picked.orElseThrow(() -> new UserError(UserError.Kind.NOT_FOUND,
                "no version of " + id + " matches " + range.map(VersionRange::text).orElse("any version") + " (the registry offers "
                        + (indexed.index().available().isEmpty() ? "no version that is not yanked" : String.join(", ", indexed.index().available())) + ")",
                "drop --version, or pick a range that includes one of them"));
        return installRelease(id, mk, release, indexed.offline(), ignorePrerequisites);
    }

    private Installed installRelease(PluginId id, Marketplaces.Configured mk, RegistryIndex.Release release, boolean offline,
            boolean ignorePrerequisites) {
        AuthPolicy auth = mk.manifest().flatMap(m -> m.plugin(id.plugin())).map(MarketplaceEntry::authPolicy).orElse(AuthPolicy.ON_INSTALL);
        cache.recover();
        Path work = cache.newWork();
        try {
            SourceCache.Fetched fetched = new RegistryBlobs(store, progress).fetch(mk.registry().orElseThrow(), id, release, work, offline);
            // the manifest inside the blob must carry the version the index promised
            return place(id, mk, fetched, work, Set.of(), Optional.of(VersionRange.exactly(release.version())), auth, ignorePrerequisites, work);
        } finally {
            cache.discard(work);
        }
    }

    /**
     * Checks a fetched plugin directory as Codex does, then stages, verifies and moves it into the plugin cache and enables it.
     * boundary: where the plugin directory must really be (its marketplace, the work directory a checkout went to).
     */
    private Installed place(PluginId id, Marketplaces.Configured mk, SourceCache.Fetched fetched, Path boundary, Set<String> excluded, Optional<VersionRange> range,
            AuthPolicy authPolicy,
            boolean ignorePrerequisites, Path work) {
        Path source = fetched.dir();
        Plugin plugin = codexAccepts(source, id);
        String version = plugin.version().orElse(LOCAL_VERSION);
        if (range.isPresent() && !matches(range.get(), version)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no version of " + id + " matches " + range.get().text()
                    + " (the marketplace offers " + (plugin.version().isPresent() ? version : "an unversioned plugin") + ")",
                    "drop --version, or pick a range that includes " + version);
        }
        // the policy again, now on what would run: the fetched plugin's MCP servers and hooks, and its version
        gate.check(List.of(new PluginGate.Candidate(id.plugin(), id.marketplace(), Optional.of(mk.entry()), mk.registry(),
                Optional.of(version), Optional.of(plugin))));
        MissingPrerequisites missing = MissingPrerequisites.check(id.toString(), plugin, vars, cwd).enforce(ignorePrerequisites);
        PluginTree.Listing listing = CommandSkills.codexCopy(PluginTree.list(source, boundary, excluded)); // what Codex's copy holds
        Integrity digest = TreeDigest.of(listing.installed());
        // the skills Codex makes of the plugin's commands when it installs it, made here too (CommandSkills)
        Map<String, String> commandSkills = CommandSkills.of(listing.installed());
        Path pluginDir = id.dirIn(home);
        Path target = home.versionDir(id.marketplaceName(), id.pluginName(), VersionDir.of(version));
        // a version directory that is a link shows Codex no plugin: replaced by a directory, nothing read through it
        boolean link = Files.isSymbolicLink(target);
        boolean unchanged = !link && Files.isDirectory(target) && installedAs(target, digest, commandSkills);
        Path staged = work.resolve("tree");
        if (!unchanged) {
            PluginTree.copy(listing, staged);
            Integrity stagedDigest = TreeDigest.of(staged, Set.of());
            if (!stagedDigest.equals(digest)) {
                throw new UserError(UserError.Kind.INTEGRITY, "the copy of " + id + " does not match its source (" + stagedDigest
                        + " vs " + digest + ")", "the source changed while installing, or the disk is failing; retry");
            }
            CommandSkills.write(staged, commandSkills);
        }
        // what runs is read from the very tree Codex will read, before anything of the home changes
        dev.cxpm.core.approve.ApprovalGate.checkUserInstall(home, id.toString(),
                dev.cxpm.core.approve.RunSurface.of(codexAccepts(unchanged ? target : staged, id)), consent);
        if (!unchanged) {
            cache.put(staged, target, work);
        }
        CodexConfig cfg = home.config();
        if (!Boolean.TRUE.equals(cfg.plugins().get(id.toString()))) {
            cfg.withPlugin(id.toString(), true).write();
        }
        cache.removeOtherVersions(pluginDir, version, work);
        return new Installed(id, version, target, authPolicy, unchanged, digest, missing,
                fetched.origin().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), listing.dropped(), link);
    }

    /**
     * Whether target holds the plugin of digest, with the command skills Codex adds to it or with none: sync places a
     * plugin without them (and records its integrity so), and an install over it must not make that drift.
     */
    private static boolean installedAs(Path target, Integrity digest, Map<String, String> commandSkills) {
        PluginTree.Listing there = PluginTree.list(target, target, Set.of());
        return TreeDigest.of(CommandSkills.withoutGenerated(there)).equals(digest)
                && (CommandSkills.holds(there, commandSkills) || CommandSkills.holds(there, Map.of()));
    }

    /** Removes the config entry, then the files; true when there was something to remove. */
    public boolean uninstall(PluginId id) {
        try (HomeLock lock = HomeLock.acquire(home, lockTimeout)) {
            cache.recover();
            CodexConfig cfg = home.config();
            boolean configured = cfg.plugins().containsKey(id.toString());
            if (configured) {
                cfg.withoutPlugin(id.toString()).write();
            }
            boolean files = cache.remove(id.dirIn(home));
            return configured || files;
        }
    }

    /** Sets {@code enabled}; enabling applies the prerequisite rule ({@link MissingPrerequisites}) first. */
    public Toggled setEnabled(PluginId id, boolean enabled, boolean ignorePrerequisites) {
        try (HomeLock lock = HomeLock.acquire(home, lockTimeout)) {
            InstalledPlugin p = list().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow(() -> new UserError(
                    UserError.Kind.NOT_FOUND, "plugin " + id + " is not installed", "install it first: cxpm install " + id));
            if (enabled) {
                CodexConfig cfg = home.config();
                Optional<CodexConfig.MarketplaceEntry> entry = Optional.ofNullable(cfg.marketplaces().get(id.marketplace()));
                gate.check(List.of(new PluginGate.Candidate(id.plugin(), id.marketplace(), entry,
                        entry.flatMap(e -> marketplaces.registryOf(id.marketplace(), e)), Optional.of(p.version()),
                        Optional.of(Plugin.load(p.path())))));
            }
            MissingPrerequisites missing = enabled
                    ? MissingPrerequisites.check(id.toString(), Plugin.load(p.path()), vars, cwd).enforce(ignorePrerequisites)
                    : MissingPrerequisites.none();
            home.config().withPlugin(id.toString(), enabled).write();
            return new Toggled(new InstalledPlugin(id, p.version(), enabled, p.path(), p.marketplaceConfigured()), missing);
        }
    }

    /** Installed plugins (config entry and files present), sorted by id. */
    public List<InstalledPlugin> list() {
        CodexConfig cfg = home.config();
        Set<String> configuredMarketplaces = cfg.marketplaces().keySet();
        List<InstalledPlugin> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : cfg.plugins().entrySet()) {
            PluginId id;
            try {
                id = PluginId.parse(e.getKey(), Optional.empty());
            } catch (UserError bad) {
                continue;
            }
            Optional<String> version = PluginCache.shownVersion(id.dirIn(home));
            if (version.isPresent()) {
                out.add(new InstalledPlugin(id, version.get(), e.getValue(),
                        home.versionDir(id.marketplaceName(), id.pluginName(), VersionDir.of(version.get())),
                        configuredMarketplaces.contains(id.marketplace())));
            }
        }
        return out;
    }

    /**
     * The plugin at dir, when the real Codex CLI would install it as id; otherwise every problem Codex refuses
     * it for, found by the same rules as {@code cxpm validate} (SPEC.md §4).
     */
    private static Plugin codexAccepts(Path dir, PluginId id) {
        List<Problem> refused = PluginValidator.installRejections(dir, id.plugin());
        if (!refused.isEmpty()) {
            StringBuilder all = new StringBuilder(refused.getFirst().message());
            refused.stream().skip(1).forEach(p -> all.append('\n').append(p.message()));
            throw new UserError(UserError.Kind.INVALID_INPUT, all.toString(), refused.getFirst().hint());
        }
        return Plugin.load(dir);
    }

    /** Versions that are not SemVer (or absent: Codex's {@code local}) never satisfy a range, so a range skips them. */
    private static boolean matches(VersionRange range, String version) {
        PluginVersion v = PluginVersion.of(version);
        return v.isSemver() && range.includes(v);
    }

    /** The plugin directory for an entry: in the marketplace for local sources, a fresh checkout for git ones. */
    private Path fetch(PluginSource source, Marketplace m, Path work) {
        if (source instanceof PluginSource.Local local) { // before the pattern switch, whose bootstrap costs a cold install ms
            return localDir(m, local);
        }
        return switch (source) {
            case PluginSource.Local local -> localDir(m, local);
            case PluginSource.Git g -> {
                Path checkout = work.resolve("checkout");
                git.clone(g.url(), checkout);
                if (g.ref().isPresent()) {
                    git.checkout(checkout, g.ref().get());
                }
                yield checkout;
            }
            case PluginSource.GitSubdir g -> {
                Path checkout = work.resolve("checkout");
                git.clone(g.url(), checkout, "--filter=blob:none", "--sparse", "--no-checkout");
                git.run(checkout, "sparse-checkout", "set", "--no-cone", "/" + g.path().replaceAll("^\\./", "").replaceAll("/$", "") + "/");
                git.checkoutFetching(g.url(), checkout, g.ref().orElse("HEAD"));
                Path dir = checkout.resolve(g.path()).normalize();
                if (!dir.startsWith(checkout) || !Files.isDirectory(dir) || !PluginTree.inside(dir, checkout)) {
                    throw new UserError(UserError.Kind.INVALID_INPUT, "missing plugin.json", g.path() + " is not a directory of " + g.url());
                }
                yield dir;
            }
            case PluginSource.Npm npm -> new NpmFetcher(vars, cwd, progress).fetch(npm, work).dir();
        };
    }

    private static Path localDir(Marketplace m, PluginSource.Local local) {
        Path dir = m.localPluginDir(local);
        if (!Files.isDirectory(dir)) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "missing plugin.json",
                    "the marketplace entry points to " + dir + ", which does not exist");
        }
        return dir;
    }

    /** Codex says "not found" here too; we also say when the cause is a marketplace file that no longer parses. */
    private static UserError unreadableOrNotFound(Marketplaces marketplaces, PluginId id) {
        List<String> problems = new java.util.ArrayList<>();
        marketplaces.forEach(c -> {
            if (c.name().equals(id.marketplace()) && c.problem().isPresent()) {
                problems.add(c.problem().get());
            }
        });
        return problems.stream().findFirst()
                .map(problem -> new UserError(UserError.Kind.INVALID_INPUT, "plugin `" + id.plugin() + "` was not found in marketplace `"
                        + id.marketplace() + "`: its marketplace file cannot be read: " + problem,
                        "fix the marketplace file, or run cxpm marketplace update " + id.marketplace() + " for a git marketplace"))
                .orElseGet(() -> notFound(id));
    }

    private static UserError notFound(PluginId id) {
        return new UserError(UserError.Kind.NOT_FOUND, "plugin `" + id.plugin() + "` was not found in marketplace `" + id.marketplace() + "`",
                "cxpm search " + id.plugin() + " lists matching plugins; cxpm marketplace list the marketplaces");
    }
}
