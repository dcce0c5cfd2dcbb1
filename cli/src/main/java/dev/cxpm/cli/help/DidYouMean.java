package dev.cxpm.cli.help;

import dev.cxpm.core.EditDistance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The usage error a typo deserves: an unknown command or option is answered with the nearest real name, as
 * cargo and git do. Near means at most two edits (insert, delete, replace, or swap two neighbours:
 * {@code isntall}), and fewer edits than the typed word has letters, so that {@code xy} is not "corrected" to
 * {@code ls}.
 */
public final class DidYouMean {
    private static final int MAX_EDITS = 2;

    private DidYouMean() {
    }

    /** What to print for a command-line error: picocli's own message, or ours when it would show parser internals. */
    public record Report(String error, Optional<String> hint) {
    }

    /** The message with what the user typed made visible: no terminal escape or carriage return from argv reaches the terminal. */
    public static Report of(CommandLine.ParameterException ex) {
        Report r = unescaped(ex);
        return new Report(shown(r.error()), r.hint());
    }

    private static Report unescaped(CommandLine.ParameterException ex) {
        CommandLine failed = ex.getCommandLine();
        CommandSpec spec = failed.getCommandSpec();
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return new Report(ex.getMessage(), Optional.empty());
        }
        String typed = unmatched.getUnmatched().get(0);
        if (typed.startsWith("-")) {
            String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
            List<String> options = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    options.addAll(List.of(o.names()));
                }
            }
            return new Report(ex.getMessage(), nearest(name, options).map(n -> "did you mean `" + n + "`?"));
        }
        if (failed.getSubcommands().isEmpty()) {
            return new Report(ex.getMessage(), Optional.empty());
        }
        String error = "no such command: `" + spec.qualifiedName() + " " + typed + "`";
        return new Report(error, nearest(typed, failed.getSubcommands().keySet()).map(n -> "did you mean `" + n + "`?"));
    }

    /** The candidate fewest edits away from {@code typed}, if one is near enough; leading dashes are not counted. */
    static Optional<String> nearest(String typed, Collection<String> candidates) {
        String word = undashed(typed);
        if (word.length() > 64) {
            return Optional.empty(); // no name is that long: skip a quadratic table over a hostile argument
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(word, undashed(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= MAX_EDITS && bestDistance < word.length() ? Optional.of(best) : Optional.empty();
    }

    private static String shown(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if ((c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0)) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static String undashed(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        return s.substring(i);
    }

    static int distance(String a, String b) {
        return EditDistance.between(a, b);
    }
}
