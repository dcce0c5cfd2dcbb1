package dev.cxpm.core.format.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.json.StreamedFailure;
import dev.cxpm.core.format.json.StreamedJson;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a marketplace manifest the stream did not accept ({@link MarketplaceEntries#check}) is refused, in the words,
 * line and hint {@link Marketplace#load} gives, found from its bytes as a stream: the manifest is not read whole to say
 * it (its text, tree and spans, ~12 times its bytes: ~100 MB for one of 8 MiB). Load's first whole-file error is the
 * first of: not JSON, not an object, a bad {@code name}, no or a bad {@code plugins}, the first error of an entry.
 */
final class MarketplaceRefusal {
    private MarketplaceRefusal() {
    }

    /**
     * The error {@link Marketplace#load} throws for file, or empty when it throws none: the stream refused it for a
     * top-level key it reads ({@code name}, {@code interface} or {@code plugins}) written twice, of which load keeps
     * the last.
     */
    static Optional<UserError> of(Path file, byte[] bytes) {
        Optional<JsonFile.Failure> notJson = StreamedFailure.of(file, bytes);
        if (notJson.isPresent()) {
            return Optional.of(notJson.get().toUserError());
        }
        Walk w = new Walk(file);
        if (!StreamedJson.walk(bytes, w)) {
            String type = scalarType(bytes);
            return type == null ? Optional.empty() : Optional.of(Marketplace.invalid(file, new Finding("marketplace.not-object", file, 1,
                    "invalid type: " + type + ", expected a JSON object", "the manifest must be a JSON object")));
        }
        Finding f = TopLevel.nameProblem(file, w.name);
        String at = "/name";
        if (f == null) {
            f = TopLevel.pluginsProblem(file, w.pluginsAsRead());
            at = "/plugins";
        }
        if (f == null) {
            f = w.first;
            at = w.at;
        }
        if (f == null) {
            return Optional.empty();
        }
        if (f.line() == 0 && at != null) {
            f = f.at(StreamedFailure.lineOf(bytes, at));
        }
        return Optional.of(Marketplace.invalid(file, f));
    }

    /**
     * The type, in load's words, of a JSON text that is not an object (checked as JSON before); null when it is one.
     * Its first character says which, but for a number: floating point when it has a fraction or an exponent.
     */
    private static String scalarType(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        if (i == bytes.length) {
            return null;
        }
        return switch (bytes[i]) {
            case '{' -> null;
            case '[' -> "sequence";
            case '"' -> "string";
            case 't', 'f' -> "boolean";
            case 'n' -> "null";
            default -> {
                for (int j = i; j < bytes.length; j++) {
                    if (bytes[j] == '.' || bytes[j] == 'e' || bytes[j] == 'E') {
                        yield "floating point";
                    }
                }
                yield "integer";
            }
        };
    }

    /**
     * The first whole-file error of an entry, with the pointer whose line it names (an entry's findings ask the line of
     * that pointer just before they are made).
     */
    private static final class Walk extends TopLevel {
        final Path file;
        final FirstError firstError = new FirstError();
        Finding first;
        String at;

        Walk(Path file) {
            this.file = file;
        }

        @Override
        void entry(int i, JsonNode e) {
            if (first == null) {
                MarketplaceEntries.read(file, e, i, firstError, null);
            }
        }

        private final class FirstError extends MarketplaceEntries.Findings {
            private String asked;

            @Override
            int lineOf(String pointer) {
                asked = pointer;
                return 0;
            }

            @Override
            void error(Finding f) {
                if (first == null) {
                    first = f;
                    at = asked;
                }
            }

            @Override
            void skip(Finding f) {
            }
        }
    }
}
