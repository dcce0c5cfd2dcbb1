package dev.cxpm.registry.publish;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.pack.PackLimits;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.surface.Surface;
import dev.cxpm.core.validate.PluginValidator;
import dev.cxpm.registry.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The foundation's {@code validate --strict}, run on the server against an upload that already
 * passed {@link PluginArchive}'s safety checks: unpacked with the foundation's Unpacker into a
 * directory beside the upload (deleted after), every error becomes a publish problem. Warnings do not refuse.
 * Beside, not in the shared temp dir: the upload's directory is its caller's, which clears it (the server's
 * {@code DIR/uploads/}, emptied at every start), so a JVM that dies mid-check leaves nothing behind for good.
 */
final class StrictRules {

    private StrictRules() {
    }

    /** The publish limits (README), not the looser defaults of an install. */
    private static final PackLimits LIMITS = new PackLimits(PluginArchive.MAX_FILE_BYTES, PluginArchive.MAX_CONTENT_BYTES, PluginArchive.MAX_ENTRIES);

    /** A message as the publisher may see it: the server's temp directory never shows. */
    private static String hidePaths(String message, Path dir) {
        return message.replace(dir + "/", "").replace(dir.toString(), ".");
    }

    /**
     * What the foundation's {@link Surface} reads whole, to hash it (each skill's SKILL.md, each slash command's file),
     * may hold at most this: validate refuses a SKILL.md over it, but a 50 MiB command file was read into the heap of
     * every publish that carried one (a 64 MiB server died of it: issue 12). Markdown prompts, far below it.
     */
    static final long MAX_HASHED_FILE = 1024 * 1024;

    /**
     * The valid plugin's surface, or the problems that keep it from being read: a file it would read whole over
     * {@link #MAX_HASHED_FILE}. Null surface and no problem when it still cannot be read: the SemVer check then refuses.
     */
    private static Checked surface(Path root) {
        try {
            Plugin plugin = Plugin.load(root);
            List<Path> hashed = new ArrayList<>();
            plugin.skills().forEach(s -> hashed.add(s.file()));
            plugin.commands().values().forEach(c -> hashed.add(c.file()));
            List<Problem> tooLarge = new ArrayList<>();
            for (Path f : hashed) {
                long size = Files.size(f);
                if (size > MAX_HASHED_FILE) {
                    tooLarge.add(new Problem("file-too-large", root.relativize(f.toAbsolutePath().normalize()).toString(), "the file is " + size
                            + " bytes; the registry reads each skill's SKILL.md and each command's file whole, and takes at most " + MAX_HASHED_FILE
                            + " bytes (1 MiB) of one: move long material into other files"));
                }
            }
            return tooLarge.isEmpty() ? new Checked(List.of(), Surface.of(plugin)) : new Checked(tooLarge, null);
        } catch (UserError | IOException | java.io.UncheckedIOException e) {
            return new Checked(List.of(), null);
        }
    }

    /**
     * What validate --strict finds, and the plugin's surface read from the same unpacked tree by the foundation's
     * {@link Surface} (so the registry's SemVer check sees exactly what {@code cxpm diff} and {@code cxpm version}
     * see: skills wherever the manifest puts them, slash commands, hooks); {@code surface} is null when there are errors.
     */
    record Checked(List<Problem> errors, Surface surface) {
    }

    static Checked check(Path archive) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(archive.toAbsolutePath().getParent(), "check-");
            Path root = dir.resolve("plugin");
            try {
                new Unpacker(LIMITS).unpack(archive, root);
            } catch (UserError e) {
                if (e.kind() != UserError.Kind.INVALID_INPUT) {
                    throw e; // the server's own failure (disk full, ...): a 500 whose details stay in the log
                }
                return new Checked(List.of(new Problem("archive-refused", null, hidePaths(e.getMessage().replace(archive.toString(), "the upload"), dir))), null);
            }
            List<Problem> out = new ArrayList<>();
            for (var p : new PluginValidator(true).validate(root)) {
                if (p.isError()) {
                    String file = p.file() == null ? null : root.relativize(p.file().toAbsolutePath().normalize()).toString();
                    String where = file == null || file.isEmpty() ? null : p.line() > 0 ? file + ":" + p.line() : file;
                    out.add(new Problem(p.code(), where, hidePaths(p.hint() == null ? p.message() : p.message() + " (" + p.hint() + ")", root)));
                }
            }
            return out.isEmpty() ? surface(root) : new Checked(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try {
                    Trees.delete(dir);
                } catch (UserError e) { // the spool's owner removes it at its next start; logged, never silent
                    System.getLogger(StrictRules.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
        }
    }
}
