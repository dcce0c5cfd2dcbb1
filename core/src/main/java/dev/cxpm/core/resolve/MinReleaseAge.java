package dev.cxpm.core.resolve;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code min-release-age} setting as written ({@code "3d"}) and where it was set ({@code /p/cxpm.toml:1}), so a
 * version it holds back can name the line to change. Parsed once: past {@link #parse} the duration is known to be
 * a whole number of seconds, minutes, hours, days or weeks, at most ten years.
 */
public record MinReleaseAge(String text, Duration duration, String setBy) {

    public static final String HINT = "write a whole number and a unit: \"30m\", \"12h\", \"3d\" or \"1w\" (s, m, h, d, w); \"0d\" holds nothing back";
    private static final Pattern FORM = Pattern.compile("([0-9]{1,7})([smhdw])");
    private static final Duration LONGEST = Duration.ofDays(3650);

    /** The setting, or empty when the text is not one (see {@link #problem}). */
    public static Optional<MinReleaseAge> parse(String text, String setBy) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        return d.compareTo(LONGEST) > 0 ? Optional.empty() : Optional.of(new MinReleaseAge(text.strip(), d, setBy));
    }

    /** What is wrong with the text, in the user's words (shown after the file and line). */
    public static String problem(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "`min-release-age`: `" + shown.replaceAll("\\p{Cntrl}", "?") + "` is not a duration of at most 3650 days";
    }

    /** "min-release-age 3d (/p/cxpm.toml:1)". */
    @Override
    public String toString() {
        return "min-release-age " + text + " (" + setBy + ")";
    }
}
