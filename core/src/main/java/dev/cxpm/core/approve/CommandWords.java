package dev.cxpm.core.approve;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.format.PluginPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The words of a plugin's command lines that may name one of its files (an MCP server's command and arguments, each word
 * of a hook's command), read as {@link RunSurface} hashes them: each rule here decides which files an approval binds to,
 * so a change to one changes approvals' hashes ({@code RunSurfaceTest} holds each to the expression it replaced).
 */
final class CommandWords {

    private CommandWords() {
    }

    /**
     * Every word of a command line that could name a file of the plugin, as a path relative to its root: an MCP server's
     * command and each argument, each word of a hook's command; {@code ./}, {@code ${CLAUDE_PLUGIN_ROOT}/} taken off. Words
     * that are options, variables, absolute or that leave the root ({@code ..}) are not; whether the file exists decides.
     */
    static java.util.SortedSet<String> fileCandidates(Map<String, RunSurface.Server> mcpServers, Map<String, List<String>> hooks) {
        java.util.SortedSet<String> out = new TreeSet<>();
        List<String> words = new ArrayList<>();
        mcpServers.values().forEach(s -> {
            if (s.command() != null) {
                words.add(s.command());
            }
            words.addAll(s.args());
        });
        hooks.values().forEach(commands -> commands.forEach(c -> words.addAll(wordsOf(c))));
        for (String w : words) {
            String t = withoutPluginRoot(unquoted(w));
            t = t.startsWith("./") ? t.substring(2) : t;
            if (t.isEmpty() || t.length() > 1024 || t.startsWith("/") || t.startsWith("-") || t.contains("$") || t.contains("\\")
                    || t.contains("\u0000")) {
                continue;
            }
            if (normalRelative(t)) {
                out.add(t); // what the path's normalized text would be (most words: npx, a package name, ./server.js)
                continue;
            }
            try {
                java.nio.file.Path p = java.nio.file.Path.of(t).normalize();
                if (!p.toString().isEmpty() && !p.startsWith("..") && !p.isAbsolute()) {
                    out.add(p.toString());
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a path
            }
        }
        return out;
    }

    /**
     * Whether t (not empty, no NUL, not starting with {@code /}) is its own normalized relative path: ASCII (a path's text
     * is encoded and decoded in the platform's encoding, which may refuse other characters), no empty name (no {@code //},
     * no {@code /} at the end) and no {@code .} or {@code ..} name, so {@code Path.of(t).normalize()} would print t, and it
     * neither is absolute nor starts with {@code ..}; asked of each word of each command of each plugin of a sync, without
     * making, normalizing and printing a path for it ({@code RunSurfaceTest} holds the two equal).
     */
    static boolean normalRelative(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) >= 0x80) {
                return false;
            }
        }
        return PluginPaths.eachPartIsAName(t);
    }

    /**
     * w without one quote (" or ') at its start and one at its end, as replaceAll("^[\"']|[\"']$", "") (which compiled
     * the expression for each word of each plugin); a word with a line break goes the regular way, as $ also matches
     * before a final line break. The approvals' hashes depend on it (RunSurfaceTest).
     */
    static String unquoted(String w) {
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return w.replaceAll("^[\"']|[\"']$", "");
            }
        }
        int from = !w.isEmpty() && (w.charAt(0) == '"' || w.charAt(0) == '\'') ? 1 : 0;
        int to = w.length() > from && (w.charAt(w.length() - 1) == '"' || w.charAt(w.length() - 1) == '\'') ? w.length() - 1 : w.length();
        return w.substring(from, to);
    }

    // By hand, not by regular expressions: each compiles interpreted on a fresh JVM, and every sync of a plugin that
    // runs something came here (RunSurfaceTest holds them to the expressions' answers).
    private static final List<String> PLUGIN_ROOTS = List.of("${CLAUDE_PLUGIN_ROOT}/", "$CLAUDE_PLUGIN_ROOT/", "${PLUGIN_ROOT}/");

    /** The word without a leading {@code ${CLAUDE_PLUGIN_ROOT}/}, {@code $CLAUDE_PLUGIN_ROOT/} or {@code ${PLUGIN_ROOT}/}. */
    static String withoutPluginRoot(String word) {
        for (String root : PLUGIN_ROOTS) {
            if (word.startsWith(root)) {
                return word.substring(root.length());
            }
        }
        return word;
    }

    /** {@code command.strip().split("\\s+")}: the words between runs of space, tab, newline, vertical tab, form feed, return. */
    static List<String> wordsOf(String command) {
        String s = command.strip();
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || PlainText.isSpace(s.charAt(i))) {
                if (i > start || s.isEmpty()) {
                    out.add(s.substring(start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }
}
