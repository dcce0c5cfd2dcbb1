package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.PlainText;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A security advisory a registry attaches to a range of a plugin's versions, read from the optional top-level
 * {@code "advisories"} array of its index document:
 * {@code {"id": "CXPM-2026-0001", "range": "<1.2.3", "severity": "low|moderate|high|critical", "summary": "...", "url": "https://..."}}.
 * Read strictly and bounded: an entry with a field that is missing, malformed or out of bounds is ignored with a
 * warning (never the whole index, which install needs), and at most {@link #MAX} entries are read.
 */
public record Advisory(String id, VersionRange range, Level severity, String summary, Optional<URI> url) {

    public enum Level {
        LOW, MODERATE, HIGH, CRITICAL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The advisories read and, one line each, those ignored and why. */
    public record Parsed(List<Advisory> advisories, List<String> ignored) {
        public Parsed {
            advisories = List.copyOf(advisories);
            ignored = List.copyOf(ignored);
        }
    }

    static final int MAX = 200;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final int MAX_RANGE_CHARS = 200;
    private static final int MAX_SUMMARY_CHARS = 500;
    private static final int MAX_URL_CHARS = 2000;

    public boolean affects(PluginVersion version) {
        return range.includes(version);
    }

    static Parsed parseAll(JsonNode node) {
        List<Advisory> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return new Parsed(out, ignored);
        }
        if (!node.isArray()) {
            ignored.add("`advisories` is not an array: all ignored");
            return new Parsed(out, ignored);
        }
        int i = 0;
        for (JsonNode a : node) {
            if (i == MAX) {
                ignored.add((node.size() - MAX) + " advisories past the first " + MAX + " ignored");
                break;
            }
            i++;
            String problem = problem(a);
            if (problem != null) {
                ignored.add("advisory #" + i + (a.path("id").isTextual() && ID.matcher(a.path("id").asText()).matches()
                        ? " (" + a.path("id").asText() + ")" : "") + " ignored: " + problem);
                continue;
            }
            String url = a.path("url").asText(null);
            out.add(new Advisory(a.path("id").asText(), VersionRange.parse(a.path("range").asText().strip()).orElseThrow(),
                    Level.valueOf(a.path("severity").asText().toUpperCase(Locale.ROOT)), PlainText.printable(a.path("summary").asText()),
                    Optional.ofNullable(url).map(URI::create)));
        }
        return new Parsed(out, ignored);
    }

    /** What is wrong with one entry, or null when nothing is. */
    private static String problem(JsonNode a) {
        if (!a.isObject()) {
            return "not an object";
        }
        if (!a.path("id").isTextual() || !ID.matcher(a.path("id").asText()).matches()) {
            return "no valid `id` (letters, digits, `.`, `_`, `:`, `-`; at most 64)";
        }
        JsonNode range = a.path("range");
        if (!range.isTextual() || range.asText().isBlank() || range.asText().length() > MAX_RANGE_CHARS) {
            return "no valid `range`";
        }
        Optional<VersionRange> r = VersionRange.parse(range.asText().strip());
        if (r.isEmpty() || !r.get().isSemverRange()) {
            return "`range` is not a SemVer range";
        }
        JsonNode severity = a.path("severity");
        if (!severity.isTextual() || !List.of("low", "moderate", "high", "critical").contains(severity.asText())) {
            return "`severity` is not one of low, moderate, high, critical";
        }
        if (!a.path("summary").isTextual() || a.path("summary").asText().isBlank() || a.path("summary").asText().length() > MAX_SUMMARY_CHARS) {
            return "no valid `summary` (at most " + MAX_SUMMARY_CHARS + " characters)";
        }
        JsonNode url = a.path("url");
        if (!url.isMissingNode() && !url.isNull()) {
            if (!url.isTextual() || url.asText().length() > MAX_URL_CHARS || !httpUrl(url.asText())) {
                return "`url` is not an http(s) URL";
            }
        }
        return null;
    }

    private static boolean httpUrl(String text) {
        try {
            URI u = new URI(text);
            return u.getScheme() != null && (u.getScheme().equals("https") || u.getScheme().equals("http")) && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
