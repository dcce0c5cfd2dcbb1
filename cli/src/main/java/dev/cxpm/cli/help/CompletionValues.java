package dev.cxpm.cli.help;

import java.util.List;

/**
 * The fixed words some arguments take, for the completion scripts (picocli's {@code completionCandidates}): an
 * argument that is a String in its command, so picocli cannot list its values from an enum.
 */
public final class CompletionValues {
    private CompletionValues() {
    }

    public static final class ConfigActions extends Words {
        ConfigActions() {
            super("get", "set", "unset");
        }
    }

    public static final class ConfigKeys extends Words {
        ConfigKeys() {
            super("registry", "min-release-age", "policy");
        }
    }

    public static final class Bumps extends Words {
        Bumps() {
            super("major", "minor", "patch", "prerelease");
        }
    }

    public static final class FailOn extends Words {
        FailOn() {
            super("error", "warning");
        }
    }

    abstract static class Words implements Iterable<String> {
        private final List<String> words;

        Words(String... words) {
            this.words = List.of(words);
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return words.iterator();
        }
    }
}
