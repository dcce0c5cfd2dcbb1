package dev.cxpm.core.registry;

import dev.cxpm.core.UserError;
import dev.cxpm.core.marketplace.GitCli;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a published version was built from: the repository URL and commit of the publisher's clean git checkout, sent
 * with the upload in {@link #REPOSITORY_HEADER} and {@link #COMMIT_HEADER}. One rule for both sides (the registry
 * refuses what {@link #problem} names): an {@code https://}, {@code ssh://}, {@code git://} or scp-like
 * {@code user@host:path} URL of printable ASCII without spaces, quotes or angle brackets, no credentials in an https
 * URL, no empty or {@code ..} segment, at most {@link #MAX_URL_CHARS}; a commit of 40 or 64 lower-case hex digits.
 */
public record PublishedSource(String repository, String commit) {

    public static final String REPOSITORY_HEADER = "X-Cxpm-Source-Repository";
    public static final String COMMIT_HEADER = "X-Cxpm-Source-Commit";
    public static final int MAX_URL_CHARS = 300;

    private static final String PATH = "[A-Za-z0-9._~/%+-]+";
    private static final Pattern URL = Pattern.compile("(?:https://|git://|ssh://(?:[A-Za-z0-9._-]+@)?)[A-Za-z0-9.-]+(?::[0-9]{1,5})?/" + PATH
            + "|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:" + PATH);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    /** What is wrong with this claim, if anything. */
    public static Optional<String> problem(String repository, String commit) {
        if (repository.length() > MAX_URL_CHARS || !URL.matcher(repository).matches()) {
            return Optional.of("the source repository is not an https://, ssh://, git:// or git@host:path URL of at most " + MAX_URL_CHARS
                    + " characters");
        }
        String path = repository.substring(repository.contains("://") ? repository.indexOf("://") + 3 : repository.indexOf(':') + 1);
        if (path.contains("..") || path.contains("//")) {
            return Optional.of("the source repository URL has an empty or `..` path segment");
        }
        if (!COMMIT.matcher(commit).matches()) {
            return Optional.of("the source commit is not 40 or 64 lower-case hex digits");
        }
        return Optional.empty();
    }

    /** What publish can say about dir: the source, or why it says nothing (not a git checkout, uncommitted changes, no remote). */
    public sealed interface Found permits Clean, Unknown {
    }

    public record Clean(PublishedSource source) implements Found {
    }

    public record Unknown(String why) implements Found {
    }

    /**
     * The checkout dir is in, when it is clean (no change, staged or not, and no untracked file under dir) and its
     * {@code origin} remote is a URL of the accepted forms; credentials in an https remote are dropped.
     */
    public static Found of(GitCli git, Path dir) {
        try {
            git.run(dir, "rev-parse", "--show-toplevel");
        } catch (UserError e) {
            return new Unknown("not in a git checkout");
        }
        try {
            if (!git.run(dir, "status", "--porcelain", "--untracked-files=all", "--", ".").isEmpty()) {
                return new Unknown("the git checkout has uncommitted changes");
            }
            String commit = git.run(dir, "rev-parse", "HEAD");
            String remote;
            try {
                remote = git.run(dir, "remote", "get-url", "origin");
            } catch (UserError e) {
                return new Unknown("the git checkout has no `origin` remote");
            }
            String url = remote.replaceFirst("^https://[^/@]*@", "https://");
            return problem(url, commit).<Found>map(p -> new Unknown("its `origin` remote is not one a registry records (" + p + ")"))
                    .orElse(new Clean(new PublishedSource(url, commit)));
        } catch (UserError e) {
            return new Unknown("git could not tell (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
