package dev.cxpm.core.resolve;

import java.util.ArrayList;
import java.util.List;

/**
 * npm's range grammar (node-semver's strict mode) read into {@link Bound}s: {@code ||} sets of comparators that must all
 * hold, with {@code ^}, {@code ~}, x-ranges and hyphen ranges desugared as node-semver's {@code Range} does (so
 * {@code ^1.2.3} is {@code >=1.2.3 <2.0.0-0}). Read by hand in one pass over at most {@link VersionRange#MAX_CHARS}
 * characters, with no regular expression: a range comes from cxpm.toml, a manifest, the lockfile or a registry's
 * answer, and semver4j's patterns backtrack on long runs of spaces. Anything it cannot read is refused with the reason,
 * where semver4j dropped a comparator it could not read and kept the rest.
 */
final class RangeGrammar {

    /** Why a text is not a range. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    enum Op { LT, LE, GT, GE, EQ }

    /** One comparison a version must pass. Numbers are longs: an upper bound may be one past the largest int a version holds. */
    record Bound(Op op, long major, long minor, long patch, List<String> pre) {
        boolean test(PluginVersion v) {
            int c = Long.compare(v.major(), major);
            c = c != 0 ? c : Long.compare(v.minor(), minor);
            c = c != 0 ? c : Long.compare(v.patch(), patch);
            c = c != 0 ? c : PluginVersion.comparePreReleases(v.preRelease(), pre);
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case EQ -> c == 0;
            };
        }

        /** npm's pre-release rule: a pre-release version passes a set only when a bound of it names a pre-release of its MAJOR.MINOR.PATCH. */
        boolean allowsPreReleasesOf(PluginVersion v) {
            return !pre.isEmpty() && major == v.major() && minor == v.minor() && patch == v.patch();
        }
    }

    /** A version as a range writes it: any of the three numbers may be x (null here), and then the pre-release is ignored. */
    private record Partial(Long major, Long minor, Long patch, List<String> pre) {
    }

    private static final List<String> ZERO = List.of("0"); // -0: the lowest pre-release of a version

    private RangeGrammar() {
    }

    /** The sets of the range (an empty set holds every release); the text is at most {@link VersionRange#MAX_CHARS} long. */
    static List<List<Bound>> parse(String text) throws Invalid {
        List<List<Bound>> sets = new ArrayList<>();
        int from = 0;
        while (true) {
            int bar = text.indexOf("||", from);
            sets.add(set(text.substring(from, bar < 0 ? text.length() : bar)));
            if (bar < 0) {
                return sets;
            }
            from = bar + 2;
        }
    }

    private static List<Bound> set(String text) throws Invalid {
        List<String> tokens = tokens(text);
        List<Bound> out = new ArrayList<>();
        if (tokens.size() == 3 && tokens.get(1).equals("-")) {
            hyphen(partial(tokens.get(0), 0), partial(tokens.get(2), 0), out);
            return out;
        }
        for (String token : tokens) {
            if (token.equals("-")) {
                throw new Invalid("a hyphen range is exactly `A - B`, alone between `||`s");
            }
            comparator(token, out);
        }
        return out;
    }

    /** The set's words, an operator written apart from its version ({@code >= 1.2}, {@code ~ 1.2}) joined to it. */
    private static List<String> tokens(String text) throws Invalid {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (isSpace(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && !isSpace(text.charAt(i))) {
                i++;
            }
            String word = text.substring(start, i);
            int last = words.size() - 1;
            if (last >= 0 && isOperator(words.get(last))) {
                words.set(last, words.get(last) + word);
            } else {
                words.add(word);
            }
        }
        if (!words.isEmpty() && isOperator(words.get(words.size() - 1))) {
            throw new Invalid("`" + words.get(words.size() - 1) + "` is not followed by a version");
        }
        return words;
    }

    private static boolean isOperator(String w) {
        return switch (w) {
            case "<", "<=", ">", ">=", "=", "~", "~>", "^" -> true;
            default -> false;
        };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static void comparator(String token, List<Bound> out) throws Invalid {
        String op = token.startsWith("~>") ? "~" : token.startsWith(">=") || token.startsWith("<=") ? token.substring(0, 2)
                : !token.isEmpty() && "<>=~^".indexOf(token.charAt(0)) >= 0 ? token.substring(0, 1) : "";
        Partial p = partial(token, token.startsWith("~>") ? 2 : op.length());
        switch (op) {
            case "^" -> caret(p, out);
            case "~" -> tilde(p, out);
            case "", "=" -> exact(p, out);
            default -> primitive(op, p, out);
        }
    }

    /** {@code ^1.2.3} := {@code >=1.2.3 <2.0.0-0}: changes that do not modify the left-most non-zero number. */
    private static void caret(Partial p, List<Bound> out) {
        if (p.major() == null) {
            return;
        }
        long maj = p.major();
        if (p.minor() == null) {
            out.add(bound(Op.GE, maj, 0, 0, List.of()));
            out.add(bound(Op.LT, maj + 1, 0, 0, ZERO));
            return;
        }
        long min = p.minor();
        long pat = p.patch() == null ? 0 : p.patch();
        out.add(bound(Op.GE, maj, min, pat, p.patch() == null ? List.of() : p.pre()));
        if (maj > 0) {
            out.add(bound(Op.LT, maj + 1, 0, 0, ZERO));
        } else if (min > 0 || p.patch() == null) {
            out.add(bound(Op.LT, 0, min + 1, 0, ZERO));
        } else {
            out.add(bound(Op.LT, 0, 0, pat + 1, ZERO));
        }
    }

    /** {@code ~1.2.3} := {@code >=1.2.3 <1.3.0-0}; {@code ~1} := {@code >=1.0.0 <2.0.0-0}. */
    private static void tilde(Partial p, List<Bound> out) {
        if (p.major() == null) {
            return;
        }
        if (p.minor() == null) {
            out.add(bound(Op.GE, p.major(), 0, 0, List.of()));
            out.add(bound(Op.LT, p.major() + 1, 0, 0, ZERO));
            return;
        }
        out.add(bound(Op.GE, p.major(), p.minor(), p.patch() == null ? 0 : p.patch(), p.patch() == null ? List.of() : p.pre()));
        out.add(bound(Op.LT, p.major(), p.minor() + 1, 0, ZERO));
    }

    /** {@code 1.2.3} and {@code =1.2.3}: that version; {@code 1.2} and {@code 1.2.x}: {@code >=1.2.0 <1.3.0-0}; {@code x}: any. */
    private static void exact(Partial p, List<Bound> out) {
        if (p.major() == null) {
            return;
        }
        if (p.minor() == null) {
            out.add(bound(Op.GE, p.major(), 0, 0, List.of()));
            out.add(bound(Op.LT, p.major() + 1, 0, 0, ZERO));
        } else if (p.patch() == null) {
            out.add(bound(Op.GE, p.major(), p.minor(), 0, List.of()));
            out.add(bound(Op.LT, p.major(), p.minor() + 1, 0, ZERO));
        } else {
            out.add(bound(Op.EQ, p.major(), p.minor(), p.patch(), p.pre()));
        }
    }

    /** {@code <}, {@code <=}, {@code >}, {@code >=}; with an x, as npm reads it ({@code >1.2} := {@code >=1.3.0}, {@code <=1.2} := {@code <1.3.0-0}). */
    private static void primitive(String op, Partial p, List<Bound> out) {
        if (p.major() == null) {
            if (op.equals("<") || op.equals(">")) {
                out.add(bound(Op.LT, 0, 0, 0, ZERO)); // nothing is allowed
            }
            return;
        }
        long maj = p.major();
        if (p.patch() != null) {
            out.add(bound(switch (op) {
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                default -> Op.GE;
            }, maj, p.minor(), p.patch(), p.pre()));
            return;
        }
        boolean noMinor = p.minor() == null;
        long min = noMinor ? 0 : p.minor();
        switch (op) {
            case ">" -> out.add(noMinor ? bound(Op.GE, maj + 1, 0, 0, List.of()) : bound(Op.GE, maj, min + 1, 0, List.of()));
            case "<=" -> out.add(noMinor ? bound(Op.LT, maj + 1, 0, 0, ZERO) : bound(Op.LT, maj, min + 1, 0, ZERO));
            case "<" -> out.add(bound(Op.LT, maj, min, 0, ZERO));
            default -> out.add(bound(Op.GE, maj, min, 0, List.of()));
        }
    }

    /** {@code 1.2.3 - 2.3.4} := {@code >=1.2.3 <=2.3.4}; an x in the upper end takes all of it ({@code - 2.3} := {@code <2.4.0-0}). */
    private static void hyphen(Partial from, Partial to, List<Bound> out) {
        if (from.major() != null) {
            out.add(bound(Op.GE, from.major(), from.minor() == null ? 0 : from.minor(), from.patch() == null ? 0 : from.patch(),
                    from.patch() == null ? List.of() : from.pre()));
        }
        if (to.major() == null) {
            return;
        }
        if (to.minor() == null) {
            out.add(bound(Op.LT, to.major() + 1, 0, 0, ZERO));
        } else if (to.patch() == null) {
            out.add(bound(Op.LT, to.major(), to.minor() + 1, 0, ZERO));
        } else {
            out.add(bound(Op.LE, to.major(), to.minor(), to.patch(), to.pre()));
        }
    }

    private static Bound bound(Op op, long major, long minor, long patch, List<String> pre) {
        return new Bound(op, major, minor, patch, pre);
    }

    /**
     * {@code [v=]* XR(.XR(.XR(-PRE)?(+BUILD)?)?)?} from i to the token's end, XR a number or {@code x}, {@code X},
     * {@code *}; a number past an int (what a version holds) is refused, as is a missing number after an x's dot.
     */
    private static Partial partial(String token, int i) throws Invalid {
        while (i < token.length() && (token.charAt(i) == 'v' || token.charAt(i) == '=')) {
            i++;
        }
        Long[] parts = new Long[3];
        boolean anyX = false;
        int n = 0;
        while (true) {
            if (i >= token.length()) {
                throw notAVersion(token);
            }
            char c = token.charAt(i);
            if (c == 'x' || c == 'X' || c == '*') {
                anyX = true;
                i++;
            } else {
                int end = SemverText.digitsEnd(token, i);
                if (end == i || end - i > 1 && c == '0') {
                    throw notAVersion(token);
                }
                if (end - i > 10 || Long.parseLong(token, i, end, 10) > Integer.MAX_VALUE) {
                    throw new Invalid("`" + token + "`: " + token.substring(i, end) + " is past " + Integer.MAX_VALUE
                            + ", the largest number a version holds");
                }
                parts[n] = anyX ? null : Long.parseLong(token, i, end, 10);
                i = end;
            }
            n++;
            if (n == 3 || i >= token.length() || token.charAt(i) != '.') {
                break;
            }
            i++;
        }
        List<String> pre = List.of();
        if (n == 3 && i < token.length() && token.charAt(i) == '-') {
            int end = SemverText.identifiers(token, i + 1, true);
            if (end < 0) {
                throw notAVersion(token);
            }
            pre = anyX ? List.of() : List.of(token.substring(i + 1, end).split("\\.", -1));
            i = end;
        }
        if (n == 3 && i < token.length() && token.charAt(i) == '+') {
            i = SemverText.identifiers(token, i + 1, false); // build metadata: no part of precedence
            if (i < 0) {
                throw notAVersion(token);
            }
        }
        if (i != token.length()) {
            throw notAVersion(token);
        }
        return new Partial(parts[0], parts[1], parts[2], pre);
    }

    private static Invalid notAVersion(String token) {
        return new Invalid("`" + token + "` is not a version or a comparator such as ^1.2, ~1.2.3, >=1.0.0, 1.x or 1.2.3");
    }
}
