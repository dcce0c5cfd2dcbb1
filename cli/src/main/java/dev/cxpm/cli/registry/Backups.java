package dev.cxpm.cli.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.storage.backup.BackupException;

/** What the storage commands share: their errors as the user sees them, and JSON printed as the other commands do. */
final class Backups {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Backups() {
    }

    static UserError userError(BackupException e) {
        return switch (e.kind()) {
            case INVALID_EXPORT -> new UserError(UserError.Kind.INVALID_INPUT, e.getMessage(),
                    "nothing was imported; export again from the source registry");
            case INTEGRITY -> new UserError(UserError.Kind.INTEGRITY, e.getMessage(), null);
            case NOT_EMPTY -> new UserError(UserError.Kind.CONFLICT, e.getMessage(),
                    "import into a new data directory or an empty database");
            case EXISTS -> new UserError(UserError.Kind.CONFLICT, e.getMessage(), "name a directory that does not exist yet");
            case IO -> new UserError(UserError.Kind.IO, e.getMessage(), null);
        };
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
