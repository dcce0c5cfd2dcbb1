package dev.cxpm.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
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
        JsonNode n = w.name;
        String at;
        Finding f;
        if (n == null || n.isNull()) {
            at = null;
            f = new Finding("marketplace.name-missing", file, 1, "missing field `name`",
                    "add a \"name\" made of ASCII letters, digits, `_` and `-`");
        } else if (!n.isTextual()) {
            at = "/name";
            f = new Finding("marketplace.name-type", file, 0, "invalid type: " + Marketplace.typeName(n) + ", expected a string for `name`", null);
        } else if (!CodexNames.isMarketplaceName(n.asText())) {
            at = "/name";
            f = new Finding("marketplace.name-invalid", file, 0, "invalid marketplace name: only ASCII letters, digits, `_`, and `-` are allowed",
                    "rename it, e.g. \"" + CodexNames.asMarketplaceName(n.asText()) + "\"");
        } else if (Marketplace.RESERVED_NAMES.contains(n.asText())) {
            at = "/name";
            f = new Finding("marketplace.name-reserved", file, 0, "marketplace `" + n.asText() + "` is reserved and cannot be added from this source",
                    "choose another name");
        } else if (w.plugins == null && !w.array || w.plugins != null && w.plugins.isNull()) {
            at = null;
            f = new Finding("marketplace.plugins-missing", file, 1, "missing field `plugins`", "add \"plugins\": [ ... ]");
        } else if (w.plugins != null) {
            at = "/plugins";
            f = new Finding("marketplace.plugins-type", file, 0,
                    "invalid type: " + Marketplace.typeName(w.plugins) + ", expected a sequence for `plugins`", null);
        } else {
            at = w.at;
            f = w.first;
        }
        if (f == null) {
            return Optional.empty();
        }
        if (at != null) {
            f = new Finding(f.code(), f.file(), StreamedFailure.lineOf(bytes, at), f.message(), f.hint());
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
     * What load reads of the top level, and the first whole-file error of an entry with the pointer whose line it
     * names (an entry's findings ask the line of that pointer just before they are made).
     */
    private static final class Walk extends MarketplaceEntries.Findings implements StreamedJson.Members {
        final Path file;
        JsonNode name;
        JsonNode plugins;
        boolean array;
        Finding first;
        String at;
        private String asked;

        Walk(Path file) {
            this.file = file;
        }

        @Override
        public boolean wants(String key) {
            return key.equals("name") || key.equals("interface") || key.equals("plugins");
        }

        @Override
        public boolean elements(String key) {
            array |= key.equals("plugins"); // asked when it is an array
            return key.equals("plugins");
        }

        @Override
        public void member(String key, JsonNode value) {
            if (key.equals("name")) {
                name = value;
            } else if (key.equals("plugins")) {
                plugins = value;
            }
        }

        @Override
        public void element(String key, int i, JsonNode e) {
            if (first == null) {
                MarketplaceEntries.read(file, e, i, this, null);
            }
        }

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
