package dev.cxpm.core.init;

import static dev.cxpm.core.init.PluginInit.readBytes;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files to write, checked against what is already there: an identical file is left alone, an
 * existing different one is kept (scaffold) or a conflict (adoption, so nothing is ever overwritten).
 */
final class InitPlan {
    final Path root;
    final boolean keepExisting;
    final Map<String, byte[]> toWrite = new LinkedHashMap<>();
    final List<String> created = new ArrayList<>();
    final List<String> kept = new ArrayList<>();
    final List<String> conflicts = new ArrayList<>();

    InitPlan(Path root, boolean keepExisting) {
        this.root = root;
        this.keepExisting = keepExisting;
    }

    void add(String rel, byte[] bytes) {
        place(rel, bytes, keepExisting);
    }

    void addKeepingExisting(String rel, byte[] bytes) {
        place(rel, bytes, true);
    }

    private void place(String rel, byte[] bytes, boolean keep) {
        Path file = root.resolve(rel);
        for (Path p = file.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p) || Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                conflicts.add(rel);
                return;
            }
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(readBytes(file), bytes)) {
                kept.add(rel);
            } else if (keep) {
                kept.add(rel);
            } else {
                conflicts.add(rel);
            }
            return;
        }
        toWrite.put(rel, bytes);
    }

    void writeAll(String manifestRel, byte[] manifest) {
        if (!conflicts.isEmpty()) {
            throw new UserError(UserError.Kind.CONFLICT,
                    "init would overwrite files that already exist in " + root + ": " + String.join(", ", conflicts),
                    "adopt into a new directory (cxpm init NEW_DIR --from SOURCE); init never overwrites files");
        }
        toWrite.put(manifestRel, manifest);
        toWrite.forEach((rel, bytes) -> {
            writeAtomically(root.resolve(rel), bytes);
            created.add(rel);
        });
    }

    private static void writeAtomically(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            TempPaths.replace(file, "." + file.getFileName(), bytes);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }
}
