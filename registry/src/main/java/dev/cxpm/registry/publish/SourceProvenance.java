package dev.cxpm.registry.publish;

import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.storage.RegistryDatabase.Provenance;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a version was built from, as {@code cxpm publish} sends it ({@link #REPOSITORY_HEADER}, {@link #COMMIT_HEADER}):
 * the publisher's word, so only forms that can be shown and followed safely are kept. A repository is an
 * {@code https://}, {@code ssh://}, {@code git://} or scp-like {@code git@host:path} URL of printable ASCII without
 * spaces, quotes or angle brackets, at most {@link #MAX_URL_CHARS}; a commit is 40 or 64 lower-case hex digits. Both
 * or neither; anything else refuses the upload (400) rather than storing half a claim.
 */
public final class SourceProvenance {

    public static final String REPOSITORY_HEADER = "X-Cxpm-Source-Repository";
    public static final String COMMIT_HEADER = "X-Cxpm-Source-Commit";
    public static final int MAX_URL_CHARS = 300;

    private static final String PATH = "[A-Za-z0-9._~/%+-]+";
    /** No user part for https (it would be a credential); ssh's {@code git@} is a login name. */
    private static final Pattern URL = Pattern.compile("(?:https://|git://|ssh://(?:[A-Za-z0-9._-]+@)?)[A-Za-z0-9.-]+(?::[0-9]{1,5})?/" + PATH
            + "|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:" + PATH);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private SourceProvenance() {
    }

    /** The provenance the two header values state, empty when neither is given. */
    public static Optional<Provenance> parse(String repository, String commit) {
        if (repository == null && commit == null) {
            return Optional.empty();
        }
        if (repository == null || commit == null) {
            throw refused("give both " + REPOSITORY_HEADER + " and " + COMMIT_HEADER + ", or neither");
        }
        String url = repository.strip();
        if (url.length() > MAX_URL_CHARS || !URL.matcher(url).matches()) {
            throw refused("the source repository is not an https://, ssh://, git:// or git@host:path URL of at most " + MAX_URL_CHARS
                    + " characters");
        }
        String path = url.substring(url.indexOf("://") < 0 ? url.indexOf(':') + 1 : url.indexOf("://") + 3);
        if (path.contains("..") || path.contains("//")) {
            throw refused("the source repository URL has an empty or `..` path segment");
        }
        String c = commit.strip();
        if (!COMMIT.matcher(c).matches()) {
            throw refused("the source commit is not 40 or 64 lower-case hex digits");
        }
        return Optional.of(new Provenance(url, c));
    }

    private static RegistryException refused(String message) {
        return new RegistryException(400, "invalid-source", message);
    }
}
