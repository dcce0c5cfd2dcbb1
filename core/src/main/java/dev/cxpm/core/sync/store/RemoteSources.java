package dev.cxpm.core.sync.store;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.install.NpmFetcher;
import dev.cxpm.core.Progress;
import dev.cxpm.core.marketplace.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches the plugins a marketplace lists with a remote source so the resolver can read their manifest
 * and the store can pack them, into one temp directory for the whole run, removed by {@link #close()}:
 * a git source ({@code "url"}, {@code "git-subdir"}) as a shallow clone of the ref (or the default
 * branch), one per URL and ref, whose commit the lockfile records; an npm source as the package version
 * its range picks, from the registry the user's or project's .npmrc names, checked against the
 * registry's integrity and unpacked, whose version the lockfile records.
 */
public final class RemoteSources implements AutoCloseable {

    /** A checked-out plugin directory and the commit it came from. */
    public record Checkout(Path dir, String commit) {
    }

    /** An unpacked npm package and its exact version. */
    public record NpmPackage(Path dir, String packageName, String version) {
    }

    private final GitCli git;
    private final NpmFetcher npm;
    private final Map<String, NpmPackage> packages = new HashMap<>();
    private final Map<String, Path> clones = new HashMap<>();
    private final Map<Path, String> commits = new HashMap<>();
    private Path workDir;

    /** Where the work directory is made: {@code STORE/tmp/} ({@link dev.cxpm.core.Scratch}), never the shared temp dir. */
    private final Path scratchRoot;
    /** Now, which the age of what a killed run left under {@code scratchRoot/tmp/} is read against. */
    private final java.time.Clock clock;

    /**
     * env and projectDir: where npm's configuration ({@code .npmrc}, {@code npm_config_registry}) is read; progress: where
     * npm downloads report their bytes (git's clones report through {@code git}); the clones and packages are made under
     * {@code scratchRoot/tmp/} (the store's), where what a killed run left is swept (by its age on clock), not in the
     * shared temp dir for good.
     */
    public RemoteSources(GitCli git, Map<String, String> env, Path projectDir, Progress progress, Path scratchRoot, java.time.Clock clock) {
        this.git = git;
        this.npm = new NpmFetcher(env, projectDir, progress);
        this.scratchRoot = scratchRoot;
        this.clock = clock;
    }

    /** The package an npm source names, at the version its range picks, unpacked (once per run). */
    public NpmPackage npm(PluginSource.Npm source) {
        String key = source.registry().orElse("") + " " + source.packageName() + " " + source.version().orElse("");
        NpmPackage known = packages.get(key);
        if (known != null) {
            return known;
        }
        Path dest = work().resolve("npm-" + packages.size());
        try {
            Files.createDirectories(dest);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + dest + ": " + e.getMessage(), null, e);
        }
        NpmFetcher.Fetched f = npm.fetch(source, dest);
        NpmPackage p = new NpmPackage(f.dir(), source.packageName(), f.version());
        packages.put(key, p);
        return p;
    }

    private Path work() {
        try {
            if (workDir == null) {
                workDir = dev.cxpm.core.TempPaths.directory(dev.cxpm.core.Scratch.under(scratchRoot, clock), "sources-");
            }
            return workDir;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create a temp directory for plugin sources: " + e.getMessage(), null, e);
        }
    }

    /** The plugin directory of a git source; empty for other source kinds. */
    public Optional<Checkout> checkout(PluginSource source) {
        return switch (source) {
            case PluginSource.Git g -> Optional.of(clone(g.url(), g.ref(), ""));
            case PluginSource.GitSubdir s -> Optional.of(clone(s.url(), s.ref(), s.path()));
            default -> Optional.empty();
        };
    }

    private Checkout clone(String url, Optional<String> ref, String subdir) {
        String key = url + "#" + ref.orElse("");
        Path repo = clones.computeIfAbsent(key, k -> fetch(url, ref));
        String sub = subdir.startsWith("./") ? subdir.substring(2) : subdir;
        Path dir = sub.isEmpty() ? repo : repo.resolve(sub).normalize();
        if (!dir.startsWith(repo) || !Files.isDirectory(dir) || !dev.cxpm.core.install.PluginTree.inside(dir, repo)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "`" + subdir + "` is not a directory of " + url + ref.map(r -> " at " + r).orElse(""),
                    "ask the marketplace's maintainer to fix the plugin's source path");
        }
        return new Checkout(dir, commits.get(repo));
    }

    private Path fetch(String url, Optional<String> ref) {
        Path dest = work().resolve(Integer.toString(clones.size()));
        boolean commitRef = ref.isPresent() && ref.get().matches("[0-9a-f]{7,64}");
        if (ref.isEmpty()) {
            git.clone(url, dest, "--depth", "1");
        } else if (!commitRef) {
            git.clone(url, dest, "--depth", "1", "--branch", GitCli.ref(ref.get()));
        } else {
            git.clone(url, dest);
            git.checkout(dest, ref.get());
        }
        commits.put(dest, git.run(dest, "rev-parse", "HEAD"));
        return dest;
    }

    @Override
    public void close() {
        if (workDir != null) {
            dev.cxpm.core.codexhome.Trees.delete(workDir);
            workDir = null;
        }
    }
}
