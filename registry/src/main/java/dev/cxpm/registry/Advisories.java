package dev.cxpm.registry;

import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.AdvisoryRow;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Advisories a plugin's owners (or an admin) attach to a range of its versions, as they deprecate: every field is
 * checked here once (a range core can read, a known severity, a bounded one-line summary, an https URL), so what the
 * index document and the web page show was valid when it was stored. Withdrawing marks it; nothing is deleted.
 */
public final class Advisories {

    static final Set<String> SEVERITIES = Set.of("low", "moderate", "high", "critical");
    static final int MAX_SUMMARY = 500;
    static final int MAX_RANGE = 256;
    static final int MAX_URL = 2048;
    /** Owners' own ids (GHSA-..., CVE-...): short, and safe in a URL path and a page. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /** What version ranges are written with: nothing a page or a terminal reads specially. */
    private static final Pattern RANGE_CHARS = Pattern.compile("[0-9A-Za-z .*^~<>=|+-]+");

    private final RegistryDatabase db;
    private final Clock clock;
    private final Owners owners;
    private final AuditLog audit;

    Advisories(RegistryDatabase db, Clock clock, Owners owners, AuditLog audit) {
        this.db = db;
        this.clock = clock;
        this.owners = owners;
        this.audit = audit;
    }

    /** What a caller asks to attach; {@code id} and {@code url} may be null. */
    public record Draft(String id, String range, String severity, String summary, String url) {
    }

    AdvisoryRow add(Caller caller, String plugin, Draft d) {
        owners.requireOwner(caller, plugin, "attach advisories to");
        var now = clock.instant();
        AdvisoryRow draft = checked(plugin, d, caller.user(), now);
        String id = draft.id();
        String range = draft.range();
        String severity = draft.severity();
        String summary = draft.summary();
        String url = draft.url();
        String prefix = "CXPM-" + now.atZone(ZoneOffset.UTC).getYear() + "-";
        return db.transaction(() -> {
            String given = db.insertAdvisory(draft, prefix).orElseThrow(() ->
                    new RegistryException(409, "advisory-exists", "'" + plugin + "' already has an advisory " + id));
            AdvisoryRow row = new AdvisoryRow(plugin, given, range, severity, summary, url, caller.user(), now, null);
            var details = AuditLog.details().put("id", given).put("range", range).put("severity", severity).put("summary", summary);
            if (url != null) {
                details.put("url", url);
            }
            audit.record(caller, "advisory-add", plugin, null, details);
            return row;
        });
    }

    /**
     * The advisory as it may be stored, every field checked (a 400 naming the first bad one): for an owner's draft and
     * for one a mirror copies from upstream, which is no more trusted than an owner.
     */
    public static AdvisoryRow checked(String plugin, Draft d, String by, java.time.Instant at) {
        String range = range(d.range());
        String severity = d.severity() == null ? "" : d.severity().strip().toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(severity)) {
            throw new RegistryException(400, "invalid-severity", "severity must be one of low, moderate, high, critical");
        }
        String summary = d.summary() == null ? "" : d.summary().strip();
        if (summary.isEmpty() || summary.length() > MAX_SUMMARY || summary.chars().anyMatch(Advisories::unsafe)) {
            throw new RegistryException(400, "invalid-summary", "a summary is 1-" + MAX_SUMMARY + " characters on one line, without control characters");
        }
        String url = url(d.url());
        String id = d.id() == null || d.id().isBlank() ? null : d.id().strip();
        if (id != null && !ID.matcher(id).matches()) {
            throw new RegistryException(400, "invalid-id", "an advisory id is 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        return new AdvisoryRow(plugin, id, range, severity, summary, url, by, at, null);
    }

    void withdraw(Caller caller, String plugin, String id) {
        owners.requireOwner(caller, plugin, "withdraw advisories of");
        db.transaction(() -> {
            if (!db.withdrawAdvisory(plugin, id, clock.instant())) {
                throw new RegistryException(404, "not-found", "'" + plugin + "' has no standing advisory " + id);
            }
            audit.record(caller, "advisory-withdraw", plugin, null, AuditLog.details().put("id", id));
            return null;
        });
    }

    List<AdvisoryRow> of(String plugin) {
        return db.advisories(plugin);
    }

    private static String range(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.length() > MAX_RANGE || !RANGE_CHARS.matcher(t).matches()
                || VersionRange.parse(t).filter(VersionRange::isSemverRange).isEmpty()) {
            throw new RegistryException(400, "invalid-range", "not a version range (e.g. \"<1.2.3\" or \">=1.0.0 <1.4.2\")");
        }
        return t;
    }

    private static String url(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            URI u = new URI(t);
            if (t.length() <= MAX_URL && "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && u.getRawUserInfo() == null
                    && t.chars().noneMatch(c -> unsafe(c) || c == ' ' || c == '"' || c == '<' || c == '>')) {
                return t;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new RegistryException(400, "invalid-url", "an advisory URL is an https:// URL of at most " + MAX_URL + " characters");
    }

    /** Control, bidirectional and other invisible format characters: nothing a summary needs, all a spoofer wants. */
    private static boolean unsafe(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
    }
}
