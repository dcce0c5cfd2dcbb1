package dev.cxpm.core.marketplace;

import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The clones of git marketplaces in a Codex home ({@code $CODEX_HOME/.tmp/marketplaces/<name>/}): each cloned into a
 * staging directory first and moved into place whole, with the install record Codex writes beside it (the revision an
 * update compares with the remote's).
 */
final class MarketplaceClones {
    /** What Codex records in a git marketplace's root on upgrade, to know whether it is up to date. */
    static final String INSTALL_RECORD = ".codex-marketplace-install.json";

    private final CodexHome home;
    private final GitCli git;

    MarketplaceClones(CodexHome home, GitCli git) {
        this.home = home;
        this.git = git;
    }

    /** Clones into a fresh staging dir and checks out the ref; returns the checkout. */
    Path stage(MarketplaceSource.Git g) {
        Path dir = home.marketplaceStaging().resolve("cxpm-" + UUID.randomUUID());
        Path checkout = dir.resolve("checkout");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + dir + ": " + e.getMessage(), null, e);
        }
        try {
            if (g.sparsePaths().isEmpty()) {
                git.clone(g.url(), checkout);
                if (g.ref().isPresent()) {
                    git.checkout(checkout, g.ref().get());
                }
                return checkout;
            }
            // What Codex does for --sparse: a blobless partial clone, cone-mode sparse checkout of the paths.
            git.clone(g.url(), checkout, "--filter=blob:none", "--sparse", "--no-checkout");
            List<String> set = new ArrayList<>(List.of("sparse-checkout", "set"));
            set.addAll(g.sparsePaths());
            git.run(checkout, set.toArray(String[]::new));
            git.checkoutFetching(g.url(), checkout, g.ref().orElse("HEAD"));
            return checkout;
        } catch (RuntimeException e) {
            Trees.delete(dir);
            throw e;
        }
    }

    /** The staged checkout at dest in one move; the clone it replaces is moved aside first and deleted after. */
    void replace(Path dest, Path staged) {
        Path old = home.marketplaceStaging().resolve("old-" + UUID.randomUUID());
        if (Files.exists(dest)) {
            move(dest, old);
        }
        move(staged, dest);
        Trees.delete(old);
    }

    /** Clones the marketplace at root again when its remote moved since (Codex's install record says); root when it did. */
    Optional<Path> upgrade(Path root, CodexConfig.MarketplaceEntry entry) {
        String remote = git.transfer("asking " + entry.source() + " for its revision", null,
                "ls-remote", "--", entry.source(), entry.ref().orElse("HEAD"));
        String remoteSha = remote.isEmpty() ? "" : remote.lines().findFirst().orElse("").split("\\s+")[0];
        Optional<String> recorded = recordedRevision(root);
        if (Files.isDirectory(root) && recorded.isPresent() && recorded.get().equals(remoteSha)) {
            return Optional.empty();
        }
        Path staged = stage(new MarketplaceSource.Git(entry.source(), entry.ref(), entry.sparsePaths()));
        try {
            String revision = git.run(staged, "rev-parse", "HEAD");
            writeInstallRecord(staged, entry, revision);
            replace(root, staged);
            return Optional.of(root);
        } finally {
            Trees.delete(staged.getParent());
        }
    }

    private static Optional<String> recordedRevision(Path root) {
        try {
            String text = FileText.read(root.resolve(INSTALL_RECORD), JsonFile.MAX_BYTES); // a clone's file: anything
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).path("revision");
            return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void writeInstallRecord(Path root, CodexConfig.MarketplaceEntry entry, String revision) {
        String json = "{\n"
                + "  \"source_type\": \"git\",\n"
                + "  \"source\": " + jsonString(entry.source()) + ",\n"
                + "  \"ref_name\": " + entry.ref().map(MarketplaceClones::jsonString).orElse("null") + ",\n"
                + "  \"sparse_paths\": " + jsonArray(entry.sparsePaths()) + ",\n"
                + "  \"revision\": " + jsonString(revision) + "\n"
                + "}";
        try {
            Files.writeString(root.resolve(INSTALL_RECORD), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + root.resolve(INSTALL_RECORD) + ": " + e.getMessage(), null, e);
        }
    }

    /** serde_json's pretty form: {@code []} when empty, else one element per line, indented for the record's second level. */
    private static String jsonArray(List<String> items) {
        if (items.isEmpty()) {
            return "[]";
        }
        return "[\n" + String.join(",\n", items.stream().map(i -> "    " + jsonString(i)).toList()) + "\n  ]";
    }

    private static String jsonString(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot move " + from + " to " + to + ": " + e.getMessage(), null, e);
        }
    }
}
