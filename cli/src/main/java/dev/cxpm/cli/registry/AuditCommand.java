package dev.cxpm.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.cli.RegistryOption;
import dev.cxpm.cli.output.Table;
import dev.cxpm.core.UserError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm registry audit}: the registry's audit log of every write, for its admins. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Show the registry's audit log of every write: who, when, from where, what.",
                "Publishes, yanks, deprecations, owner, token and advisory changes, newest first; needs an admin token."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm registry audit --plugin demo --since 7d",
                "      What changed demo in the last seven days.",
                "  cxpm registry audit --user bob --json",
                "      Everything bob did, as JSON for a script (follow 'next' with --cursor)."})
final class AuditCommand implements Runnable {

    private static final Pattern AGO = Pattern.compile("(\\d{1,5})([dh])");

    @CommandLine.ParentCommand
    RegistryCommand parent;

    @Option(names = "--plugin", paramLabel = "PLUGIN", description = "Only writes on this plugin.")
    String plugin;

    @Option(names = "--user", paramLabel = "USER", description = "Only writes by this user.")
    String user;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only writes since a date (2026-12-01), an instant (2026-12-01T10:00:00Z) or a time ago (7d, 12h).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N entries (1-200). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after the page that printed this cursor.")
    String cursor;

    @Option(names = "--json", description = "Print JSON: {entries: [{id, at, user, tokenId, remote, action, plugin, version, details}], next, registry}.")
    boolean json;

    @CommandLine.Mixin
    RegistryOption registry;

    @Override
    public void run() {
        Env env = parent.env();
        if (limit < 1 || limit > 200) {
            throw new UserError(UserError.Kind.USAGE, "--limit must be 1 to 200, got " + limit);
        }
        String from = since == null ? null : instant(since, env.clock().instant()).toString();
        RegistryLogin login = registry.login(env);
        JsonNode page = login.client().admin().audit(plugin, user, from, limit, cursor);
        if (json) {
            env.out().println(login.json(page));
            return;
        }
        JsonNode entries = page.path("entries");
        if (entries.isEmpty()) {
            env.out().println("no audit entries" + (plugin == null && user == null && since == null ? "" : " match"));
        } else {
            Table t = new Table("WHEN", "USER", "TOKEN", "FROM", "ACTION", "WHAT", "DETAILS");
            for (JsonNode e : entries) {
                String what = text(e, "plugin") + (e.path("version").isTextual() ? "@" + e.path("version").asText() : "");
                t.row(Table.printable(text(e, "at")), Table.printable(text(e, "user")), Table.printable(text(e, "tokenId")),
                        Table.printable(text(e, "remote")), Table.printable(text(e, "action")), Table.printable(what),
                        Table.printable(e.path("details").toString()));
            }
            t.print(env.out());
        }
        if (page.path("next").isTextual()) {
            env.err().println("more: cxpm registry audit --cursor " + Table.printable(page.path("next").asText()) + " (with the same filters)");
        }
    }

    private static String text(JsonNode e, String field) {
        return e.path(field).isTextual() ? e.path(field).asText() : "";
    }

    /** A date, an instant, or a time before now such as {@code 7d} or {@code 12h}. */
    static Instant instant(String text, Instant now) {
        String t = text.strip();
        Matcher ago = AGO.matcher(t);
        try {
            if (ago.matches()) {
                long n = Long.parseLong(ago.group(1));
                return now.minus(ago.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n));
            }
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new UserError(UserError.Kind.USAGE, "--since takes a date (2026-12-01), an instant (2026-12-01T10:00:00Z) or a time ago (7d, 12h)");
        }
    }
}
