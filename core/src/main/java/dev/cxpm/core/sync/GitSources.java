package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.marketplace.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches the plugins a marketplace lists with a git source ({@code "url"} or {@code "git-subdir"}) so
 * the resolver can read their manifest and the store can pack them: a shallow clone of the ref (or
 * the default branch) into a temp directory, one per URL and ref for the whole run, removed by
 * {@link #close()}. The commit cloned is what the lockfile records.
 */
public final class GitSources implements AutoCloseable {

    /** A checked-out plugin directory and the commit it came from. */
    public record Checkout(Path dir, String commit) {
    }

    private final GitCli git;
    private final Map<String, Path> clones = new HashMap<>();
    private final Map<Path, String> commits = new HashMap<>();
    private Path workDir;

    public GitSources(GitCli git) {
        this.git = git;
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
        if (!dir.startsWith(repo) || !Files.isDirectory(dir)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "`" + subdir + "` is not a directory of " + url + ref.map(r -> " at " + r).orElse(""),
                    "ask the marketplace's maintainer to fix the plugin's source path");
        }
        return new Checkout(dir, commits.get(repo));
    }

    private Path fetch(String url, Optional<String> ref) {
        try {
            if (workDir == null) {
                workDir = Files.createTempDirectory("cxpm-git-sources");
            }
            Path dest = workDir.resolve(Integer.toString(clones.size()));
            boolean commitRef = ref.isPresent() && ref.get().matches("[0-9a-f]{7,64}");
            if (ref.isEmpty()) {
                git.run(null, "clone", "--quiet", "--depth", "1", url, dest.toString());
            } else if (!commitRef) {
                git.run(null, "clone", "--quiet", "--depth", "1", "--branch", ref.get(), url, dest.toString());
            } else {
                git.run(null, "clone", "--quiet", url, dest.toString());
                git.run(dest, "checkout", "--quiet", ref.get());
            }
            commits.put(dest, git.run(dest, "rev-parse", "HEAD"));
            return dest;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create a temp directory for git sources: " + e.getMessage(), null, e);
        }
    }

    @Override
    public void close() {
        if (workDir != null) {
            dev.cxpm.core.codexhome.Trees.delete(workDir);
            workDir = null;
        }
    }
}
