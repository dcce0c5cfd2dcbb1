package dev.cxpm.core.format.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.StreamedFailure;
import dev.cxpm.core.format.json.StreamedJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A marketplace manifest read as {@link ManifestTree} reads it, for validation, from its bytes one entry at a time: the
 * same findings with the same lines, and each valid entry with its line, handed over in the manifest's order while
 * only that entry's tree is held (not the text, tree and spans of the whole file: ~100 MB for 100,000 entries).
 */
public final class ManifestStream {
    private ManifestStream() {
    }

    /** What the read hands over, in the manifest's order. */
    public interface Visitor {
        /** A problem of an entry that makes Codex reject the whole file. */
        void error(Finding f);

        /** An entry Codex skips. */
        void skipped(Finding f);

        /**
         * Each entry, as read, that starts at line, after its findings: valid, the first of its name, as e; else e is
         * null.
         */
        void entry(JsonNode tree, int line, MarketplaceEntry e);
    }

    /**
     * Reads the manifest file's bytes; the whole-file problems of its top level ({@code name}, {@code plugins}), which
     * {@link ManifestTree} lists before its entries' errors; empty when the stream leaves the text to be read whole
     * ({@link StreamedJson}: not JSON, not an object, a top-level key written twice): then nothing visited counts.
     */
    public static Optional<List<Finding>> read(Path file, byte[] bytes, Visitor visit) {
        Walk w = new Walk(file, bytes, visit);
        if (!StreamedJson.walk(bytes, w)) {
            return Optional.empty();
        }
        List<Finding> errors = new ArrayList<>();
        Finding bad = TopLevel.nameProblem(file, w.name);
        if (bad != null) {
            errors.add(bad.line() == 0 ? bad.at(StreamedFailure.lineOf(bytes, "/name")) : bad);
        }
        Finding badList = TopLevel.pluginsProblem(file, w.pluginsAsRead());
        if (badList != null) {
            errors.add(badList.line() == 0 ? badList.at(StreamedFailure.lineOf(bytes, "/plugins")) : badList);
        }
        return Optional.of(errors);
    }

    /** Each entry read as ManifestTree reads it, a finding's line found in that entry's bytes only. */
    private static final class Walk extends TopLevel {
        private final Path file;
        private final byte[] bytes;
        private final Visitor visit;
        private final Set<String> seen = new HashSet<>();
        private final EntryFindings findings = new EntryFindings();

        Walk(Path file, byte[] bytes, Visitor visit) {
            this.file = file;
            this.bytes = bytes;
            this.visit = visit;
        }

        @Override
        void entry(int i, JsonNode e) {
            throw new IllegalStateException("read with its place");
        }

        @Override
        void entry(int i, JsonNode e, int line, long offset) {
            findings.at(i, line, (int) offset);
            visit.entry(e, line, MarketplaceEntries.read(file, e, i, findings, seen).orElse(null));
        }

        /** Findings of entry i, which starts at line and byte offset: a pointer's line is looked up in its bytes. */
        private final class EntryFindings extends MarketplaceEntries.Findings {
            private String prefix;
            private int line;
            private int offset;

            void at(int i, int line, int offset) {
                this.prefix = "/plugins/" + i;
                this.line = line;
                this.offset = offset;
            }

            @Override
            int lineOf(String pointer) {
                if (!pointer.equals(prefix) && !pointer.startsWith(prefix + "/")) {
                    return StreamedFailure.lineOf(bytes, pointer); // not asked by an entry's read: the whole file's
                }
                String inEntry = pointer.substring(prefix.length());
                if (inEntry.isEmpty()) {
                    return line;
                }
                int found = StreamedFailure.lineOf(bytes, offset, inEntry);
                return found == 0 ? 0 : line + found - 1;
            }

            @Override
            void error(Finding f) {
                visit.error(f);
            }

            @Override
            void skip(Finding f) {
                visit.skipped(f);
            }
        }
    }
}
