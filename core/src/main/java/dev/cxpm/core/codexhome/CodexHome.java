package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Codex home directory and where things live in it, as the real Codex CLI lays it out:
 * {@code config.toml}, git marketplace clones under {@code .tmp/marketplaces/<name>/} and installed
 * plugins under {@code plugins/cache/<marketplace>/<plugin>/<version>/}.
 *
 * <p>The one place a name becomes a path: names come in only as {@link MarketplaceName}, {@link PluginName} and
 * {@link VersionDir}, which cannot hold path syntax, and every path built from them, or handed back to be
 * written or deleted ({@link #pluginPath}), is checked to stay inside its root ({@link #inside}).
 */
public final class CodexHome {

    private final Path dir;
    /**
     * dir absolute and normalized, and the plugin cache as {@link #pluginCache} names it and absolute and normalized: made
     * once, not for each path {@link #inside} and {@link #pluginPath} check (three a plugin of a sync, each made anew).
     */
    private final Path normalDir;
    private final Path pluginCache;
    private final Path normalPluginCache;
    /** Whether the plugin cache is inside this home, as it is by its making: told once, not for every path below it. */
    private final boolean cacheInHome;
    /**
     * Directories {@link #inside} found to be real directories (not links), when this home proves each once
     * ({@link #provingEachDirOnce}); null: every check looks again.
     */
    private final Set<Path> provenDirs;
    /**
     * Directories {@link #inside} found missing, when this home only reads ({@link #readingOnce}): nothing under one is
     * looked at either; null: a missing directory is looked at again next time.
     */
    private final Set<Path> missingDirs;

    public CodexHome(Path dir) {
        this(dir, null, null);
    }

    private CodexHome(Path dir, Set<Path> provenDirs, Set<Path> missingDirs) {
        this.dir = Objects.requireNonNull(dir);
        this.normalDir = dir.toAbsolutePath().normalize();
        this.pluginCache = dir.resolve("plugins").resolve("cache");
        this.normalPluginCache = pluginCache.toAbsolutePath().normalize();
        this.cacheInHome = normalPluginCache.startsWith(normalDir);
        this.provenDirs = provenDirs;
        this.missingDirs = missingDirs;
    }

    public Path dir() {
        return dir;
    }

    /**
     * This home, but each directory {@link #inside} finds to be a real directory is not looked at again through the
     * returned home: for one pass under the home lock (a sync's placement), which checks the same few directories
     * for every plugin. A path that is missing when checked is checked again next time (it may be made a link meanwhile).
     */
    public CodexHome provingEachDirOnce() {
        return new CodexHome(dir, ConcurrentHashMap.newKeySet(), null);
    }

    /**
     * This home for one pass that writes nothing in it (a sync's look at what is installed, before the home lock): as
     * {@link #provingEachDirOnce}, and a directory found missing is remembered too, so the paths of a marketplace with no
     * directory yet cost one look for all its plugins, not one per plugin. Not for a pass that makes directories.
     */
    public CodexHome readingOnce() {
        return new CodexHome(dir, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodexHome h && h.dir.equals(dir);
    }

    @Override
    public int hashCode() {
        return dir.hashCode();
    }

    @Override
    public String toString() {
        return "CodexHome[dir=" + dir + "]";
    }

    /** {@code $CODEX_HOME}, else {@code $HOME/.codex} (what Codex uses). */
    public static CodexHome resolve(Map<String, String> env, Path cwd) {
        String codexHome = env.get("CODEX_HOME");
        if (codexHome != null && !codexHome.isBlank()) {
            return new CodexHome(cwd.resolve(codexHome).toAbsolutePath().normalize());
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            throw new UserError(UserError.Kind.USAGE, "neither CODEX_HOME nor HOME is set",
                    "set CODEX_HOME to your Codex home (usually ~/.codex)");
        }
        return new CodexHome(Path.of(home).resolve(".codex").toAbsolutePath().normalize());
    }

    public Path configFile() {
        return dir.resolve("config.toml");
    }

    public CodexConfig config() {
        return CodexConfig.read(configFile());
    }

    /** Where Codex clones a git marketplace. */
    public Path marketplaceClone(MarketplaceName name) {
        return inside(marketplaceClones(), marketplaceClones().resolve(name.text()));
    }

    private Path marketplaceClones() {
        return dir.resolve(".tmp").resolve("marketplaces");
    }

    /** cxpm's record of a registry marketplace and its cached index documents. */
    public Path registryDir(MarketplaceName name) {
        Path registries = dir.resolve(".cxpm").resolve("registries");
        return inside(registries, registries.resolve(name.text()));
    }

    /** Where Codex stages a clone before moving it into place. */
    public Path marketplaceStaging() {
        return dir.resolve(".tmp").resolve("marketplaces").resolve(".staging");
    }

    public Path pluginCache() {
        return pluginCache;
    }

    /** {@code plugins/cache/<marketplace>/<plugin>}: every installed version of one plugin. */
    public Path pluginDir(MarketplaceName marketplace, PluginName plugin) {
        return inside(pluginCache(), pluginCache().resolve(marketplace.text()).resolve(plugin.text()));
    }

    /** {@code plugins/cache/<marketplace>/<plugin>/<version>}: one installed version. */
    public Path versionDir(MarketplaceName marketplace, PluginName plugin, VersionDir version) {
        // three names below the cache, not a path to take apart again (a sync builds one per plugin: making it absolute,
        // normalizing it and taking it apart was ~12 ms of a cold sync of 1,000's main thread); a link is told naming the
        // path one name below it, as pluginDir's check did for a link in place of the marketplace's directory
        return below(normalPluginCache, null, true, marketplace.text(), plugin.text(), version.text());
    }

    /**
     * path, when it is a plugin directory ({@code depth} 2) or a version directory ({@code depth} 3) of the plugin
     * cache whose names are ones {@link #pluginDir}/{@link #versionDir} build; otherwise a UserError. What install
     * and sync are about to write or delete is checked here, whoever computed it.
     */
    public Path pluginPath(Path path, int depth) {
        Path p = inside(pluginCache(), path);
        Path rel = normalPluginCache.relativize(p);
        boolean named = rel.getNameCount() == depth
                && MarketplaceName.problem(rel.getName(0).toString()).isEmpty()
                && PluginName.problem(rel.getName(1).toString()).isEmpty()
                && (depth == 2 || VersionDir.problem(rel.getName(2).toString()).isEmpty());
        if (!named) {
            throw outside(path.toString(), pluginCache());
        }
        return p;
    }

    /**
     * path, normalized, when it lies strictly inside root (which is this home or inside it) and no directory
     * between root and path is a symbolic link (which could lead anywhere); otherwise a UserError, before
     * anything is written or deleted there.
     */
    public Path inside(Path root, Path path) {
        return inside(root, path, false);
    }

    /** As {@link #inside(Path, Path)}; namedBelowLink: a link is told naming the path one name below it rather than path. */
    private Path inside(Path root, Path path, boolean namedBelowLink) {
        Path r = root == pluginCache ? normalPluginCache : root.toAbsolutePath().normalize();
        Path rel = r.relativize(path.toAbsolutePath().normalize()); // a path outside r starts with .., r itself is ""
        String[] names = new String[rel.getNameCount()];
        for (int i = 0; i < names.length; i++) {
            names[i] = rel.getName(i).toString();
        }
        return below(r, path, namedBelowLink, names);
    }

    /**
     * r (absolute and normal) and names below it, when r is this home or inside it, each name is one name of a path
     * (so the path is strictly inside r: the one proof of that, for every path this home hands out or checks) and no
     * directory between r and the path is a symbolic link (which could lead anywhere); otherwise a UserError, before
     * anything is written or deleted there. told: the path to name in a refusal (null: r and names).
     */
    private Path below(Path r, Path told, boolean namedBelowLink, String... names) {
        boolean named = names.length > 0 && (r == normalPluginCache ? cacheInHome : r.startsWith(normalDir));
        for (int i = 0; i < names.length && named; i++) {
            named = oneName(names[i]);
        }
        if (!named) {
            throw outside(told != null ? told.toString() : r + "/" + String.join("/", names), r);
        }
        // the directories from the home down to r as well (plugins/, plugins/cache/): a link there, to a directory
        // outside the home, took every path below it out of the home, with a clean check below r
        Path a = normalDir;
        for (int i = 0, n = r.getNameCount() - normalDir.getNameCount(); i < n; i++) {
            a = a.resolve(r.getName(normalDir.getNameCount() + i));
            Kind kind = kind(a);
            if (kind == Kind.LINK) {
                throw linked(told != null ? told : r.resolve(String.join("/", names)), a);
            }
            if (kind == Kind.MISSING) {
                break;
            }
        }
        Path p = r;
        boolean looking = true; // from the root down, stopping at a missing directory: nothing under it is there to be a link
        for (int i = 0; i < names.length; i++) {
            Path d = p;
            p = p.resolve(names[i]);
            if (looking && i > 0) {
                Kind kind = kind(d);
                if (kind == Kind.LINK) {
                    throw linked(namedBelowLink ? p : r.resolve(String.join("/", names)), d);
                }
                looking = kind != Kind.MISSING;
            }
        }
        return p;
    }

    /** One name of a path: not empty, no separator or NUL, not . or .. (what MarketplaceName, PluginName and VersionDir refuse). */
    private static boolean oneName(String s) {
        return !s.isEmpty() && s.indexOf('/') < 0 && s.indexOf('\0') < 0 && !s.equals(".") && !s.equals("..");
    }

    private static UserError linked(Path told, Path link) {
        return new UserError(UserError.Kind.CONFLICT, "refusing to write or delete " + told + ": " + link + " is a symbolic link",
                "cxpm only changes real directories inside the Codex home; replace the link with a directory");
    }

    private enum Kind { DIRECTORY, MISSING, LINK, OTHER }

    private Kind kind(Path d) {
        if (provenDirs != null && provenDirs.contains(d)) {
            return Kind.DIRECTORY;
        }
        if (missingDirs != null && missingDirs.contains(d)) {
            return Kind.MISSING;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException missing) {
            if (missingDirs != null) {
                missingDirs.add(d);
            }
            return Kind.MISSING;
        }
        if (a.isDirectory() && provenDirs != null) {
            provenDirs.add(d);
        }
        return a.isSymbolicLink() ? Kind.LINK : a.isDirectory() ? Kind.DIRECTORY : Kind.OTHER;
    }

    private static UserError outside(String path, Path root) {
        return new UserError(UserError.Kind.INVALID_INPUT, "refusing to write or delete " + path + ": it is not a place cxpm builds inside "
                + root, "cxpm builds these paths only from names Codex accepts: please report this as a bug, with the command you ran");
    }

    /**
     * cxpm's staging area for installs: inside the Codex home so the final move is a rename; a UserError when
     * {@code plugins/} is a link (staging there wrote outside the home).
     */
    public Path installStaging() {
        return inside(dir, dir.resolve("plugins").resolve(".cxpm-staging"));
    }

    /** A directory of the staging area, by name: a UserError when {@code plugins/} or the staging area is a link. */
    public Path installStaging(String name) {
        return inside(dir, dir.resolve("plugins").resolve(".cxpm-staging").resolve(name));
    }

    /** The inter-process lock file cxpm holds while it changes this home. */
    public Path lockFile() {
        return dir.resolve(".cxpm.lock");
    }
}
