package dev.cxpm.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.DefaultRegistry;
import dev.cxpm.core.toml.TomlSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and reads the policy files in force for a command: the organisation's ({@code policy = "PATH or URL"} in cxpm's
 * config file, {@code ~/.config/cxpm/config.toml}), the user's ({@code ~/.config/cxpm/policy.toml}) and the project's
 * ({@code cxpm-policy.toml} beside {@code cxpm.toml}). A file that is named but missing or unreadable is an error: a
 * policy fails closed.
 */
public final class Policies {

    public static final String PROJECT_FILE = "cxpm-policy.toml";

    private Policies() {
    }

    public static Path configFile(Map<String, String> vars) {
        return DefaultRegistry.configFile(vars);
    }

    /** {@code $XDG_CONFIG_HOME/cxpm/policy.toml}, else {@code ~/.config/cxpm/policy.toml}, beside config.toml. */
    public static Path userFile(Map<String, String> vars) {
        return configFile(vars).resolveSibling("policy.toml");
    }

    /**
     * The files whose bytes decide the policy in force for a project, present or not: cxpm's config file, the user's and
     * the project's policy files, Codex's requirements files and the organisation's policy file the config names. Sync's
     * stamp covers their bytes, so a no-op sync under an unchanged policy is answered without reading it, and any change
     * (a file written, edited or removed) makes the next sync check in full. Empty when local bytes cannot decide it: the
     * organisation's policy is fetched from a URL (it changes with nothing changing here), or the config file is unreadable.
     */
    public static Optional<List<Path>> stampInputs(Map<String, String> vars, Path projectDir) {
        Path config = configFile(vars);
        List<Path> files = new ArrayList<>(List.of(config, userFile(vars), projectDir.resolve(PROJECT_FILE)));
        files.addAll(CodexRequirements.filesFor(vars));
        try {
            // parsed only when it may name one; read as the full check reads it (bounded, a regular file)
            if (Files.exists(config) && dev.cxpm.core.FileText.read(config, TomlSource.MAX_BYTES).contains("policy")) {
                Optional<String> organisation = organisationSetting(vars);
                if (organisation.isPresent()) {
                    if (organisation.get().contains("://")) {
                        return Optional.empty();
                    }
                    files.add(config.getParent().resolve(organisation.get().strip()).normalize());
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException | UserError e) {
            return Optional.empty(); // the full check says what is wrong with it
        }
        return Optional.of(files);
    }

    /** The policy for a command run with these variables, in projectDir when it works on a project. */
    public static Policy load(Map<String, String> vars, Optional<Path> projectDir) {
        List<PolicyFile> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        organisation(vars, notes).ifPresent(files::add);
        Path user = userFile(vars);
        if (Files.exists(user)) {
            files.add(PolicyFile.read(PolicyFile.Level.USER, user));
        }
        if (projectDir.isPresent()) {
            Path project = projectDir.get().resolve(PROJECT_FILE);
            if (Files.exists(project)) {
                files.add(PolicyFile.read(PolicyFile.Level.PROJECT, project));
            }
        }
        return files.isEmpty() ? Policy.NONE : new Policy(files, notes);
    }

    /** The organisation policy cxpm's config file names ({@code cxpm config get policy}), as written. */
    public static Optional<String> organisationSetting(Map<String, String> vars) {
        Path config = configFile(vars);
        if (!Files.exists(config)) {
            return Optional.empty();
        }
        JsonNode policy = TomlSource.read(config, "fix the file").root().path("policy");
        return policy.isTextual() ? Optional.of(policy.asText()) : Optional.empty();
    }

    /** What {@code cxpm config set policy VALUE} stores: an https URL (http on a loopback address) or an absolute path. */
    public static String organisationValue(String value, Path cwd) {
        if (value.contains("://")) {
            return OrgPolicy.parseUrl(value, "policy").toString();
        }
        Path file = cwd.resolve(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "policy file " + file + " does not exist", "give the organisation's policy file or its https:// URL");
        }
        PolicyFile.read(PolicyFile.Level.ORGANISATION, file); // refuse one that would stop every install
        return file.toString();
    }

    private static Optional<PolicyFile> organisation(Map<String, String> vars, List<String> notes) {
        Path config = configFile(vars);
        if (!Files.exists(config)) {
            return Optional.empty();
        }
        TomlSource toml = TomlSource.read(config, "fix the file; while it cannot be read, no organisation policy can be applied");
        JsonNode policy = toml.root().path("policy");
        if (policy.isMissingNode()) {
            return Optional.empty();
        }
        if (!policy.isTextual() || policy.asText().isBlank()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, toml.where("policy") + ": policy must be a path or an https:// URL",
                    "write policy = \"https://it.example.test/cxpm-policy.toml\"");
        }
        String value = policy.asText().strip();
        if (value.contains("://")) {
            return Optional.of(OrgPolicy.fetch(OrgPolicy.parseUrl(value, toml.where("policy")), vars, notes));
        }
        Path file = config.getParent().resolve(value).normalize();
        if (!Files.isRegularFile(file)) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the organisation policy " + file + " (named at " + toml.where("policy")
                    + ") does not exist; nothing is installed while it is missing", "restore the file, or ask whoever set policy in " + config);
        }
        return Optional.of(PolicyFile.read(PolicyFile.Level.ORGANISATION, file));
    }
}
