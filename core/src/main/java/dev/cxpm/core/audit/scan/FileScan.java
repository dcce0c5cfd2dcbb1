package dev.cxpm.core.audit.scan;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.audit.AuditCheck;
import dev.cxpm.core.audit.AuditedPlugin;
import dev.cxpm.core.audit.Findings;
import dev.cxpm.core.audit.Note;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads each file of an installed plugin once, bounded, and hands its text to the content checks: secrets in any
 * text file, hidden Unicode in SKILL.md and prompts. Links are not followed (an installed plugin has none; one
 * found is noted, not read), files over {@link #MAX_FILE_BYTES} and binary files are not scanned, the first
 * with a note, so the audit's cost is linear in the installed bytes and bounded per file.
 */
public final class FileScan implements AuditCheck {
    /** Larger than any SKILL.md, prompt or configuration a person writes; bigger files are data, noted and skipped. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final int BINARY_PROBE = 8000;

    @Override
    public void check(AuditedPlugin plugin, Findings out) {
        Path root = plugin.dir();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    if (!attrs.isRegularFile()) {
                        out.note(new Note("not-a-file", plugin.id(), PlainText.printable(rel, 300), "not read: not a regular file"));
                    } else if (attrs.size() > MAX_FILE_BYTES) {
                        out.note(new Note("file-too-large", plugin.id(), PlainText.printable(rel, 300),
                                "not scanned: " + attrs.size() + " bytes, over the audit's " + MAX_FILE_BYTES + "-byte cap per file"));
                    } else {
                        scan(plugin, file, PlainText.printable(rel, 300), out);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    out.note(new Note("unreadable", plugin.id(), PlainText.printable(root.relativize(file).toString(), 300), "not read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            out.note(new Note("unreadable", plugin.id(), null, "cannot read " + root + ": " + e.getMessage()));
        }
    }

    private static void scan(AuditedPlugin plugin, Path file, String rel, Findings out) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1); // the size may have grown since the walk saw it
        } catch (IOException e) {
            out.note(new Note("unreadable", plugin.id(), rel, "not read: " + e.getMessage()));
            return;
        }
        if (bytes.length > MAX_FILE_BYTES) {
            out.note(new Note("file-too-large", plugin.id(), rel, "not scanned: over the audit's " + MAX_FILE_BYTES + "-byte cap per file"));
            return;
        }
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE); i++) {
            if (bytes[i] == 0) {
                return; // binary: neither instructions to a model nor a configuration file
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return; // cannot happen with REPLACE
        }
        SecretScan.scan(plugin, rel, text, out);
        if (HiddenUnicode.applies(rel)) {
            HiddenUnicode.scan(plugin, rel, text, out);
        }
    }
}
