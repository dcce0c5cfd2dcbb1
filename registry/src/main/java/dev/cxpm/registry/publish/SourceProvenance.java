package dev.cxpm.registry.publish;

import dev.cxpm.core.registry.PublishedSource;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.storage.RegistryDatabase.Provenance;
import java.util.Optional;

/**
 * Where a version was built from, as {@code cxpm publish} sends it: the publisher's word, so only the forms
 * {@link PublishedSource#problem} accepts are kept (they can be shown and followed safely). Both headers or neither;
 * anything else refuses the upload (400) rather than storing half a claim.
 */
public final class SourceProvenance {

    public static final String REPOSITORY_HEADER = PublishedSource.REPOSITORY_HEADER;
    public static final String COMMIT_HEADER = PublishedSource.COMMIT_HEADER;

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
        Optional<String> problem = PublishedSource.problem(repository, commit);
        if (problem.isPresent()) {
            throw refused(problem.get());
        }
        return Optional.of(new Provenance(repository, commit));
    }

    private static RegistryException refused(String message) {
        return new RegistryException(400, "invalid-source", message);
    }
}
